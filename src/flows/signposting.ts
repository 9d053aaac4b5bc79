/**
 * Signposting: when a mentee writes about study rules or exams, or about stress, anxiety and the
 * like, in or out of a question, the bot answers privately with the programme's contacts, kindly, and
 * the dialogue goes on.
 * Only a count is kept: no person, no text.
 */
import type { Core } from '../core';
import type { Person } from '../people';
import { getProgramme } from '../programme/programmes';
import { locales } from '../text/locale';
import { mentorWorryLines } from './mentor-worry';

export type SignpostKind = 'wellbeing' | 'study';
const kinds: SignpostKind[] = ['wellbeing', 'study'];

/** A keyword list ("exam|stress*") as one pattern: whole words, and a trailing * for a stem (compiled once per list). */
function pattern(words: string): RegExp {
  let compiled = patterns.get(words);
  if (!compiled) patterns.set(words, (compiled = compile(words)));
  return compiled;
}

const patterns = new Map<string, RegExp>();

function compile(words: string): RegExp {
  const alternatives = words.split('|').map((w) => {
    const stem = w.endsWith('*');
    const literal = (stem ? w.slice(0, -1) : w).replace(/[.*+?^${}()[\]\\]/g, '\\$&');
    // "har det svært med at prioritere", "har det dårligt med at aflyse": a phrase followed by med/ved is about a task, not a worry.
    const notATask = w.includes(' ') ? '(?!\\s+(?:med|ved)(?!\\p{L}))' : '';
    return (stem ? `${literal}\\p{L}*` : literal) + notATask;
  });
  return new RegExp(`(?<!\\p{L})(?:${alternatives.join('|')})(?!\\p{L})`, 'iu');
}

/** Which kinds of help the text touches, from the keyword lists of every language. */
export function signpostKinds(core: Core, text: string): SignpostKind[] {
  // A phone writes "can’t" with a typographic apostrophe; the lists spell it "can't".
  const plain = text.replace(/[’‘]/g, "'");
  return kinds.filter((kind) => locales.some((locale) => pattern(core.text.t(locale, `signpost.${kind}.words`)).test(plain)));
}

/**
 * The signposting lines for what a mentee wrote, for the kinds not in `already` (said earlier in the
 * same conversation); each kind signposted is counted for the programme, with no person and no text.
 */
export function signpostLines(core: Core, person: Person, text: string, already: ReadonlySet<SignpostKind> = new Set()): { kinds: SignpostKind[]; lines: string[] } {
  // Most of what people write touches no worry: the words are looked at before the database.
  const found = signpostKinds(core, text).filter((k) => !already.has(k));
  if (found.length === 0) return { kinds: [], lines: [] };
  const mentee = core.db
    .prepare("SELECT programme_id FROM participants WHERE person_id = ? AND role = 'mentee' ORDER BY joined_at DESC LIMIT 1")
    .get(person.id) as { programme_id: number } | undefined;
  if (!mentee) {
    // A mentor meeting a worry gets guidance of their own (src/flows/mentor-worry.ts); nothing is counted.
    const lines = mentorWorryLines(core, person, found);
    return lines.length > 0 ? { kinds: found, lines } : { kinds: [], lines: [] };
  }
  const { contacts } = getProgramme(core, mentee.programme_id).settings;
  const contact = { study: contacts.studyCounselling, wellbeing: contacts.wellbeing };
  const lines = found.map((kind) =>
    core.text.t(person.locale, `signpost.${kind}`, { contact: contact[kind] ?? core.text.t(person.locale, `signpost.${kind}.contact`) }),
  );
  for (const kind of found) {
    core.db.prepare('INSERT INTO signposts (programme_id, kind, created_at) VALUES (?, ?, ?)').run(mentee.programme_id, kind, core.clock.now());
  }
  return { kinds: found, lines };
}
