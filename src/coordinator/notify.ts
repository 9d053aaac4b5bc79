/**
 * What the coordinators of a programme are sent, and when: a daily sweep (silent: it raises the
 * flags that time alone brings, such as a quiet pair), the weekly digest (Monday at the programme's
 * nudge hour in the coordinator's own zone) and an alert at once for a flag that needs action now.
 * Each row is keyed so that planning twice plans once, under subjects of its own, so cancelling a
 * pair's, a meeting's or a quiet check's nudges never cancels them.
 */
import type { Core } from '../core';
import { dayAt, plan } from '../flows/plan';
import { getPerson } from '../people';
import { settingsFor } from '../programme/attention';
import { getProgramme, type Programme } from '../programme/programmes';
import { cancelNudges } from '../scheduler/nudges';
import { atLocalTime, DAY, localParts, shiftLocalDate } from '../time';

export const RISK_SWEEP = 'risk.sweep';
export const RISK_DIGEST = 'risk.digest';
export const RISK_ALERT = 'risk.alert';

/** Local hour of the daily sweep, before anyone's working day. */
export const SWEEP_HOUR = 6;
/** How long after its season's end a programme is still watched (the survey closes meanwhile). */
const WATCH_AFTER_END_DAYS = 30;

const digestSubject = (personId: number) => `coordinator:${personId}:digest`;
const sweepSubject = (personId: number) => `coordinator:${personId}:sweep`;
const alertSubject = (personId: number) => `coordinator:${personId}:alert`;

export function coordinatorsOf(core: Core, programmeId: number): number[] {
  return core.db.prepare("SELECT person_id FROM participants WHERE programme_id = ? AND role = 'coordinator' ORDER BY person_id").pluck().all(programmeId) as number[];
}

export function isCoordinatorOf(core: Core, personId: number, programmeId: number): boolean {
  return !!core.db.prepare("SELECT 1 FROM participants WHERE person_id = ? AND programme_id = ? AND role = 'coordinator'").get(personId, programmeId);
}

/**
 * The coordinator's programmes still worth watching: not closed, with active pairs, until a month
 * after the season's last day (the survey closes meanwhile).
 */
export function watchedProgrammeIds(core: Core, personId: number): number[] {
  const today = new Date(core.clock.now()).toISOString().slice(0, 10);
  return core.db
    .prepare(
      `SELECT g.id FROM participants pa JOIN programmes g ON g.id = pa.programme_id
        WHERE pa.person_id = ? AND pa.role = 'coordinator' AND g.status <> 'closed' AND date(g.ends_on, '+${WATCH_AFTER_END_DAYS} days') >= ?
          AND EXISTS (SELECT 1 FROM pairs p WHERE p.programme_id = g.id AND p.status = 'active')
        ORDER BY g.id`,
    )
    .pluck()
    .all(personId, today) as number[];
}

export function watchedProgrammesOf(core: Core, personId: number): Programme[] {
  return watchedProgrammeIds(core, personId).map((id) => getProgramme(core, id));
}

export function digestEnabled(core: Core, personId: number): boolean {
  const row = core.db.prepare('SELECT enabled FROM coordinator_digest WHERE person_id = ?').get(personId) as { enabled: number } | undefined;
  return row ? row.enabled === 1 : true;
}

/** Turns the weekly digest on or off for this coordinator (all their programmes); off cancels the one planned. */
export function setDigest(core: Core, personId: number, enabled: boolean): void {
  core.db
    .prepare('INSERT INTO coordinator_digest (person_id, enabled, changed_at) VALUES (?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at')
    .run(personId, enabled ? 1 : 0, core.clock.now());
  if (enabled) planNextDigest(core, personId);
  else cancelNudges(core.db, digestSubject(personId));
}

const weekday = (d: { year: number; month: number; day: number }) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

/** The next Monday at `hour` in the zone, after now (today, if it is Monday before the hour). */
export function nextMondayAt(now: number, hour: number, zone: string): { at: number; date: string } {
  for (let days = 0; days <= 7; days += 1) {
    const date = shiftLocalDate(now, days, zone);
    if (weekday(date) !== 1) continue;
    const at = atLocalTime(date, hour, 0, zone);
    if (at > now) return { at, date: `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}` };
  }
  throw new Error('no Monday within a week');
}

/** Plans the coordinator's next weekly digest (once per Monday), when they want it and have something to watch. */
export function planNextDigest(core: Core, personId: number): void {
  const person = getPerson(core, personId);
  if (!person || !digestEnabled(core, personId) || watchedProgrammeIds(core, personId).length === 0) return;
  const { at, date } = nextMondayAt(core.clock.now(), settingsFor(core, personId).nudgeHour, person.timezone);
  plan(core, {
    key: `${RISK_DIGEST}:${personId}:${date}`,
    kind: RISK_DIGEST,
    personId,
    subject: digestSubject(personId),
    payload: { from: at - 7 * DAY },
    dueAt: at,
    // A week's digest that could not go out by Wednesday gives way to the next one.
    expiresAt: at + 2 * DAY,
  });
}

/**
 * Plans the coordinator's next daily sweep (silent), while they have something to watch. It has no
 * expiry: a sweep held back runs late rather than never, and plans the one after it.
 */
export function planNextSweep(core: Core, personId: number): void {
  const person = getPerson(core, personId);
  if (!person || watchedProgrammeIds(core, personId).length === 0) return;
  const now = core.clock.now();
  const today = dayAt(now, 0, SWEEP_HOUR, person.timezone);
  const at = today > now ? today : dayAt(now, 1, SWEEP_HOUR, person.timezone);
  const p = localParts(at, person.timezone);
  const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  plan(core, { key: `${RISK_SWEEP}:${personId}:${date}`, kind: RISK_SWEEP, personId, subject: sweepSubject(personId), payload: {}, dueAt: at });
}

/** Makes sure every coordinator of the programme has their sweep and digest planned (cheap; planning twice plans once). */
export function ensureSchedules(core: Core, programmeId: number): void {
  for (const personId of coordinatorsOf(core, programmeId)) {
    planNextSweep(core, personId);
    planNextDigest(core, personId);
  }
}

/** The alert at once about a flag, to every coordinator of its programme: planned once per flag and coordinator. */
export function planAlert(core: Core, flagId: number, programmeId: number): void {
  const now = core.clock.now();
  for (const personId of coordinatorsOf(core, programmeId)) {
    plan(core, { key: `${RISK_ALERT}:${flagId}:${personId}`, kind: RISK_ALERT, personId, subject: alertSubject(personId), payload: { flagId }, dueAt: now });
  }
  core.wake();
}
