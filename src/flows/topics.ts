/** `topics`: conversation ideas drawn from what pairs in the programme talked about. */
import type { Command } from '../commands/command';

export const topicsCommand: Command = {
  name: 'topics',
  for: ['mentee', 'mentor'],
  run({ core, person }) {
    return [{ text: core.text.t(person.locale, 'topics.list') }];
  },
};
