/**
 * What GET /readyz checks in the core: the database takes a write now, its schema is the one this
 * Sparring knows, and deliveries are being recorded. Each check is cheap and never waits on the
 * network; the adapters add their own (Slack connected, Teams credentials obtained).
 */
import type { Db } from '../store/database';
import { probeWritable, SERVING_BUSY_TIMEOUT_MS } from '../store/busy';
import { readMigrations, schemaVersion } from '../store/migrate';

/** One line of /readyz: what was checked, whether it passes, and its state in words. */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  state: string;
}

/** How long /readyz waits for another connection's write lock before saying the database is locked. */
export const READY_PROBE_WAIT_MS = 20;

/** The newest migration this Sparring ships (read once; the files do not change while it runs). */
export function latestMigration(): number {
  return readMigrations().length;
}

export function databaseChecks(db: Db, latest: number): ReadinessCheck[] {
  const problem = probeWritable(db, READY_PROBE_WAIT_MS, SERVING_BUSY_TIMEOUT_MS);
  const checks: ReadinessCheck[] = [{ name: 'database', ok: problem === null, state: problem ?? 'writable' }];
  let version: number | null = null;
  try {
    version = db.open ? schemaVersion(db) : null;
  } catch {
    version = null;
  }
  checks.push({
    name: 'migrations',
    ok: version === latest,
    state:
      version === null
        ? 'the schema version cannot be read'
        : version === latest
          ? `current (${version})`
          : version > latest
            ? `the database is at ${version}, newer than this Sparring (${latest}): upgrade Sparring`
            : `the database is at ${version} of ${latest}: restart to apply the rest`,
  });
  return checks;
}

/** The scheduler's own report: ok unless accepted deliveries wait to be recorded; rate limits and open circuits are named. */
export function deliveryCheck(health: { ok: boolean; problems: string[] }): ReadinessCheck {
  return { name: 'deliveries', ok: health.ok, state: health.problems.length > 0 ? health.problems.join('; ') : 'ok' };
}
