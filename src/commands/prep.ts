/** `prep`: the mentee prepares the next meeting now, without waiting for the prompt. */
import { activePairsOf } from '../pairs';
import { nextMeeting } from '../meetings';
import { openPrepDialogue } from '../flows/prep/flow';
import { meetingContext, meetingWhen } from '../flows/meeting-context';
import type { Command } from './command';

export const prepCommand: Command = {
  name: 'prep',
  for: ['mentee'],
  run({ core, person }) {
    const pairs = activePairsOf(core, person.id);
    const asMentee = pairs.find((p) => p.menteeId === person.id);
    if (!asMentee) {
      const key = pairs.length > 0 ? 'prep.notMentee' : 'common.notParticipant';
      return [{ text: core.text.t(person.locale, key) }];
    }
    const meeting = nextMeeting(core, asMentee.id);
    if (!meeting) return [{ text: core.text.t(person.locale, 'prep.noMeeting') }];
    const m = meetingContext(core, meeting.id)!;
    const first = openPrepDialogue(core, m);
    return [{ ...first, text: `${core.text.t(person.locale, 'prep.restart', { when: meetingWhen(core, meeting, person) })}\n\n${first.text}` }];
  },
};
