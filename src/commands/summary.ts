/** `summary`: the mentee writes the summary of the latest meeting now, without waiting to be asked. */
import { afterForm } from '../flows/after-meeting';
import { startForm } from '../flows/form';
import { activePairsOf } from '../pairs';
import type { Command } from './command';

export const summaryCommand: Command = {
  name: 'summary',
  for: ['mentee'],
  run({ core, person }) {
    const pair = activePairsOf(core, person.id).find((p) => p.menteeId === person.id);
    if (!pair) return [{ text: core.text.t(person.locale, activePairsOf(core, person.id).length ? 'after.notMentee' : 'common.notParticipant') }];
    const meeting = core.db
      .prepare(
        `SELECT m.id FROM meetings m LEFT JOIN summaries s ON s.meeting_id = m.id
          WHERE m.pair_id = ? AND m.status IN ('booked', 'held') AND m.starts_at <= ? AND s.meeting_id IS NULL
          ORDER BY m.starts_at DESC LIMIT 1`,
      )
      .get(pair.id, core.clock.now()) as { id: number } | undefined;
    if (!meeting) return [{ text: core.text.t(person.locale, 'after.nothingToSum') }];
    return [startForm(afterForm, core, person, { meetingId: meeting.id })];
  },
};
