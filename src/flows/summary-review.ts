/** The mentee's summary goes to the mentor, who confirms it or adds a point; an addition goes back. */
import { z } from 'zod';
import type { Core } from '../core';
import type { NudgeTask } from '../scheduler/task';
import { formFlow, formNudge, startForm, type FormSpec } from './form';
import { meetingContext, meetingWhen, type MeetingContext } from './meeting-context';
import { plan } from './plan';

export const SUMMARY_REVIEW = 'summary.review';
export const SUMMARY_ADDITION = 'summary.addition';

function summaryText(core: Core, m: MeetingContext, locale: 'da' | 'en'): string | null {
  const summary = core.db.prepare('SELECT points FROM summaries WHERE meeting_id = ?').get(m.meeting.id) as { points: string } | undefined;
  if (!summary) return null;
  const items = core.db.prepare('SELECT owner_id, text FROM action_items WHERE meeting_id = ? ORDER BY id').all(m.meeting.id) as { owner_id: number; text: string }[];
  const owner = (id: number) => (id === m.mentee.id ? m.mentee.name : m.mentor.name);
  const lines = [core.text.t(locale, 'review.points', { points: summary.points })];
  if (items.length > 0) lines.push(core.text.t(locale, 'review.steps'), ...items.map((i) => `• ${owner(i.owner_id)}: ${i.text}`));
  return lines.join('\n');
}

const reviewForm: FormSpec = {
  name: 'review',
  steps: { action: { kind: 'choice', options: ['confirm', 'add'] }, addition: { kind: 'text' } },
  next: (step, answer) => (step === 'action' && answer === 'confirm' ? null : undefined),
  vars(ctx) {
    const m = ctx.dialogue.meetingId ? meetingContext(ctx.core, ctx.dialogue.meetingId) : null;
    return { mentee: m?.mentee.name ?? '' };
  },
  finish(ctx, a) {
    const { core, person } = ctx;
    const m = meetingContext(core, ctx.dialogue.meetingId!)!;
    if (a.action === 'confirm') {
      core.db.prepare('UPDATE summaries SET confirmed_at = ? WHERE meeting_id = ?').run(core.clock.now(), m.meeting.id);
      return [{ text: core.text.t(person.locale, 'review.confirmed', { mentee: m.mentee.name }) }];
    }
    core.db.prepare('UPDATE summaries SET mentor_addition = ?, confirmed_at = ? WHERE meeting_id = ?').run(a.addition, core.clock.now(), m.meeting.id);
    plan(core, { key: `${SUMMARY_ADDITION}:${m.meeting.id}:${core.clock.now()}`, kind: SUMMARY_ADDITION, personId: m.mentee.id, payload: { meetingId: m.meeting.id }, dueAt: core.clock.now() });
    core.wake();
    return [{ text: core.text.t(person.locale, 'review.added', { mentee: m.mentee.name }) }];
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
    const intro = core.text.t(person.locale, 'review.intro', { mentee: m.mentee.name, when: meetingWhen(m.meeting, person) });
    return formNudge(reviewForm, core, person, { meetingId: m.meeting.id }, `${intro}\n\n${summary}`, core.text.t(person.locale, 'review.why', { mentee: m.mentee.name }));
  },
  delivered({ core, payload, person }) {
    startForm(reviewForm, core, person, { meetingId: payload.meetingId });
  },
};

export const summaryAdditionTask: NudgeTask<z.infer<typeof payload>> = {
  kind: SUMMARY_ADDITION,
  payload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    const row = core.db.prepare('SELECT mentor_addition FROM summaries WHERE meeting_id = ?').get(payload.meetingId) as { mentor_addition: string | null } | undefined;
    if (!m || !row?.mentor_addition) return { drop: 'no addition' };
    return {
      text: core.text.t(person.locale, 'review.additionNotice', { mentor: m.mentor.name, when: meetingWhen(m.meeting, person), addition: row.mentor_addition }),
      why: core.text.t(person.locale, 'review.additionWhy', { mentor: m.mentor.name }),
    };
  },
};
