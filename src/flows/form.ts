/**
 * Most of the season's dialogues are a few questions in a row. A form describes them as data:
 * each step's kind (free text, choice, rating, date and time), its prompt, and which step follows;
 * `finish` stores the answers when the last step is answered, in the same transaction. The engine
 * gives every step the same ways out (skip where allowed, not yet, cancel keeping what was answered),
 * shows an earlier answer when a form is filled in again, and confirms doubtful dates first.
 */
import type { Core } from '../core';
import { closeDialogue, moveDialogue, openDialogue, type Dialogue } from '../dialogues';
import type { ChoiceOption, Message } from '../message';
import type { Person } from '../people';
import type { Vars } from '../text/catalog';
import { isWord } from '../conversation/words';
import { choiceHelp, MAX_ANSWER_LENGTH, parseChoice, parseTextAnswer } from './answers';
import { formatWhen, parseDateTimeAnswer, type PendingDate } from './datetime';
import type { Audience, Flow, ReplyContext } from './flow';

export type Answer = string | number | null;
export type Answers = Record<string, Answer>;

type Parsed = { ok: true; value: Answer; note?: Message } | { ok: false; reply: Message };

export type Step =
  /** Free text; `parse` may read it further (e.g. numbers of items ticked off). */
  | { kind: 'text'; skippable?: boolean; parse?(ctx: FormContext, raw: string): Parsed }
  | { kind: 'choice'; options: string[]; labels?: string; skippable?: boolean }
  | { kind: 'rating'; min: number; max: number; labels?: string; skippable?: boolean }
  | { kind: 'datetime'; skippable?: boolean };

export interface FormContext extends ReplyContext {
  dialogue: Pick<Dialogue, 'meetingId' | 'state'> & { id?: number };
}

export interface FormSpec {
  /** The flow's name: its dialogues, its question ids and its prompt keys (`${name}.${step}`). */
  name: string;
  /** Who reads the answers (default private): said honestly when the person writes about a worry. */
  audience?: Audience;
  steps: Record<string, Step>;
  /** The step after `step` given its answer; default: the next one listed, then the end. */
  next?(step: string, answer: Answer, answers: Answers, ctx: FormContext): string | null | undefined;
  /** Values for the prompts' placeholders. */
  vars?(ctx: FormContext): Vars;
  /** Optional text before a step's prompt (e.g. the action items under "since last time"). */
  preface?(step: string, ctx: FormContext): string | null;
  /** Checks that the dialogue still has a point (the meeting is still ahead, …); false closes it. */
  stillValid?(ctx: FormContext): boolean;
  /** The answers given last time the form was filled in: shown again, and kept on "skip". */
  previous?(ctx: FormContext): Answers;
  /** The season's dates, so a booking outside them is confirmed first. */
  season?(ctx: FormContext): { startsOn: string; endsOn: string } | null;
  /** Runs after each accepted answer (e.g. to save it at once). */
  onAnswer?(ctx: FormContext, step: string, value: Answer): void;
  /** The person left the form half-way: keep what they answered. Without it nothing is kept. */
  keep?(ctx: FormContext, answers: Answers): void;
  finish(ctx: FormContext, answers: Answers): Message[];
}

/** A question asked in between: a yes/no about a doubtful date, or the time for a date given alone. */
type Pending = { step: string; kind: 'confirm'; value: number } | { step: string; kind: 'needTime'; date: PendingDate };

export const subjectIdOf = (d: Pick<Dialogue, 'meetingId' | 'state'>) =>
  d.meetingId ?? (d.state.pairId as number | undefined) ?? (d.state.programmeId as number | undefined) ?? 0;

export const formSubject = (spec: Pick<FormSpec, 'name'>, d: Pick<Dialogue, 'meetingId' | 'state'>) => `${spec.name}:${subjectIdOf(d)}`;

function baseId(spec: FormSpec, step: string, d: Pick<Dialogue, 'meetingId' | 'state'>): string {
  return `${spec.name}.${step}.${subjectIdOf(d)}`;
}

