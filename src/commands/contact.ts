/**
 * `contact` / `kontakt`: write privately to the coordinator (src/flows/contact.ts). A mentor with
 * several mentees names the one it is about (`contact astrid`). The partner is never told.
 */
import { contactPlace, startContact } from '../flows/contact';
import type { Command } from './command';
import { commandWord } from './words';

export const contactCommand: Command = {
  name: 'contact',
  for: ['mentee', 'mentor'],
  accepts: (args) => args.length <= 1,
  run({ core, person }, args) {
    const place = contactPlace(core, person, args[0]);
    if (!place) return [{ text: core.text.t(person.locale, 'common.notParticipant') }];
    if ('choose' in place) {
      const word = commandWord(core, person.locale, 'contact');
      return [{ text: core.text.t(person.locale, 'contact.whichPair', { names: place.choose.join(', '), example: `${word} ${place.choose[0]!.toLowerCase()}` }) }];
    }
    return [startContact(core, person, place)];
  },
};
