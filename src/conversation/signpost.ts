/**
 * Signposting on everything a person writes, said once per conversation: a kind of help already
 * signposted to the person within the last twelve hours is not repeated on every line. What was
 * said when is kept in memory only (a restart may repeat it once), never in the database.
 */
import type { Core } from '../core';
import { signpostKinds, signpostLines, type SignpostKind } from '../flows/signposting';
import type { Person } from '../people';
import { HOUR } from '../time';

const CONVERSATION_MS = 12 * HOUR;

export interface Signpost {
  /** The signposting lines, leaving out what was said in this conversation. */
  lines: string[];
  /** The text speaks of a worry (new or already signposted in this conversation). */
  worry: boolean;
}

export interface Signposter {
  check(person: Person, text: string): Signpost;
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
      const worry = kinds.length > 0 || (recent.size > 0 && signpostKinds(core, text).length > 0 && isMentee(core, person.id));
      return { lines, worry };
    },
  };
}

function isMentee(core: Core, personId: number): boolean {
  return !!core.db.prepare("SELECT 1 FROM participants WHERE person_id = ? AND role = 'mentee' LIMIT 1").get(personId);
}