function questionIdOf(spec: FormSpec, d: Pick<Dialogue, 'step' | 'meetingId' | 'state'>): string {
  const pending = d.state.pending as Pending | undefined;
  return pending?.kind === 'confirm' ? `${baseId(spec, d.step, d)}.confirm` : baseId(spec, d.step, d);
}

function options(core: Core, person: Person, spec: FormSpec, step: string, vars: Vars): ChoiceOption[] {
  const s = spec.steps[step]!;
  // Option labels are `${flow}.${step}.${value}`, or `${labels}.${value}` when steps share a scale.
  const prefix = ('labels' in s && s.labels) || `${spec.name}.${step}`;
  if (s.kind === 'choice') return s.options.map((value) => ({ value, label: core.text.t(person.locale, `${prefix}.${value}`, vars) }));
  if (s.kind === 'rating') {
    return Array.from({ length: s.max - s.min + 1 }, (_, i) => {
      const value = String(s.min + i);
      const key = `${prefix}.${value}`;
      return { value, label: core.text.has(key) ? `${value} — ${core.text.t(person.locale, key, vars)}` : value };
    });
  }
  return [];
}

const yesNo = (core: Core, person: Person): ChoiceOption[] => [
  { value: 'yes', label: core.text.t(person.locale, 'talk.yes') },
  { value: 'no', label: core.text.t(person.locale, 'talk.no') },
];

function previousOf(spec: FormSpec, ctx: FormContext): Answers {
  return (ctx.dialogue.state.previous as Answers | undefined) ?? {};
}

function showPrevious(core: Core, person: Person, spec: FormSpec, step: string, value: Answer, vars: Vars): string | null {
  if (value === null || value === undefined || value === '') return null;
  const s = spec.steps[step]!;
  let shown = String(value);
  if (s.kind === 'choice' || s.kind === 'rating') shown = options(core, person, spec, step, vars).find((o) => o.value === String(value))?.label ?? shown;
  if (s.kind === 'datetime') return null;
  return core.text.t(person.locale, 'talk.previous', { answer: shown.length > 300 ? `${shown.slice(0, 300)}…` : shown });
}

/** The message that asks `step` (or the question pending inside it). */
export function askFormStep(spec: FormSpec, ctx: FormContext, step: string): Message {
  const { core, person } = ctx;
  const pending = ctx.dialogue.state.pending as Pending | undefined;
  const id = baseId(spec, step, ctx.dialogue);
  if (pending && pending.step === step) {
    if (pending.kind === 'confirm') {
      const text = core.text.t(person.locale, 'talk.date.confirmAgain', { when: formatPendingWhen(ctx, pending.value) });
      return { text, question: { kind: 'choice', id: `${id}.confirm`, options: yesNo(core, person) } };
    }
    return { text: core.text.t(person.locale, 'talk.date.timeAgain'), question: { kind: 'datetime', id } };
  }
  const vars = spec.vars?.(ctx) ?? {};
  const s = spec.steps[step]!;
  const preface = spec.preface?.(step, ctx);
  const prompt = core.text.t(person.locale, `${spec.name}.${step}`, vars);
  const earlier = showPrevious(core, person, spec, step, previousOf(spec, ctx)[step] ?? null, vars);
  const text = [preface, prompt, earlier].filter(Boolean).join('\n\n');
  switch (s.kind) {
    case 'text':
      return { text, question: { kind: 'text', id, multiline: true, maxLength: MAX_ANSWER_LENGTH } };
    case 'datetime':
      return { text: `${text}\n${core.text.t(person.locale, 'dates.hint')}`, question: { kind: 'datetime', id } };
    case 'choice':
    case 'rating':
      return { text, question: { kind: 'choice', id, options: options(core, person, spec, step, vars) } };
  }
}

function formatPendingWhen(ctx: FormContext, at: number): string {
  return formatWhen(at, ctx.person.timezone, ctx.person.locale, ctx.core.clock.now());
}

/**
 * The message of a nudge that starts a form: an introduction, the form's first question, and why it
 * came. The dialogue itself opens when the nudge is delivered (startForm in the task's `delivered`).
 */
