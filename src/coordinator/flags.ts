/**
 * Flags: what the coordinator is told about a pair at risk, kept so it can be acknowledged or
 * resolved with a private note (the coordinator's own words, never shown to a participant).
 *
 * The reasons come from risk.ts, derived from the pair's facts whenever flags are synced: by the
 * daily sweep, when a meeting changes, at once when a check-in or a request for help comes in, and
 * whenever flags are asked for (status, pairs at-risk, the desk). Rules:
 * - one live flag per pair and reason: a reason that stays is never raised twice;
 * - a reason that goes away clears its flag (resolving it by itself if nobody had);
 * - a flag a coordinator resolved while its reason stays is not raised again until the reason has gone
 *   and come back; a new fact behind it (another low check-in, another request for help, after the
 *   resolution) counts as coming back;
 * - resolving a request for help settles the requests behind it;
 * - a reason that needs action now (isUrgent) alerts every coordinator of the programme once per flag.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { InputError } from '../errors';
import { inTransaction } from '../store/database';
import { requireCoordinator } from './access';
import { ensureSchedules, planAlert } from './notify';
import { assessPair, assessProgramme, isUrgent, type RiskCode, type RiskReason } from './risk';

export type FlagState = 'open' | 'acknowledged' | 'resolved';

export interface Flag {
  id: number;
  programmeId: number;
  pairId: number;
  code: RiskCode;
  state: FlagState;
  /** ISO UTC, like every time here. */
  raisedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  /** The coordinators' private notes, oldest first, one a line. */
  note?: string;
  /** When the reason began. */
  since: string;
  /** Counts and dates only, as the reason had them when last synced. */
  detail: Record<string, number | string>;
  /** Resolved by a coordinator, or by itself when its reason went away. */
  resolvedBy?: 'coordinator' | 'itself';
  /** When its reason went away: the flag is history, and the reason may raise a new one. */
  clearedAt?: string;
}

interface FlagRow {
  id: number;
  programme_id: number;
  pair_id: number;
  code: RiskCode;
  state: FlagState;
  since: number;
  detail: string;
  raised_at: number;
  alerted_at: number | null;
  acknowledged_at: number | null;
  resolved_at: number | null;
  resolved_by: number | null;
  note: string | null;
  cleared_at: number | null;
}

const iso = (at: number) => new Date(at).toISOString();

function toFlag(r: FlagRow): Flag {
  let detail: Record<string, number | string> = {};
  try {
    detail = JSON.parse(r.detail) as Record<string, number | string>;
  } catch {
    // a detail that cannot be read is shown as none
  }
  return {
    id: r.id,
    programmeId: r.programme_id,
    pairId: r.pair_id,
    code: r.code,
    state: r.state,
    raisedAt: iso(r.raised_at),
    ...(r.acknowledged_at !== null ? { acknowledgedAt: iso(r.acknowledged_at) } : {}),
    ...(r.resolved_at !== null ? { resolvedAt: iso(r.resolved_at), resolvedBy: r.resolved_by === null ? ('itself' as const) : ('coordinator' as const) } : {}),
    ...(r.note ? { note: r.note } : {}),
    since: r.since === null ? iso(r.raised_at) : iso(r.since),
    detail,
    ...(r.cleared_at !== null ? { clearedAt: iso(r.cleared_at) } : {}),
  };
}

const row = (core: Core, id: number) => core.db.prepare('SELECT * FROM flags WHERE id = ?').get(id) as FlagRow | undefined;

export function getFlag(core: Core, flagId: number): Flag | null {
  const r = row(core, flagId);
  return r ? toFlag(r) : null;
}

