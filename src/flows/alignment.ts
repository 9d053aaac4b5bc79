/**
 * Expectation alignment before the first meeting: the goals (what help is asked for and offered,
 * which topics) and the terms (what we expect of each other, where and how often, who takes notes,
 * how we give feedback, how we cancel). The answers become the pair's agreement, which both see.
 * Each line of what the mentee wants help with becomes one of the pair's goals (goals.ts), which the
 * mentee rates privately at the check-in and at the end.
 */
import { z } from 'zod';
import type { Command } from '../commands/command';
import type { Core } from '../core';
import { meetingSubject } from '../meetings';
import { activePairsOf, getPair, partnerName, type Pair } from '../pairs';
import { firstName, getPerson, type Person } from '../people';
import type { NudgeTask } from '../scheduler/task';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, startForm, type Answers, type FormContext, type FormSpec } from './form';
import { syncGoals } from './goals';
import { withMeeting, type MeetingContext } from './meeting-context';
import { plan } from './plan';

export const ALIGN_ASK = 'align.ask';

function save(ctx: FormContext, a: Answers): void {
  const stmt = ctx.core.db.prepare(
    `INSERT INTO agreements (pair_id, author_id, item, answer, answered_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (pair_id, author_id, item) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at`,
  );
  for (const [item, answer] of Object.entries(a)) stmt.run(ctx.dialogue.state.pairId, ctx.person.id, item, answer === null ? null : String(answer), ctx.core.clock.now());
  if ('help' in a) syncGoals(ctx.core, ctx.dialogue.state.pairId as number, a.help === null ? null : String(a.help));
}

const otherName = (ctx: FormContext) => {
  const pair = getPair(ctx.core, ctx.dialogue.state.pairId as number);
  return pair ? partnerName(ctx.core, pair, ctx.person.id) : '';
};

/** The person's own part of the agreement as it stands: shown again when they edit it, kept on "skip". */
function previous(ctx: FormContext): Answers {
  const rows = ctx.core.db.prepare('SELECT item, answer FROM agreements WHERE pair_id = ? AND author_id = ?').all(ctx.dialogue.state.pairId, ctx.person.id) as {
    item: string;
    answer: string | null;
  }[];
  return Object.fromEntries(rows.map((r) => [r.item, r.answer]));
}

/** Shared with the partner, answered step by step: what was answered is kept if the person stops half-way. */
const common = { audience: 'partner' as const, previous, keep: save };

const menteeForm: FormSpec = {
  ...common,
  name: 'align',
  steps: {
    help: { kind: 'text', skippable: true },
    topics: { kind: 'text', skippable: true },
    expect: { kind: 'text', skippable: true },
    where: { kind: 'text', skippable: true },
    notes: { kind: 'choice', options: ['mentee', 'mentor', 'both', 'none'] },
    feedback: { kind: 'text', skippable: true },
    cancel: { kind: 'text', skippable: true },
  },
  vars: (ctx) => ({ other: otherName(ctx) }),
  finish(ctx, a) {
    save(ctx, a);
    return [{ text: ctx.core.text.t(ctx.person.locale, 'align.done', { other: otherName(ctx) }) }];
  },
};

const mentorForm: FormSpec = {
  ...common,
  name: 'alignMentor',
  steps: { offer: { kind: 'text', skippable: true }, expect: { kind: 'text', skippable: true }, feedback: { kind: 'text', skippable: true } },
  vars: (ctx) => ({ other: otherName(ctx) }),
  finish(ctx, a) {
    save(ctx, a);
    return [{ text: ctx.core.text.t(ctx.person.locale, 'align.done', { other: otherName(ctx) }) }];
  },
};

export const alignFlows = [formFlow(menteeForm), formFlow(mentorForm)];

const payload = z.object({ pairId: z.number().int(), meetingId: z.number().int() });

export const alignTask: NudgeTask<z.infer<typeof payload>> = {
  kind: ALIGN_ASK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    if (core.db.prepare('SELECT 1 FROM agreements WHERE pair_id = ? AND author_id = ?').get(pair.id, person.id)) return { drop: 'already aligned' };
    const isMentee = person.id === pair.menteeId;
    const form = isMentee ? menteeForm : mentorForm;
    const other = otherName({ core, person, dialogue: { meetingId: null, state: { pairId: pair.id } } });
    const intro = core.text.t(person.locale, isMentee ? 'align.intro.mentee' : 'align.intro.mentor', { other });
    return formNudge(form, core, person, { state: { pairId: pair.id } }, intro, core.text.t(person.locale, 'align.why'));
  },
  delivered({ core, payload, person }) {
    const pair = getPair(core, payload.pairId)!;
    openForm(person.id === pair.menteeId ? menteeForm : mentorForm, core, person, { state: { pairId: pair.id } });
  },
};

/** When the pair's first meeting is booked: alignment for both, now. */
export function planAlignment(core: Core, m: MeetingContext): void {
  const earlier = core.db.prepare("SELECT 1 FROM meetings WHERE pair_id = ? AND id <> ? AND status IN ('booked', 'held') AND starts_at < ?").get(m.pair.id, m.meeting.id, m.meeting.startsAt);
  if (earlier) return;
  for (const person of [m.mentee, m.mentor]) {
    plan(core, {
      key: `${ALIGN_ASK}:${m.pair.id}:${person.id}`,
      kind: ALIGN_ASK,
      personId: person.id,
      subject: meetingSubject(m.meeting.id),
      payload: { pairId: m.pair.id, meetingId: m.meeting.id },
      dueAt: core.clock.now(),
      expiresAt: m.meeting.startsAt,
    });
  }
}

/** The agreement as both of them see it. */
export function agreementText(core: Core, pair: Pair, reader: Person): string {
  const rows = core.db.prepare('SELECT author_id, item, answer FROM agreements WHERE pair_id = ? ORDER BY answered_at, rowid').all(pair.id) as { author_id: number; item: string; answer: string | null }[];
  const t = (key: string, vars = {}) => core.text.t(reader.locale, key, vars);
  if (rows.length === 0) return t('align.none');
  const lines = [t('align.header')];
  for (const r of rows) {
    if (r.answer === null) continue;
    const author = firstName(getPerson(core, r.author_id)!.name);
    const answer = r.item === 'notes' ? t(`align.notesShown.${r.answer}`) : r.answer;
    lines.push(`• *${t(`align.item.${r.item}`)}* (${author}): ${answer}`);
  }
  return lines.join('\n');
}

export const agreementCommand: Command = {
  name: 'agreement',
  readOnly: (args) => args.length === 0,
  accepts: (args) => args.length === 0 || (args.length === 1 && args[0]!.toLowerCase() === 'edit'),
  for: ['mentee', 'mentor'],
  run({ core, person }, args) {
    const pair = activePairsOf(core, person.id)[0];
    if (!pair) return [{ text: core.text.t(person.locale, 'common.notParticipant') }];
    // `agreement edit`: revisit your part of it, e.g. when the mentee's needs have changed.
    if ((args[0] ?? '').toLowerCase() === 'edit') {
      return [startForm(person.id === pair.menteeId ? menteeForm : mentorForm, core, person, { state: { pairId: pair.id } })];
    }
    return [{ text: `${agreementText(core, pair, person)}\n\n${core.text.t(person.locale, 'align.editHint')}` }];
  },
};

export const alignmentDefinition: FlowDefinition = {
  name: 'alignment',
  dialogues: alignFlows,
  tasks: [alignTask],
  commands: [agreementCommand],
  on: { 'meeting.booked': withMeeting(planAlignment), 'meeting.moved': withMeeting(planAlignment) },
  stores: ['agreements'],
};
