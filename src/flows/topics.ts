/** `topics`: conversation ideas drawn from what pairs in the programme talked about. */
import type { Command } from '../commands/command';
import type { FlowDefinition } from './definition';

export const topicsCommand: Command = {
  name: 'topics',
  readOnly: () => true,
  for: ['mentee', 'mentor'],
  run({ core, person }) {
    return [{ text: core.text.t(person.locale, 'topics.list') }];
  },
};

export const topicsDefinition: FlowDefinition = { name: 'topics', commands: [topicsCommand] };
