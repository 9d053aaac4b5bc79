/**
 * The mentee's summary goes to the mentor, who confirms it or adds a point. Either way the mentee is
 * told what the mentor answered: that the mentor agrees, or what the mentor added.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { meetingSubject } from '../meetings';
import { firstName, type Person } from '../people';
import type { NudgeTask } from '../scheduler/task';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, type FormSpec } from './form';
import { meetingContext, meetingWhen, type MeetingContext } from './meeting-context';
import { plan } from './plan';

export const SUMMARY_REVIEW = 'summary.review';
/** The mentor's answer, back to the mentee (the kind keeps its first name: rows planned before still run). */
export const SUMMARY_ADDITION = 'summary.addition';


function summaryText(core: Core, m: MeetingContext, locale: 'da' | 'en'): string | null {
  const summary = core.db.prepare('SELECT points FROM summaries WHERE meeting_id = ?').get(m.meeting.id) as { points: string } | undefined;
  if (!summary) return null;
  const items = core.db.prepare('SELECT owner_id, text FROM action_items WHERE meeting_id = ? ORDER BY id').all(m.meeting.id) as { owner_id: number; text: string }[];
  const owner = (id: number) => firstName((id === m.mentee.id ? m.mentee : m.mentor).name);
  const lines = [core.text.t(locale, 'review.points', { points: summary.points })];
  if (items.length > 0) lines.push(core.text.t(locale, 'review.steps'), ...items.map((i) => `• ${owner(i.owner_id)}: ${i.text}`));
  return lines.join('\n');
}

/** Tells the mentee, through the scheduler (quiet hours and pauses apply), what the mentor answered. */
function planAnswerToMentee(core: Core, m: MeetingContext): void {
  plan(core, {
    key: `${SUMMARY_ADDITION}:${m.meeting.id}:${core.clock.now()}`,
    kind: SUMMARY_ADDITION,
    personId: m.mentee.id,
    subject: meetingSubject(m.meeting.id),
    payload: { meetingId: m.meeting.id },
    dueAt: core.clock.now(),
  });
  core.wake();
}

const reviewForm: FormSpec = {
  name: 'review',
  // What the mentor adds goes to the mentee.
  audience: 'partner',
  steps: { action: { kind: 'choice', options: ['confirm', 'add'] }, addition: { kind: 'text' } },
  next: (step, answer) => (step === 'action' && answer === 'confirm' ? null : undefined),
  vars(ctx) {
    const m = ctx.dialogue.meetingId ? meetingContext(ctx.core, ctx.dialogue.meetingId) : null;
    return { mentee: m ? firstName(m.mentee.name) : '' };
  },
  finish(ctx, a) {
    const { core, person } = ctx;
    const m = meetingContext(core, ctx.dialogue.meetingId!)!;
    const mentee = firstName(m.mentee.name);
    if (a.action === 'confirm') {
      core.db.prepare('UPDATE summaries SET confirmed_at = ? WHERE meeting_id = ?').run(core.clock.now(), m.meeting.id);
      planAnswerToMentee(core, m);
      return [{ text: core.text.t(person.locale, 'review.confirmed', { mentee }) }];
    }
    core.db.prepare('UPDATE summaries SET mentor_addition = ?, confirmed_at = ? WHERE meeting_id = ?').run(a.addition, core.clock.now(), m.meeting.id);
    planAnswerToMentee(core, m);
    return [{ text: core.text.t(person.locale, 'review.added', { mentee }) }];
  },
};

export const reviewFlow = formFlow(reviewForm);

const payload = z.object({ meetingId: z.number().int() });

export const summaryReviewTask: NudgeTask<z.infer<typeof payload>> = {
  kind: SUMMARY_REVIEW,
  opensDialogue: true,
  payload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    const summary = m && summaryText(core, m, person.locale);
    if (!m || !summary) return { drop: 'there is no summary' };
    const mentee = firstName(m.mentee.name);
    const intro = core.text.t(person.locale, 'review.intro', { mentee, when: meetingWhen(core, m.meeting, person) });
    return formNudge(reviewForm, core, person, { meetingId: m.meeting.id }, `${intro}\n\n${summary}`, core.text.t(person.locale, 'review.why', { mentee }));
  },
  delivered({ core, payload, person }) {
    openForm(reviewForm, core, person, { meetingId: payload.meetingId });
  },
};

/** The mentor's answer to the summary, to the mentee: what the mentor added, or that the mentor agrees. */
export const summaryAdditionTask: NudgeTask<z.infer<typeof payload>> = {
  kind: SUMMARY_ADDITION,
  payload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    const row = core.db.prepare('SELECT mentor_addition, confirmed_at FROM summaries WHERE meeting_id = ?').get(payload.meetingId) as
      | { mentor_addition: string | null; confirmed_at: number | null }
      | undefined;
    if (!m || !row?.confirmed_at) return { drop: 'the mentor has not answered the summary' };
    const vars = { mentor: firstName(m.mentor.name), when: meetingWhen(core, m.meeting, person) };
    const why = core.text.t(person.locale, 'review.additionWhy', vars);
    if (row.mentor_addition) return { text: core.text.t(person.locale, 'review.additionNotice', { ...vars, addition: row.mentor_addition }), why };
    return { text: core.text.t(person.locale, 'review.confirmedNotice', vars), why };
  },
};

export const summaryReviewDefinition: FlowDefinition = {
  name: 'review',
  dialogues: [reviewFlow],
  tasks: [summaryReviewTask, summaryAdditionTask],
  stores: ['summaries'],
};
