/**
 * Starting and closing a programme. Starting releases the welcome and the introductions at once,
 * even before the season's first day; closing ends every pair and cancels everything still planned.
 */
import type { Core } from '../core';
import { InputError } from '../errors';
import { inTransaction } from '../store/database';
import type { Programme } from './programmes';

export function startProgramme(core: Core, programme: Programme): number {
  return inTransaction(core.db, () => {
    const row = core.db.prepare('SELECT status FROM programmes WHERE id = ?').get(programme.id) as { status: string };
    if (row.status === 'closed') throw new InputError(`"${programme.name}" is closed`);
    core.db.prepare("UPDATE programmes SET status = 'running' WHERE id = ?").run(programme.id);
    const now = core.clock.now();
    const released = core.db
      .prepare(
        `UPDATE nudges SET due_at = ? WHERE status = 'pending' AND due_at > ? AND kind IN ('onboarding.welcome', 'intro.match')
           AND person_id IN (SELECT person_id FROM participants WHERE programme_id = ?)`,
      )
      .run(now, now, programme.id).changes;
    core.wake();
    return released;
  });
}

export function closeProgramme(core: Core, programme: Programme): { pairs: number; nudges: number } {
  return inTransaction(core.db, () => {
    const now = core.clock.now();
    const pairs = core.db.prepare("UPDATE pairs SET status = 'ended', ended_at = ? WHERE programme_id = ? AND status = 'active'").run(now, programme.id).changes;
    core.db.prepare("UPDATE meetings SET status = 'cancelled' WHERE status = 'booked' AND starts_at > ? AND pair_id IN (SELECT id FROM pairs WHERE programme_id = ?)").run(now, programme.id);
    const nudges = core.db
      .prepare(
        `UPDATE nudges SET status = 'cancelled', outcome_note = 'programme closed' WHERE status = 'pending'
           AND (subject = ? OR subject IN (SELECT 'pair:' || id FROM pairs WHERE programme_id = ?) OR subject IN (SELECT 'pair:' || id || ':quiet' FROM pairs WHERE programme_id = ?)
                OR subject IN (SELECT 'meeting:' || m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.programme_id = ?)
                OR (kind = 'onboarding.welcome' AND person_id IN (SELECT person_id FROM participants WHERE programme_id = ?)))`,
      )
      .run(`survey:${programme.id}`, programme.id, programme.id, programme.id, programme.id).changes;
    core.db.prepare("UPDATE programmes SET status = 'closed', closed_at = ? WHERE id = ?").run(now, programme.id);
    core.db.prepare('DELETE FROM dialogues WHERE person_id IN (SELECT person_id FROM participants WHERE programme_id = ?)').run(programme.id);
    return { pairs, nudges };
  });
}
