/**
 * The words that name commands, in Danish and English, from prompts/{da,en}/commands.json. Both
 * languages' words work for everyone; help lists each command by the reader's own word.
 */
import type { Core } from '../core';
import type { Locale } from '../text/locale';
import { locales } from '../text/locale';

export interface Resolved {
  name: string;
  args: string[];
}

const split = (s: string) => s.split('|').map((w) => w.trim().toLowerCase()).filter(Boolean);

/** The reader's own word for a command (the first in their language's list). */
export function commandWord(core: Pick<Core, 'text'>, locale: Locale, name: string): string {
  return split(core.text.t(locale, `commands.${name}.words`))[0] ?? name;
}

/** The command with its arguments as the reader would type it ("actions done 1" → "skridt klaret 1"). */
export function commandPhrase(core: Pick<Core, 'text'>, locale: Locale, name: string, args: readonly string[]): string {
  const words = args.map((arg) => {
    const key = `commands.${name}.arg.${arg.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}`;
    return core.text.has(key) ? (split(core.text.t(locale, key))[0] ?? arg) : arg;
  });
  return [commandWord(core, locale, name), ...words].join(' ');
}

/** The spellings of a list of command names: by spelling (first name wins), and their lengths in words. */
interface Spellings {
  byText: Map<string, string>;
  /** The distinct lengths in words, longest first (so "mine data" wins over "mine"). */
  lengths: number[];
}

/** Spellings per catalogue and list of names: the texts do not change while the bot runs. */
const spellingCache = new WeakMap<object, Map<string, Spellings>>();

/** Every spelling of a command's name, in either language. */
function spellings(core: Core, names: readonly string[]): Spellings {
  let byNames = spellingCache.get(core.text);
  if (!byNames) spellingCache.set(core.text, (byNames = new Map()));
  const key = names.join(',');
  let found = byNames.get(key);
  if (!found) byNames.set(key, (found = computeSpellings(core, names)));
  return found;
}

function computeSpellings(core: Core, names: readonly string[]): Spellings {
  const byText = new Map<string, string>();
  const add = (spelling: string, name: string) => {
    if (!byText.has(spelling)) byText.set(spelling, name);
  };
  for (const name of names) {
    add(name, name);
    for (const locale of locales) for (const w of split(core.text.t(locale, `commands.${name}.words`))) add(w, name);
  }
  const lengths = [...new Set([...byText.keys()].map((s) => s.split(' ').length))].sort((a, b) => b - a);
  return { byText, lengths };
}

/** An argument word in either language as the command's own ("klaret" → "done", "dansk" → "da"). */
function translateArg(core: Core, name: string, arg: string): string {
  const lower = arg.toLowerCase();
  for (const key of core.text.keys('da').filter((k) => k.startsWith(`commands.${name}.arg.`))) {
    // Keys are camelCase ("atRisk"); the command reads its argument in kebab case ("at-risk").
    const canonical = key.slice(`commands.${name}.arg.`.length).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (lower === canonical || locales.some((l) => split(core.text.t(l, key)).includes(lower))) return canonical;
  }
  return arg;
}

/**
 * The command a text starts with, if any: "/mentor pause 3", "pause 3", "Hjælp", "skridt klaret 1",
 * "mine data". Null when the first words name no command.
 */
export function resolveCommand(core: Core, names: readonly string[], text: string): Resolved | null {
  const words = text.trim().replace(/^\/mentor\b/i, '').replace(/^\//, '').trim().split(/\s+/).filter(Boolean);
  const lower = words.map((w) => w.toLowerCase().replace(/[.!?]+$/, ''));
  const { byText, lengths } = spellings(core, names);
  for (const n of lengths) {
    if (lower.length < n) continue;
    const name = byText.get(lower.slice(0, n).join(' '));
    if (name === undefined) continue;
    let resolved = name;
    const args = words.slice(n).map((a) => translateArg(core, name, a));
    // Danish "par @navn" is one pair; "par" alone is the list.
    if (name === 'pairs' && args.some((a) => a.startsWith('@') || a.startsWith('<@'))) resolved = 'pair';
    return { name: resolved, args };
  }
  return null;
}
