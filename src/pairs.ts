import type { Core } from './core';
import { firstName, getPerson } from './people';
import { cachedRead } from './store/read-cache';

export interface Pair {
  id: number;
  programmeId: number;
  menteeId: number;
  mentorId: number;
  status: 'active' | 'ended';
}

const columns = 'id, programme_id AS programmeId, mentee_id AS menteeId, mentor_id AS mentorId, status';

export function createPair(core: Core, programmeId: number, menteeId: number, mentorId: number): number {
  const { lastInsertRowid } = core.db
    .prepare('INSERT INTO pairs (programme_id, mentee_id, mentor_id, matched_at) VALUES (?, ?, ?, ?)')
    .run(programmeId, menteeId, mentorId, core.clock.now());
  return Number(lastInsertRowid);
}

export function getPair(core: Core, id: number): Pair | null {
  return cachedRead(core.db, 'pair', ['pairs'], id, () => (core.db.prepare(`SELECT ${columns} FROM pairs WHERE id = ?`).get(id) as Pair | undefined) ?? null);
}

/** The active pairs a person is in, as mentee or as mentor. */
export function activePairsOf(core: Core, personId: number): Pair[] {
  return core.db
    .prepare(`SELECT ${columns} FROM pairs WHERE status = 'active' AND (mentee_id = ? OR mentor_id = ?) ORDER BY matched_at`)
    .all(personId, personId) as Pair[];
}

/** The name of the other person in the pair. */
/** The partner's first name: people are named by first name in chat. */
export function partnerName(core: Core, pair: Pair, personId: number): string {
  return firstName(getPerson(core, pair.menteeId === personId ? pair.mentorId : pair.menteeId)?.name ?? '?');
}
