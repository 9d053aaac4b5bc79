/**
 * Signposting on everything a person writes, said once per conversation: a kind of help already
 * signposted to the person within the last twelve hours is not repeated on every line. What was
 * said when is kept in memory only (a restart may repeat it once), never in the database.
 */
import type { Core } from '../core';
import { signpostLines, type SignpostKind } from '../flows/signposting';
import type { Person } from '../people';
import { HOUR } from '../time';

const CONVERSATION_MS = 12 * HOUR;

export interface Signposter {
  /** The signposting lines for the text, leaving out what was said in this conversation. */
  check(person: Person, text: string): string[];
}

export function createSignposter(core: Core): Signposter {
  const said = new Map<number, Map<SignpostKind, number>>();
  return {
    check(person, text) {
      const now = core.clock.now();
      const mine = said.get(person.id) ?? new Map<SignpostKind, number>();
      const recent = new Set([...mine].filter(([, at]) => at > now - CONVERSATION_MS).map(([kind]) => kind));
      const { kinds, lines } = signpostLines(core, person, text, recent);
      for (const kind of kinds) mine.set(kind, now);
      if (kinds.length > 0) said.set(person.id, mine);
      return lines;
    },
  };
}