export function formNudge(
  spec: FormSpec,
  core: Core,
  person: Person,
  at: { meetingId?: number | null; state?: Record<string, unknown> },
  intro: string,
  why: string,
): Message {
  const dialogue = { meetingId: at.meetingId ?? null, state: { ...at.state, answers: {} } };
  const ctx = { core, person, dialogue };
  const withPrevious = { ...dialogue, state: { ...dialogue.state, previous: spec.previous?.(ctx) ?? {} } };
  const ask = askFormStep(spec, { core, person, dialogue: withPrevious }, Object.keys(spec.steps)[0]!);
  return { ...ask, text: `${intro}\n\n${ask.text}`, why };
}

/** Where and how a form starts: what it is about, until when, at which step, in front of or behind other dialogues. */
export type FormStart = { meetingId?: number | null; state?: Record<string, unknown>; expiresAt?: number | null; step?: string; place?: 'front' | 'back' };

/**
 * Opens the form's dialogue for the person, at its first step (or `at.step`), and returns it. The new
 * dialogue becomes current (the person has just been asked its question, e.g. in the nudge that was
 * delivered); any other open dialogue waits behind it.
 */
export function openForm(spec: FormSpec, core: Core, person: Person, at: FormStart): Dialogue {
  const step = at.step ?? Object.keys(spec.steps)[0]!;
  const base = { meetingId: at.meetingId ?? null, state: { ...at.state, answers: {} as Answers } };
  const previous = spec.previous?.({ core, person, dialogue: base }) ?? {};
  const dialogue = { ...base, state: { ...base.state, previous } };
  return openDialogue(core, {
    personId: person.id,
    flow: spec.name,
    subject: formSubject(spec, dialogue),
    step,
    meetingId: dialogue.meetingId,
    state: dialogue.state,
    expiresAt: at.expiresAt ?? null,
    place: at.place,
  });
}

/** Opens the form's dialogue (see openForm) and returns its first question, to be sent now. */
export function startForm(spec: FormSpec, core: Core, person: Person, at: FormStart): Message {
  const opened = openForm(spec, core, person, at);
  return askFormStep(spec, { core, person, dialogue: opened }, opened.step);
}

function parse(spec: FormSpec, ctx: FormContext, step: string, raw: string): Parsed | { confirm: number; question: string } | { needTime: PendingDate; question: string } {
  const { core, person } = ctx;
  const s = spec.steps[step]!;
  switch (s.kind) {
    case 'text': {
      const parsed = parseTextAnswer(core, person.locale, raw);
      if (!parsed.ok || !s.parse) return parsed;
      const further = s.parse(ctx, parsed.value);
      return further.ok ? { ...further, note: parsed.note } : further;
    }
    case 'datetime': {
      const pending = ctx.dialogue.state.pending as Pending | undefined;
      const pendingDate = pending?.kind === 'needTime' && pending.step === step ? pending.date : null;
      const answer = parseDateTimeAnswer(core, person, raw, { season: spec.season?.(ctx) ?? undefined, pendingDate });
      if (answer.ok === true) return { ok: true, value: answer.value };
      if (answer.ok === 'confirm') return { confirm: answer.value, question: answer.question };
      if (answer.ok === 'needTime') return { needTime: answer.date, question: answer.question };
      return answer;
    }
    case 'choice':
    case 'rating': {
      const opts = options(core, person, spec, step, spec.vars?.(ctx) ?? {});
      const choice = parseChoice(core, raw, opts);
      if (!choice) return { ok: false, reply: choiceHelp(core, person.locale, opts) };
      return { ok: true, value: s.kind === 'rating' ? Number(choice.value) : choice.value };
    }
  }
}