/** Brings one pair's flags in line with its reasons now; returns the flags raised. Runs in the caller's transaction. */
function reconcile(core: Core, programmeId: number, pairId: number, reasons: RiskReason[]): Flag[] {
  const db = core.db;
  const now = core.clock.now();
  const live = new Map((db.prepare('SELECT * FROM flags WHERE pair_id = ? AND cleared_at IS NULL').all(pairId) as FlagRow[]).map((f) => [f.code, f]));
  const clear = db.prepare(
    `UPDATE flags SET cleared_at = @now, state = 'resolved', resolved_at = coalesce(resolved_at, @now),
       resolved_by = CASE WHEN state = 'resolved' THEN resolved_by ELSE NULL END WHERE id = @id`,
  );
  const raised: Flag[] = [];
  for (const reason of reasons) {
    let flag = live.get(reason.code);
    live.delete(reason.code);
    const latest = typeof reason.detail?.latest === 'string' ? Date.parse(reason.detail.latest) : null;
    if (flag && flag.state === 'resolved' && flag.resolved_at !== null && latest !== null && latest > flag.resolved_at) {
      // Something new behind a resolved reason (another low check-in, another request): it has come back.
      clear.run({ now, id: flag.id });
      flag = undefined;
    }
    const detail = JSON.stringify(reason.detail ?? {});
    if (!flag) {
      const { lastInsertRowid } = db
        .prepare('INSERT INTO flags (programme_id, pair_id, code, since, detail, raised_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(programmeId, pairId, reason.code, Date.parse(reason.since), detail, now);
      flag = row(core, Number(lastInsertRowid))!;
      raised.push(toFlag(flag));
    } else if (flag.detail !== detail) {
      db.prepare('UPDATE flags SET detail = ? WHERE id = ?').run(detail, flag.id);
    }
    if (isUrgent(reason) && flag.alerted_at === null && flag.state !== 'resolved') {
      db.prepare('UPDATE flags SET alerted_at = ? WHERE id = ?').run(now, flag.id);
      planAlert(core, flag.id, programmeId);
    }
  }
  for (const gone of live.values()) clear.run({ now, id: gone.id });
  return raised;
}

/** Syncs the flags of every pair of the programme with its reasons now; returns the flags raised. */
export function syncProgrammeFlags(core: Core, programmeId: number): Flag[] {
  return inTransaction(core.db, () => {
    const risks = new Map(assessProgramme(core, programmeId).map((r) => [r.pairId, r.reasons]));
    const withLive = core.db.prepare('SELECT DISTINCT pair_id FROM flags WHERE programme_id = ? AND cleared_at IS NULL').pluck().all(programmeId) as number[];
    const raised: Flag[] = [];
    for (const pairId of new Set([...risks.keys(), ...withLive])) raised.push(...reconcile(core, programmeId, pairId, risks.get(pairId) ?? []));
    ensureSchedules(core, programmeId);
    return raised;
  });
}

/** Syncs one pair's flags (after a meeting changed, a check-in, a request for help); returns the flags raised. */
export function syncPairFlags(core: Core, pairId: number): Flag[] {
  return inTransaction(core.db, () => {
    const pair = core.db.prepare('SELECT programme_id AS programmeId FROM pairs WHERE id = ?').get(pairId) as { programmeId: number } | undefined;
    if (!pair) return [];
    return reconcile(core, pair.programmeId, pairId, assessPair(core, pairId)?.reasons ?? []);
  });
}

/** The programme's flags, synced with the facts first; newest first. Resolved ones include those whose reason went away. */
export function listFlags(core: Core, programmeId: number, filter: { state?: FlagState } = {}): Flag[] {
  syncProgrammeFlags(core, programmeId);
  const rows = core.db
    .prepare('SELECT * FROM flags WHERE programme_id = @programmeId AND (@state IS NULL OR state = @state) ORDER BY raised_at DESC, id DESC')
    .all({ programmeId, state: filter.state ?? null }) as FlagRow[];
  return rows.map(toFlag);
}

/** The programme's live flags (whose reason is still there), without syncing; oldest first. */
export function liveFlags(core: Core, programmeId: number): Flag[] {
  return (core.db.prepare('SELECT * FROM flags WHERE programme_id = ? AND cleared_at IS NULL ORDER BY raised_at, id').all(programmeId) as FlagRow[]).map(toFlag);
}

/** A pair's live flags, without syncing. */
export function pairFlags(core: Core, pairId: number): Flag[] {
  return (core.db.prepare('SELECT * FROM flags WHERE pair_id = ? AND cleared_at IS NULL ORDER BY raised_at, id').all(pairId) as FlagRow[]).map(toFlag);
}

/** Control characters other than tab and newline: a note is plain text. */
const controlCharacters = /[\u0000-\u0008\u000b-\u001f\u007f]/;

const noteSchema = z
  .string()
  .trim()
  .max(500, 'a note is at most 500 characters: shorten it')
  .refine((s) => !controlCharacters.test(s), 'a note cannot hold control characters: type it as plain text')
  .optional();

function parseNote(note: string | undefined): string | null {
  const parsed = noteSchema.safeParse(note);
  if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message, { textKey: 'risk.flag.badNote' });
  return parsed.data ? parsed.data : null;
}

/** The flag, checked to be one of a programme the person coordinates (the permission error otherwise). */
function flagFor(core: Core, coordinatorPersonId: number, flagId: number): FlagRow {
  const r = row(core, flagId);
  if (!r) throw new InputError(`there is no flag ${flagId}: see the flags with "pairs at-risk"`, { textKey: 'risk.flag.unknown' });
  requireCoordinator(core, coordinatorPersonId, r.programme_id);
  return r;
}

const joinNote = (old: string | null, added: string | null) => [old, added].filter(Boolean).join('\n') || null;

/** A coordinator has seen the flag (and may say what they do about it). */
export function acknowledgeFlag(core: Core, coordinatorPersonId: number, flagId: number, note?: string): Flag {
  return inTransaction(core.db, () => {
    const r = flagFor(core, coordinatorPersonId, flagId);
    const added = parseNote(note);
    if (r.state === 'resolved') throw new InputError(`flag ${flagId} is resolved already`, { textKey: 'risk.flag.alreadyResolved' });
    core.db
      .prepare('UPDATE flags SET state = ?, acknowledged_at = coalesce(acknowledged_at, ?), acknowledged_by = coalesce(acknowledged_by, ?), note = ? WHERE id = ?')
      .run('acknowledged', core.clock.now(), coordinatorPersonId, joinNote(r.note, added), flagId);
    return toFlag(row(core, flagId)!);
  });
}

/**
 * A coordinator has dealt with the flag. Its requests for help are settled; a flag whose reason stays
 * is not raised again until the reason has gone and come back. Resolving a resolved flag adds the note.
 */
export function resolveFlag(core: Core, coordinatorPersonId: number, flagId: number, note?: string): Flag {
  return inTransaction(core.db, () => {
    const r = flagFor(core, coordinatorPersonId, flagId);
    const added = parseNote(note);
    const now = core.clock.now();
    if (r.state === 'resolved') {
      if (added) core.db.prepare('UPDATE flags SET note = ? WHERE id = ?').run(joinNote(r.note, added), flagId);
      return toFlag(row(core, flagId)!);
    }
    core.db.prepare("UPDATE flags SET state = 'resolved', resolved_at = ?, resolved_by = ?, note = ? WHERE id = ?").run(now, coordinatorPersonId, joinNote(r.note, added), flagId);
    if (r.code === 'asked_for_help') {
      core.db.prepare('UPDATE help_requests SET settled_at = ? WHERE pair_id = ? AND settled_at IS NULL AND created_at <= ?').run(now, r.pair_id, now);
      if (r.cleared_at === null) syncPairFlags(core, r.pair_id);
    }
    return toFlag(row(core, flagId)!);
  });
}
