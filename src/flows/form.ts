/**
 * Most of the season's dialogues are a few questions in a row. A form describes them as data:
 * each step's kind (free text, choice, rating, date and time), its prompt, and which step follows;
 * `finish` stores the answers when the last step is answered, in the same transaction.
 */
import type { Core } from '../core';
import { closeDialogue, moveDialogue, openDialogue, type Dialogue } from '../dialogues';
import type { ChoiceOption, Message } from '../message';
import type { Person } from '../people';
import type { Vars } from '../text/catalog';
import { choiceHelp, MAX_ANSWER_LENGTH, parseChoice, parseTextAnswer } from './answers';
import { parseDateTimeAnswer } from './datetime';
import type { Flow, ReplyContext } from './flow';
import { signpostFor } from './signposting';

export type Answer = string | number | null;
export type Answers = Record<string, Answer>;

export type Step =
  | { kind: 'text'; skippable?: boolean }
  | { kind: 'choice'; options: string[]; labels?: string }
  | { kind: 'rating'; min: number; max: number; labels?: string }
  | { kind: 'datetime'; skippable?: boolean };

export interface FormContext extends ReplyContext {
  dialogue: Pick<Dialogue, 'meetingId' | 'state'>;
}

export interface FormSpec {
  /** The flow's name: its dialogues, its question ids and its prompt keys (`${name}.${step}`). */
  name: string;
  steps: Record<string, Step>;
  /** The step after `step` given its answer; default: the next one listed, then the end. */
  next?(step: string, answer: Answer, answers: Answers, ctx: FormContext): string | null | undefined;
  /** Values for the prompts' placeholders. */
  vars?(ctx: FormContext): Vars;
  /** Optional text before a step's prompt (e.g. the action items under "since last time"). */
  preface?(step: string, ctx: FormContext): string | null;
  /** Checks that the dialogue still has a point (the meeting is still ahead, …); null closes it. */
  stillValid?(ctx: FormContext): boolean;
  finish(ctx: FormContext, answers: Answers): Message[];
}

const subjectId = (d: Pick<Dialogue, 'meetingId' | 'state'>) => d.meetingId ?? (d.state.pairId as number | undefined) ?? 0;

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

/** The message that asks `step`. */
export function askFormStep(spec: FormSpec, ctx: FormContext, step: string): Message {
  const { core, person } = ctx;
  const vars = spec.vars?.(ctx) ?? {};
  const s = spec.steps[step]!;
  const preface = spec.preface?.(step, ctx);
  const prompt = core.text.t(person.locale, `${spec.name}.${step}`, vars);
  const text = preface ? `${preface}\n\n${prompt}` : prompt;
  const id = `${spec.name}.${step}.${subjectId(ctx.dialogue)}`;
  switch (s.kind) {
    case 'text':
      return { text, question: { kind: 'text', id, multiline: true, maxLength: MAX_ANSWER_LENGTH } };
    case 'datetime':
      return { text: `${text}\n${core.text.t(person.locale, 'common.answer.dateHint')}`, question: { kind: 'datetime', id } };
    case 'choice':
    case 'rating':
      return { text, question: { kind: 'choice', id, options: options(core, person, spec, step, vars) } };
  }
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
  const ask = askFormStep(spec, { core, person, dialogue }, Object.keys(spec.steps)[0]!);
  return { ...ask, text: `${intro}\n\n${ask.text}`, why };
}

/** Opens the form's dialogue for the person and returns its first question. */
export function startForm(
  spec: FormSpec,
  core: Core,
  person: Person,
  at: { meetingId?: number | null; state?: Record<string, unknown>; expiresAt?: number | null; step?: string },
): Message {
  const step = at.step ?? Object.keys(spec.steps)[0]!;
  const dialogue = { meetingId: at.meetingId ?? null, state: { ...at.state, answers: {} } };
  openDialogue(core, { personId: person.id, flow: spec.name, step, meetingId: dialogue.meetingId, state: dialogue.state, expiresAt: at.expiresAt ?? null });
  return askFormStep(spec, { core, person, dialogue }, step);
}

type Parsed = { ok: true; value: Answer; extra?: Message } | { ok: false; reply: Message };

function parse(spec: FormSpec, ctx: FormContext, step: string, raw: string): Parsed {
  const { core, person } = ctx;
  const s = spec.steps[step]!;
  switch (s.kind) {
    case 'text': {
      const parsed = parseTextAnswer(core, person.locale, raw, { skippable: !!s.skippable });
      if (!parsed.ok) return parsed;
      return { ok: true, value: parsed.value, extra: parsed.value ? signpostFor(core, person, parsed.value) ?? undefined : undefined };
    }
    case 'datetime':
      return parseDateTimeAnswer(core, person, raw, { skippable: !!s.skippable });
    case 'choice':
    case 'rating': {
      const opts = options(core, person, spec, step, spec.vars?.(ctx) ?? {});
      const choice = parseChoice(raw, opts);
      if (!choice) return { ok: false, reply: choiceHelp(core, person.locale, opts) };
      return { ok: true, value: s.kind === 'rating' ? Number(choice.value) : choice.value };
    }
  }
}

/** A Flow that runs a FormSpec. */
export function formFlow(spec: FormSpec): Flow {
  const order = Object.keys(spec.steps);
  return {
    name: spec.name,
    questionId: (d) => `${spec.name}.${d.step}.${subjectId(d)}`,
    reply(rc, dialogue, raw) {
      const ctx: FormContext = { ...rc, dialogue };
      if (spec.stillValid && !spec.stillValid(ctx)) {
        closeDialogue(rc.core, rc.person.id);
        return [{ text: rc.core.text.t(rc.person.locale, 'common.stale') }];
      }
      const step = dialogue.step;
      const parsed = parse(spec, ctx, step, raw);
      if (!parsed.ok) return [parsed.reply];
      const answers: Answers = { ...(dialogue.state.answers as Answers), [step]: parsed.value };
      const state = { ...dialogue.state, answers };
      const chosen = spec.next?.(step, parsed.value, answers, ctx);
      const next = chosen === undefined ? (order[order.indexOf(step) + 1] ?? null) : chosen;
      const extra = parsed.extra ? [parsed.extra] : [];
      if (next === null) {
        closeDialogue(rc.core, rc.person.id);
        return [...extra, ...spec.finish({ ...ctx, dialogue: { ...dialogue, state } }, answers)];
      }
      moveDialogue(rc.core, rc.person.id, next, state);
      return [...extra, askFormStep(spec, { ...ctx, dialogue: { ...dialogue, state } }, next)];
    },
  };
}