/** A Flow that runs a FormSpec. */
export function formFlow(spec: FormSpec): Flow {
  const order = Object.keys(spec.steps);
  const t = (ctx: ReplyContext, key: string, vars?: Vars) => ctx.core.text.t(ctx.person.locale, key, vars);

  function accept(rc: ReplyContext, dialogue: Dialogue, step: string, value: Answer, notes: Message[]): Message[] {
    const ctx: FormContext = { ...rc, dialogue };
    spec.onAnswer?.(ctx, step, value);
    const answers: Answers = { ...(dialogue.state.answers as Answers), [step]: value };
    const state = { ...dialogue.state, answers, pending: undefined };
    const chosen = spec.next?.(step, value, answers, { ...ctx, dialogue: { ...dialogue, state } });
    const next = chosen === undefined ? (order[order.indexOf(step) + 1] ?? null) : chosen;
    if (next === null) {
      closeDialogue(rc.core, dialogue.id, 'answered');
      return [...notes, ...spec.finish({ ...ctx, dialogue: { ...dialogue, state } }, answers)];
    }
    moveDialogue(rc.core, dialogue.id, next, state);
    return [...notes, askFormStep(spec, { ...ctx, dialogue: { ...dialogue, state } }, next)];
  }

  return {
    name: spec.name,
    audience: spec.audience ?? 'private',
    questionId: (d) => questionIdOf(spec, d),
    questionKind(d) {
      const pending = d.state.pending as Pending | undefined;
      if (pending) return pending.kind === 'confirm' ? 'choice' : 'datetime';
      const s = spec.steps[d.step];
      return !s ? 'text' : s.kind === 'rating' ? 'choice' : s.kind;
    },
    ask: (rc, d) => askFormStep(spec, { ...rc, dialogue: d }, d.step),
    title: (rc, d) => t(rc, `talk.title.${spec.name}`, spec.vars?.({ ...rc, dialogue: d }) ?? {}),
    cancel(rc, d) {
      const answers = Object.fromEntries(Object.entries((d.state.answers as Answers) ?? {}).filter(([, v]) => v !== null && v !== undefined));
      const kept = !!spec.keep && Object.keys(answers).length > 0;
      if (kept) spec.keep!({ ...rc, dialogue: d }, answers);
      closeDialogue(rc.core, d.id, 'cancelled', 'the person left it');
      return kept;
    },
    reply(rc, dialogue, raw) {
      const ctx: FormContext = { ...rc, dialogue };
      if (spec.stillValid && !spec.stillValid(ctx)) {
        closeDialogue(rc.core, dialogue.id, 'stale', 'it no longer had a point');
        return [{ text: t(rc, 'talk.lostPoint', { title: t(rc, `talk.title.${spec.name}`, spec.vars?.(ctx) ?? {}) }) }];
      }
      const step = dialogue.step;
      const s = spec.steps[step]!;
      const pending = dialogue.state.pending as Pending | undefined;
      if (pending?.kind === 'confirm' && pending.step === step) {
        const choice = parseChoice(rc.core, raw, yesNo(rc.core, rc.person));
        if (choice?.value === 'yes') return accept(rc, dialogue, step, pending.value, []);
        if (choice?.value === 'no') {
          const state = { ...dialogue.state, pending: undefined };
          moveDialogue(rc.core, dialogue.id, step, state);
          return [{ ...askFormStep(spec, { ...ctx, dialogue: { ...dialogue, state } }, step), text: t(rc, 'talk.date.other') }];
        }
        // Anything else may be another date: read it as the answer to the step itself.
      }
      if (isWord(rc.core, 'skip', raw)) {
        const earlier = previousOf(spec, ctx)[step];
        if (earlier !== undefined && earlier !== null) return accept(rc, dialogue, step, earlier, [{ text: t(rc, 'talk.keptPrevious') }]);
        if (s.skippable) return accept(rc, dialogue, step, null, []);
        return [{ text: t(rc, 'talk.cannotSkip') }];
      }
      const parsed = parse(spec, ctx, step, raw);
      if ('confirm' in parsed || 'needTime' in parsed) {
        const p: Pending = 'confirm' in parsed ? { step, kind: 'confirm', value: parsed.confirm } : { step, kind: 'needTime', date: parsed.needTime };
        const state = { ...dialogue.state, pending: p };
        moveDialogue(rc.core, dialogue.id, step, state);
        const id = baseId(spec, step, dialogue);
        return [
          'confirm' in parsed
            ? { text: parsed.question, question: { kind: 'choice', id: `${id}.confirm`, options: yesNo(rc.core, rc.person) } }
            : { text: parsed.question, question: { kind: 'datetime', id } },
        ];
      }
      if (!parsed.ok) return [parsed.reply];
      return accept(rc, dialogue, step, parsed.value, parsed.note ? [parsed.note] : []);
    },
  };
}
