/** Parsing what a person answers: free text within limits, a choice by number or label. */
import { z } from 'zod';
import type { Core } from '../core';
import type { ChoiceOption, Message } from '../message';
import type { Locale } from '../text/locale';

export const MAX_ANSWER_LENGTH = 2000;

const textAnswer = z.string().trim().min(1, 'empty').max(MAX_ANSWER_LENGTH, 'tooLong');

export type TextAnswer = { ok: true; value: string | null } | { ok: false; reply: Message };

/** A free-text answer: the text, null when the person chose to skip, or a reply saying what was wrong. */
export function parseTextAnswer(core: Core, locale: Locale, raw: string, options: { skippable: boolean }): TextAnswer {
  const trimmed = raw.trim();
  if (options.skippable) {
    const skipWords = core.text.t(locale, 'common.answer.skipWords').split('|');
    if (skipWords.includes(trimmed.toLowerCase())) return { ok: true, value: null };
  }
  const parsed = textAnswer.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problem = parsed.error.issues[0]?.message;
  const text =
    problem === 'tooLong'
      ? core.text.t(locale, 'common.answer.tooLong', { length: trimmed.length.toLocaleString(locale), max: MAX_ANSWER_LENGTH.toLocaleString(locale) })
      : core.text.t(locale, 'common.answer.empty');
  return { ok: false, reply: { text } };
}

/** A choice, given as its value (a button), its label, or its number in the list ("1"), in that order. */
export function parseChoice(raw: string, options: ChoiceOption[]): ChoiceOption | null {
  const s = raw.trim().toLowerCase().replace(/[.)]$/, '');
  const exact = options.find((o) => o.value.toLowerCase() === s || o.label.toLowerCase() === s);
  if (exact) return exact;
  return /^\d+$/.test(s) ? (options[Number(s) - 1] ?? null) : null;
}

export function choiceHelp(core: Core, locale: Locale, options: ChoiceOption[]): Message {
  return { text: core.text.t(locale, 'common.answer.choice', { options: options.map((o, i) => `${i + 1}) ${o.label}`).join('  ') }) };
}
