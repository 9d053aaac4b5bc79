/**
 * Every flow of the season, declared once each (see definition.ts) and listed here once: the bot,
 * the scheduler's tasks, the "ask again" nudge and the meeting events all read this list.
 * Adding a flow: its file with its definition, its two prompt files, and one line below.
 */
import type { Command } from '../commands/command';
import type { Core } from '../core';
import type { NudgeTask } from '../scheduler/task';
import { afterMeetingDefinition } from './after-meeting';
import { alignmentDefinition } from './alignment';
import { baselineDefinition } from './baseline';
import { bookingDefinition } from './booking';
import { checkinDefinition } from './checkin';
import { contactDefinition } from './contact';
import type { FlowDefinition, SeasonEvent } from './definition';
import { fitDefinition } from './fit-check';
import type { Flow } from './flow';
import { goalsDefinition } from './goals';
import { prepDefinition } from './prep';
import { mentorPrepDefinition } from './prep-mentor';
import { quietDefinition } from './quiet';
import { reflectionDefinition } from './reflection';
import { shadowingDefinition } from './shadowing';
import { summaryReviewDefinition } from './summary-review';
import { surveyDefinition } from './survey';
import { topicsDefinition } from './topics';
import { welcomeDefinition } from './welcome';
import { menteePicksDefinition } from './mentee-picks';
import { nextSeasonDefinition } from './next-season';
import { riskDefinition } from '../coordinator/alerts';

/**
 * In the season's order, which is also the order the flows react to a meeting event: what one
 * plans first is sent first when two nudges fall due at the same moment (the invitation before
 * the alignment questions, those before the prep prompt).
 */
export const flowDefinitions: readonly FlowDefinition[] = [
  welcomeDefinition,
  bookingDefinition,
  alignmentDefinition,
  prepDefinition,
  mentorPrepDefinition,
  afterMeetingDefinition,
  summaryReviewDefinition,
  reflectionDefinition,
  quietDefinition,
  fitDefinition,
  checkinDefinition,
  goalsDefinition,
  baselineDefinition,
  contactDefinition,
  shadowingDefinition,
  surveyDefinition,
  topicsDefinition,
  menteePicksDefinition,
  nextSeasonDefinition,
  // Not a flow the participants see: the coordinator's flags and alerts react to the season's events.
  riskDefinition,
];

/** Every dialogue of the season, by the flow name its dialogue rows carry. */
export const seasonFlows: readonly Flow[] = flowDefinitions.flatMap((d) => d.dialogues ?? []);

export const seasonTasks: readonly NudgeTask<any>[] = flowDefinitions.flatMap((d) => d.tasks ?? []);

/** The order help lists the season's commands in, the one the mentee meets them in; any not named follow. */
const helpOrder = ['prep', 'book', 'summary', 'actions', 'agreement', 'topics'];
const rank = (c: Command) => (helpOrder.includes(c.name) ? helpOrder.indexOf(c.name) : helpOrder.length);

export const seasonCommands: readonly Command[] = flowDefinitions.flatMap((d) => d.commands ?? []).sort((a, b) => rank(a) - rank(b));

/** Lets every flow react to what happened, in the order above; runs in the caller's transaction. */
export function announce(core: Core, event: SeasonEvent): void {
  for (const definition of flowDefinitions) (definition.on?.[event.type] as ((core: Core, event: SeasonEvent) => void) | undefined)?.(core, event);
}
