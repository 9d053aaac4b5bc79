/** Preparation as one flow: the dialogue (flow.ts), its two nudges (tasks.ts), the `prep` command, and the prompt planned for each meeting (plan.ts). */
import { prepCommand } from '../../commands/prep';
import type { FlowDefinition } from '../definition';
import { prepFlow } from './flow';
import { planPrep } from './plan';
import { prepAgendaTask, prepPromptTask } from './tasks';

export const prepDefinition: FlowDefinition = {
  name: 'prep',
  dialogues: [prepFlow],
  tasks: [prepPromptTask, prepAgendaTask],
  commands: [prepCommand],
  on: { 'meeting.booked': (core, e) => planPrep(core, e.meeting), 'meeting.moved': (core, e) => planPrep(core, e.meeting) },
  stores: ['preps', 'prep_answers', 'action_items'],
};
