/**
 * The preparation dialogue: the four questions of the programme (say, hear, achieve, since last
 * time), one at a time, the agreed steps ticked off, then the mentee's choice whether the mentor may
 * see the answers. Each answer is saved as it is given; preparing again shows the earlier answers and
 * keeps them on "skip". An agenda already shared reaches the mentor again only if shared again.
 */
import type { Core } from '../../core';
import type { Message } from '../../message';
import { firstName, type Person } from '../../people';
import { meetingSubject } from '../../meetings';
import { planNudge } from '../../scheduler/nudges';
import { askFormStep, formFlow, openForm, type Answers, type FormContext, type FormSpec } from '../form';
import type { Dialogue } from '../../dialogues';
import { isUpcoming, meetingContext, meetingWhen, type MeetingContext } from '../meeting-context';
import { PREP_AGENDA } from './plan';
import { beginPrep, completePrep, getPrep, saveAnswer, type PrepQuestion } from './store';

function openActionItems(core: Core, ctx: MeetingContext): { id: number; text: string }[] {
  return core.db
    .prepare('SELECT id, text FROM action_items WHERE pair_id = ? AND done_at IS NULL AND owner_id = ? ORDER BY created_at, id')
    .all(ctx.pair.id, ctx.mentee.id) as { id: number; text: string }[];
}

/** "1 3", "all", "none" (in either language) as the items ticked off; null if not that shape. */
export function parseTicks(core: Core, raw: string, count: number): number[] | null {
  const text = raw.trim().toLowerCase();
  const word = (key: string) => (['da', 'en'] as const).some((l) => core.text.t(l, key).toLowerCase() === text);
  if (word('prep.ticks.all')) return Array.from({ length: count }, (_, i) => i + 1);
  if (word('prep.ticks.none')) return [];
  const numbers = text.split(/[\s,;]+|\bog\b|\band\b/).filter(Boolean).map(Number);
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > count)) return null;
  return [...new Set(numbers)];
}

function hasEarlierMeeting(core: Core, ctx: MeetingContext): boolean {
  return !!core.db
    .prepare("SELECT 1 FROM meetings WHERE pair_id = ? AND starts_at < ? AND status IN ('booked', 'held') LIMIT 1")
    .get(ctx.pair.id, ctx.meeting.startsAt);
}

const context = (ctx: FormContext) => (ctx.dialogue.meetingId === null ? null : meetingContext(ctx.core, ctx.dialogue.meetingId));

function afterQuestions(ctx: FormContext): string {
  const m = context(ctx);
  return m && openActionItems(ctx.core, m).length > 0 ? 'ticks' : 'share';
}

export const prepForm: FormSpec = {
  name: 'prep',
  audience: 'choice',
  steps: {
    say: { kind: 'text', skippable: true },
    hear: { kind: 'text', skippable: true },
    achieve: { kind: 'text', skippable: true },
    since: { kind: 'text', skippable: true },
    sinceFirst: { kind: 'text', skippable: true },
    ticks: {
      kind: 'text',
      parse(ctx, raw) {
        const m = context(ctx);
        const count = m ? openActionItems(ctx.core, m).length : 0;
        const ticked = parseTicks(ctx.core, raw, count);
        if (!ticked) return { ok: false, reply: { text: ctx.core.text.t(ctx.person.locale, 'prep.ticks.usage', { count }) } };
        return { ok: true, value: ticked.join(' ') };
      },
    },
    share: { kind: 'choice', options: ['yes', 'no'] },
  },
  next(step, _answer, _answers, ctx) {
    const m = context(ctx);
    if (step === 'achieve') return m && hasEarlierMeeting(ctx.core, m) ? 'since' : 'sinceFirst';
    if (step === 'since' || step === 'sinceFirst') return afterQuestions(ctx);
    return undefined;
  },
  vars(ctx) {
    const m = context(ctx);
    return { mentor: m ? firstName(m.mentor.name) : '', when: m ? meetingWhen(ctx.core, m.meeting, ctx.person) : '' };
  },
  preface(step, ctx) {
    const m = context(ctx);
    if (!m || (step !== 'since' && step !== 'ticks')) return null;
    const items = openActionItems(ctx.core, m);
    if (items.length === 0) return null;
    return ctx.core.text.t(ctx.person.locale, 'prep.sinceItems', { items: items.map((i, n) => `${n + 1}. ${i.text}`).join('\n') });
  },
  stillValid(ctx) {
    const m = context(ctx);
    return !!m && isUpcoming(ctx.core, m.meeting) && m.pair.status === 'active';
  },
  previous(ctx): Answers {
    const prep = ctx.dialogue.meetingId === null ? null : getPrep(ctx.core, ctx.dialogue.meetingId);
    if (!prep) return {};
    const a = prep.answers;
    return { say: a.say ?? null, hear: a.hear ?? null, achieve: a.achieve ?? null, since: a.since ?? null, sinceFirst: a.since ?? null };
  },
  onAnswer(ctx, step, value) {
    const m = context(ctx)!;
    if (step === 'ticks') {
      const items = openActionItems(ctx.core, m);
      const done = String(value ?? '').split(' ').filter(Boolean).map(Number);
      for (const n of done) ctx.core.db.prepare('UPDATE action_items SET done_at = ? WHERE id = ?').run(ctx.core.clock.now(), items[n - 1]!.id);
      return;
    }
    if (step === 'share') return;
    const question: PrepQuestion = step === 'sinceFirst' ? 'since' : (step as PrepQuestion);
    saveAnswer(ctx.core, m.meeting.id, question, value === null ? null : String(value));
  },
  keep() {
    // Every answer was saved as it was given.
  },
  finish(ctx, a) {
    return finish(ctx.core, ctx.person, context(ctx)!, a.share === 'yes');
  },
};

function finish(core: Core, person: Person, m: MeetingContext, shared: boolean): Message[] {
  completePrep(core, m.meeting.id, shared);
  if (shared) {
    planNudge(
      core.db,
      {
        key: `${PREP_AGENDA}:${m.meeting.id}:${core.clock.now()}`,
        kind: PREP_AGENDA,
        personId: m.mentor.id,
        subject: meetingSubject(m.meeting.id),
        payload: { meetingId: m.meeting.id },
        dueAt: core.clock.now(),
        expiresAt: m.meeting.startsAt,
      },
      core.clock.now(),
    );
    core.wake();
  }
  const when = meetingWhen(core, m.meeting, person);
  return [{ text: core.text.t(person.locale, shared ? 'prep.done.shared' : 'prep.done.private', { mentor: firstName(m.mentor.name), when }) }];
}

export const prepFlow = formFlow(prepForm);

/** Opens the prep dialogue for a meeting at its first question (the mentee has just been asked it). */
export function openPrep(core: Core, m: MeetingContext, place?: 'front' | 'back'): Dialogue {
  beginPrep(core, m.meeting.id);
  return openForm(prepForm, core, m.mentee, { meetingId: m.meeting.id, expiresAt: m.meeting.startsAt, place });
}

/** Opens the prep dialogue for a meeting at its first question, and returns that question. */
export function openPrepDialogue(core: Core, m: MeetingContext, place?: 'front' | 'back'): Message {
  const opened = openPrep(core, m, place);
  return askFormStep(prepForm, { core, person: m.mentee, dialogue: opened }, opened.step);
}
