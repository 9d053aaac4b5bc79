/**
 * Every word a person reads lives in prompts/{da,en}/*.json. A file's keys are namespaced by the
 * file name (prep.json's "say" is "prep.say"). Loaded and validated once at start: both languages
 * must have the same keys and the same {placeholders} in each text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SparringError } from '../errors';
import { projectRoot } from '../paths';
import { locales, type Locale } from './locale';

const fileSchema = z.record(z.string().regex(/^[a-zA-Z][\w.]*$/, 'keys are letters, digits, _ and .'), z.string().min(1, 'must not be empty'));

export type Vars = Record<string, string | number>;

export interface Catalog {
  t(locale: Locale, key: string, vars?: Vars): string;
  has(key: string): boolean;
  keys(locale: Locale): string[];
}

export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export function loadTexts(dir = join(projectRoot(), 'prompts')): Record<Locale, Map<string, string>> {
  const result = {} as Record<Locale, Map<string, string>>;
  for (const locale of locales) {
    const map = new Map<string, string>();
    for (const file of readdirSync(join(dir, locale)).filter((f) => f.endsWith('.json')).sort()) {
      const namespace = file.replace(/\.json$/, '');
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(join(dir, locale, file), 'utf8'));
      } catch (error) {
        throw new SparringError('prompts_invalid', `prompts/${locale}/${file} is not valid JSON`, { cause: error });
      }
      const parsed = fileSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new SparringError('prompts_invalid', `prompts/${locale}/${file}: ${issue.path.join('.') || '(file)'} ${issue.message}`);
      }
      for (const [key, text] of Object.entries(parsed.data)) map.set(`${namespace}.${key}`, text);
    }
    result[locale] = map;
  }
  return result;
}

/** What differs between the languages: keys present in one only, placeholders that do not match. */
export function catalogProblems(texts: Record<Locale, Map<string, string>>): string[] {
  const problems: string[] = [];
  const [first, ...rest] = locales;
  for (const other of rest) {
    for (const key of texts[first].keys()) if (!texts[other].has(key)) problems.push(`${key} is in ${first} but not in ${other}`);
    for (const key of texts[other].keys()) if (!texts[first].has(key)) problems.push(`${key} is in ${other} but not in ${first}`);
    for (const [key, text] of texts[first]) {
      const theirs = texts[other].get(key);
      if (theirs !== undefined && placeholders(text).join() !== placeholders(theirs).join()) {
        problems.push(`${key} has placeholders {${placeholders(text).join('}, {')}} in ${first} but {${placeholders(theirs).join('}, {')}} in ${other}`);
      }
    }
  }
  return problems;
}

export function createCatalog(dir?: string): Catalog {
  const texts = loadTexts(dir);
  const problems = catalogProblems(texts);
  if (problems.length > 0) throw new SparringError('prompts_invalid', `the prompts do not match between languages:\n${problems.join('\n')}`);
  // Each text split once, when first used, at its placeholders: literal, name, literal, … (composing a
  // message fills a dozen texts, and a busy tick composes a thousand messages).
  const split = new Map<string, readonly string[]>();
  return {
    t(locale, key, vars = {}) {
      const text = texts[locale].get(key);
      if (text === undefined) throw new SparringError('prompt_missing', `no text ${key} in ${locale}`);
      if (!text.includes('{')) return text;
      const id = `${locale}:${key}`;
      let parts = split.get(id);
      if (!parts) split.set(id, (parts = text.split(/\{(\w+)\}/)));
      let out = parts[0]!;
      for (let i = 1; i < parts.length; i += 2) {
        const name = parts[i]!;
        out += (name in vars ? String(vars[name]) : `{${name}}`) + parts[i + 1]!;
      }
      return out;
    },
    has: (key) => texts.da.has(key),
    keys: (locale) => [...texts[locale].keys()],
  };
}
