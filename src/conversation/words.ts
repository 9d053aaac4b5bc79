/**
 * The small words of a conversation: skip, not yet, cancel, yes, no. Both languages' words work for
 * everyone (a Danish student may well type "skip"); the lists live in prompts/{da,en}/talk.json.
 */
import type { Core } from '../core';
import { locales } from '../text/locale';

export type Word = 'skip' | 'notYet' | 'cancel' | 'yes' | 'no';

const cache = new WeakMap<object, Map<Word, string[]>>();

/** Every spelling of the word, in every language, lower case. */
export function wordsOf(core: Core, word: Word): string[] {
  let byWord = cache.get(core.text);
  if (!byWord) cache.set(core.text, (byWord = new Map()));
  let list = byWord.get(word);
  if (!list) {
    list = [...new Set(locales.flatMap((l) => core.text.t(l, `talk.words.${word}`).split('|').map((w) => w.trim().toLowerCase())))];
    byWord.set(word, list);
  }
  return list;
}

/** True when the whole text is that word ("Spring over.", "ikke endnu!", "NO"). */
export function isWord(core: Core, word: Word, text: string): boolean {
  const s = text.trim().toLowerCase().replace(/[.!?]+$/, '').replace(/\s+/g, ' ');
  return wordsOf(core, word).includes(s);
}
