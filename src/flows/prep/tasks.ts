/**
 * The two nudges of preparation: the prompt to the mentee, and the agenda to the mentor when shared.
 * The agenda carries one coach tip, a different one for each of the pair's first meetings, then none.
 */
import { z } from 'zod';
import type { Core } from '../../core';
import { currentDialogue } from '../../dialogues';
import { firstName } from '../../people';
import type { NudgeTask } from '../../scheduler/task';
import { meetingContext, meetingWhen, type MeetingContext, upcomingMeetingContext } from '../meeting-context';
import { openPrep, prepForm } from './flow';
import { formNudge } from '../form';
import { PREP_AGENDA, PREP_PROMPT } from './plan';
import { getPrep, prepQuestions } from './store';


/** How many coach tips there are (prep.agenda.tip.1 …); meetings after that get none. */
const COACH_TIPS = 4;

/** The tip for this meeting: the nth for the pair's nth meeting (cancelled ones not counted), or null. */
function coachTipKey(core: Core, m: MeetingContext): string | null {
  const { n } = core.db
    .prepare("SELECT count(*) AS n FROM meetings WHERE pair_id = ? AND status <> 'cancelled' AND starts_at <= ?")
    .get(m.pair.id, m.meeting.startsAt) as { n: number };
  return n >= 1 && n <= COACH_TIPS ? `prep.agenda.tip.${n}` : null;
}

const payload = z.object({ meetingId: z.number().int().positive() });

export const prepPromptTask: NudgeTask<z.infer<typeof payload>> = {
  kind: PREP_PROMPT,
  opensDialogue: true,
  payload,
  compose({ core, payload, person }) {
    const m = upcomingMeetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is no longer ahead' };
    if (m.pair.status !== 'active') return { drop: 'the pair has ended' };
    if (getPrep(core, m.meeting.id)?.completedAt) return { drop: 'already prepared' };
    const open = currentDialogue(core, person.id);
    if (open?.flow === 'prep' && open.meetingId === m.meeting.id) return { drop: 'preparation already under way' };
    const when = meetingWhen(core, m.meeting, person);
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, { name: firstName(person.name), mentor: firstName(m.mentor.name), when, ...vars });
    return formNudge(prepForm, core, person, { meetingId: m.meeting.id }, t('prep.intro'), t('prep.why', { days: m.programme.settings.prepLeadDays }));
  },
  delivered({ core, payload }) {
    const m = meetingContext(core, payload.meetingId);
    if (m) openPrep(core, m);
  },
};

export const prepAgendaTask: NudgeTask<z.infer<typeof payload>> = {
  kind: PREP_AGENDA,
  payload,
  compose({ core, payload, person }) {
    const m = upcomingMeetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is no longer ahead' };
    const prep = getPrep(core, m.meeting.id);
    if (!prep?.shared) return { drop: 'the mentee has not shared the preparation' };
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, { mentee: firstName(m.mentee.name), when: meetingWhen(core, m.meeting, person), ...vars });
    // Before the first meeting the fourth question is about hopes, not about what happened since.
    const first = !core.db.prepare("SELECT 1 FROM meetings WHERE pair_id = ? AND starts_at < ? AND status IN ('booked', 'held') LIMIT 1").get(m.pair.id, m.meeting.startsAt);
    const lines = prepQuestions
      .filter((q) => prep.answers[q])
      .map((q) => t(q === 'since' && first ? 'prep.agenda.sinceFirst' : `prep.agenda.${q}`, { answer: prep.answers[q]! }));
    const tip = coachTipKey(core, m);
    return { text: [t('prep.agenda'), '', ...lines, ...(tip ? ['', t(tip)] : [])].join('\n'), why: t('prep.agenda.why') };
  },
};
