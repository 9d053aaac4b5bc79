/**
 * The programme's eight mentee outcome items (the poster's), and the agree scale they are answered
 * on. Like every scale in Sparring it runs low to high: 1 = strongly disagree … 5 = strongly agree
 * (as 1 = very poor … 5 = very good for the match), so a higher number is always the better one.
 */
import type { Step } from './form';

export const outcomeItems = [
  'careerDirection',
  'transition',
  'labourMarket',
  'prepared',
  'projectInput',
  'personalCompetences',
  'professionalCompetences',
  'professionalRelationship',
] as const;

export type OutcomeItem = (typeof outcomeItems)[number];

/** The five-point agree scale, labelled survey.agree.1 (strongly disagree) … survey.agree.5 (strongly agree). */
export const agreeStep: Step = { kind: 'choice', options: ['1', '2', '3', '4', '5'], labels: 'survey.agree' };
