/**
 * Scripted people for the season simulation. Each answers what the bot asks, as a real person in
 * the chat would: by the question's id, through the bot's front door, reply after reply.
 */
import type { Bot } from '../../src/bot';
import type { Message } from '../../src/message';
import type { Locale } from '../../src/text/locale';
import { DAY, isWeekend, localParts, shiftLocalDate } from '../../src/time';
import type { Delivery } from '../helpers/fake-messenger';

/**
 * 'late' answers hours or days later; 'wrong' presses old buttons and types answers meant for
 * other questions; 'commander' types commands mid-form; 'notYet' puts booking and alignment off.
 */
export type Behaviour = 'diligent' | 'quiet' | 'cancels' | 'silent' | 'stressed' | 'late' | 'wrong' | 'commander' | 'notYet';

export interface Agent {
  personId: number;
  role: 'mentee' | 'mentor';
  behaviour: Behaviour;
  locale: Locale;
  /** Whether the mentee shares the preparation with the mentor. */
  shares: boolean;
  /** What this person wrote that must stay private (never reach the mentor or coordinator). */
  secrets: string[];
  state: {
    metOnce?: boolean;
    cancelled?: boolean;
    /** Every question this person answered, by id, with the value given (newest last). */
    answered?: { id: string; value: string; at: number }[];
    /** What the clarify question should be answered with next ('command' or 'answer'). */
    meant?: 'command' | 'answer';
    /** How many tricks a 'commander' or 'wrong' person has played (they take turns). */
    plays?: number;
    /** The subjects of the questions a 'notYet' person put off, and when. */
    putOff?: { subject: string; at: number }[];
  };
}

const ZONE = 'Europe/Copenhagen';
/** After this, no one books again: the season is ending. */
export const LAST_BOOKING = Date.parse('2026-12-04T00:00:00Z');

/** "D/M HH:MM" for the first weekday at least `days` days after `now`, at 16:00 local. */
export function meetingText(now: number, days: number): string {
  let n = days;
  while (isWeekend(shiftLocalDate(now, n, ZONE))) n += 1;
  const d = shiftLocalDate(now, n, ZONE);
  return `${d.day}/${d.month}/${d.year} 16:00`;
}

export function answer(agent: Agent, question: Pick<NonNullable<Message['question']>, 'id'>, now: number): string | null {
  const [flow, step] = question.id.split('.');
  const skip = '-';
  const mine = (label: string) => {
    const text = `${label}-${agent.personId}-${now}`;
    return text;
  };
  if (agent.behaviour === 'silent') return null;
  if (flow === 'clarify') return agent.state.meant ?? 'command';
  if (flow === 'pick') return '1';
  if (question.id.endsWith('.confirm')) return 'yes';
  if (agent.behaviour === 'quiet' && agent.state.metOnce && (flow === 'book' || flow === 'manage')) return null;
  switch (`${flow}.${step}`) {
    case 'book.when':
      return now >= LAST_BOOKING ? null : meetingText(now, 7);
    case 'book.length':
      return '60';
    case 'book.place':
      return 'cafe';
    case 'manage.action':
      return agent.behaviour === 'cancels' && !agent.state.cancelled ? ((agent.state.cancelled = true), 'cancel') : 'keep';
    case 'align.notes':
      return 'mentee';
    case 'prep.ticks':
      return '1';
    case 'prep.share':
      return agent.shares ? 'yes' : 'no';
    case 'after.tookPlace':
      return 'yes';
    case 'after.points':
      return agent.locale === 'en' ? `Points from the meeting ${now}` : `Pointer fra mødet ${now}`;
    case 'after.mySteps':
      return agent.locale === 'en' ? 'Update LinkedIn\nWrite to two companies' : 'Opdatere LinkedIn\nSkrive til to virksomheder';
    case 'after.mentorSteps':
      return skip;
    case 'after.next':
      agent.state.metOnce = true;
      if (agent.behaviour === 'quiet') return skip;
      return now + 28 * DAY >= LAST_BOOKING ? skip : meetingText(now, 28);
    case 'after.reschedule':
      return meetingText(now, 7);
    case 'review.action':
      return 'confirm';
    case 'checkin.professional':
    case 'checkin.personal':
      return '4';
    case 'shadow.status':
      return 'done';
    case 'surveyMentee.match':
    case 'surveyMentor.match':
      return '4';
    case 'surveyMentee.engagement':
    case 'surveyMentor.engagement':
      return '5';
    case 'surveyMentee.shadowing':
      return 'yes';
    case 'surveyMentor.learned':
      return skip;
  }
  if (flow === 'surveyMentee') return surveyAnswer(agent.personId);
  if (flow === 'prep') {
    if (agent.behaviour === 'stressed' && step === 'say') {
      const text = `Jeg er meget stresset over min eksamen ${agent.personId}-${now}`;
      agent.secrets.push(text);
      return text;
    }
    const text = mine(`PREP-${step}`);
    if (!agent.shares) agent.secrets.push(text);
    return text;
  }
  if (flow === 'reflect') {
    const text = mine('REFLECTION');
    agent.secrets.push(text);
    return text;
  }
  if (flow === 'align' || flow === 'alignMentor') return agent.locale === 'en' ? `Expectation ${step}` : `Forventning ${step}`;
  return skip;
}

/** How a mentee answers every outcome item: 1 to 4 on the agree scale, varying by person. */
export function surveyAnswer(personId: number): string {
  return String(1 + (personId % 4));
}

/** Answers a delivered message and every question that follows in the replies. */
export function respond(bot: Bot, agent: Agent, delivery: Delivery, now: number, replies: Message[]): void {
  let message: Message | undefined = delivery.message;
  for (let guard = 0; guard < 40 && message?.question; guard += 1) {
    const value = answer(agent, message.question, now);
    if (value === null) return;
    const out: Message[] = bot.handle(agent.personId, { type: 'answer', questionId: message.question.id, value }).replies;
    (agent.state.answered ??= []).push({ id: message.question.id, value, at: now });
    replies.push(...out);
    message = out.find((m) => m.question);
  }
}

/** The person types a command, and answers what follows. */
export function type(bot: Bot, agent: Agent, text: string, now: number, replies: Message[]): void {
  const out: Message[] = bot.handle(agent.personId, { type: 'text', text }).replies;
  replies.push(...out);
  const asked = out.find((m) => m.question);
  if (asked) respond(bot, agent, { address: '', key: 'typed', message: asked, messageId: '' }, now, replies);
}

export function localHour(at: number): number {
  return localParts(at, ZONE).hour;
}
