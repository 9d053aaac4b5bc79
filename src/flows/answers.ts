/** Parsing what a person answers: free text within limits, a choice by number, words, or yes/no. */
import type { Core } from '../core';
import type { ChoiceOption, Message } from '../message';
import type { Locale } from '../text/locale';
import { isWord, wordsOf } from '../conversation/words';

export const MAX_ANSWER_LENGTH = 2000;

export type TextAnswer = { ok: true; value: string; note?: Message } | { ok: false; reply: Message };

/** Cuts a long text at the limit, at a word boundary where there is one near. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const space = head.search(/\s\S*$/);
  return (space > max * 0.8 ? head.slice(0, space) : head).trimEnd();
}

/**
 * A free-text answer. An empty one is asked again; one over the limit is kept up to the limit (never
 * thrown away), and the person is told where it was cut.
 */
export function parseTextAnswer(core: Core, locale: Locale, raw: string): TextAnswer {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return { ok: false, reply: { text: core.text.t(locale, 'talk.answer.empty') } };
  if (trimmed.length <= MAX_ANSWER_LENGTH) return { ok: true, value: trimmed };
  const kept = cutAt(trimmed, MAX_ANSWER_LENGTH);
  const tail = kept.slice(-40).replace(/^\S*\s/, '');
  const text = core.text.t(locale, 'talk.answer.cut', {
    length: trimmed.length.toLocaleString(locale === 'da' ? 'da-DK' : 'en-GB'),
    max: MAX_ANSWER_LENGTH.toLocaleString(locale === 'da' ? 'da-DK' : 'en-GB'),
    end: tail,
  });
  return { ok: true, value: kept, note: { text } };
}

const normalise = (s: string) => s.trim().toLowerCase().replace(/[.!)]+$/, '').replace(/\s+/g, ' ');

/**
 * A choice, given as its value (a button), its label, its number in the list ("1"), a plain yes or no
 * ("ja", "no") when exactly one option starts with that word, or the unique option whose label starts
 * with what was typed. Null when none is clearly meant.
 */
export function parseChoice(core: Core, raw: string, options: ChoiceOption[]): ChoiceOption | null {
  const s = normalise(raw);
  if (s.length === 0) return null;
  const exact = options.find((o) => o.value.toLowerCase() === s || normalise(o.label) === s);
  if (exact) return exact;
  if (/^\d+$/.test(s)) return options[Number(s) - 1] ?? null;
  for (const answer of ['yes', 'no'] as const) {
    if (!isWord(core, answer, s)) continue;
    const words = wordsOf(core, answer);
    const byValue = options.filter((o) => o.value === answer);
    if (byValue.length === 1) return byValue[0]!;
    const byLabel = options.filter((o) => words.some((w) => new RegExp(`^${w}(?![\\p{L}])`, 'iu').test(o.label.trim())));
    return byLabel.length === 1 ? byLabel[0]! : null;
  }
  if (s.length >= 3) {
    const prefixed = options.filter((o) => normalise(o.label).startsWith(s));
    if (prefixed.length === 1) return prefixed[0]!;
  }
  return null;
}

export function choiceHelp(core: Core, locale: Locale, options: ChoiceOption[]): Message {
  return { text: core.text.t(locale, 'talk.answer.choice', { options: options.map((o, i) => `${i + 1}) ${o.label}`).join('  ') }) };
}
