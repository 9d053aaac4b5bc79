import type { Core } from './core';
import { InputError } from './errors';
import type { Address } from './message';
import { getProgramme } from './programme/programmes';
import { cachedRead, primeRead } from './store/read-cache';
import { isLocale, type Locale } from './text/locale';

export type Role = 'mentee' | 'mentor' | 'coordinator';

export interface Person {
  id: number;
  name: string;
  email: string | null;
  locale: Locale;
  timezone: string;
  pausedUntil: number | null;
}

interface PersonRow {
  id: number;
  name: string;
  email: string | null;
  locale: string | null;
  timezone: string | null;
  paused_until: number | null;
}

/** The cached read of a person's latest programme (also kept when the person is read). */
const LATEST_PROGRAMME = 'latestProgramme';

/** The programme a person joined last (the latest when they joined several at once), as SQL. */
const latestProgrammeSql = (person: string) =>
  `SELECT programme_id FROM participants WHERE person_id = ${person} ORDER BY joined_at DESC, programme_id DESC LIMIT 1`;

/** A person with their language and zone resolved: their own, else their programme's, else the default. */
export function getPerson(core: Core, id: number): Person | null {
  // The person's language and zone may come from their programme: those tables count too.
  return cachedRead(core.db, 'person', ['people', 'participants', 'programmes'], id, () => {
    // The latest programme in the same statement: a busy tick reads a different person for every message.
    const row = core.db
      .prepare(
        `SELECT id, name, email, locale, timezone, paused_until,
           (${latestProgrammeSql('people.id')}) AS latest
         FROM people WHERE id = ?`,
      )
      .get(id) as (PersonRow & { latest: number | null }) | undefined;
    if (!row) return null;
    const latest = row.latest;
    primeRead(core.db, LATEST_PROGRAMME, ['participants'], id, latest);
    const programme = latest === null ? null : getProgramme(core, latest);
    const locale = [row.locale, programme?.locale, core.defaults.locale].find((l): l is Locale => !!l && isLocale(l))!;
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      locale,
      timezone: row.timezone ?? programme?.timezone ?? core.defaults.timezone,
      pausedUntil: row.paused_until,
    };
  });
}

/**
 * The programme the person joined last (the latest when they joined several at once), whose language,
 * zone and settings apply to them; null when they are in none.
 */
export function latestProgrammeOf(core: Core, personId: number): number | null {
  return cachedRead(core.db, LATEST_PROGRAMME, ['participants'], personId, () => {
    const row = core.db
      .prepare(latestProgrammeSql('?'))
      .get(personId) as { programme_id: number } | undefined;
    return row?.programme_id ?? null;
  });
}

export function requirePerson(core: Core, id: number): Person {
  const person = getPerson(core, id);
  if (!person) throw new Error(`there is no person ${id}`);
  return person;
}

/**
 * The zone's canonical IANA name ("europe/copenhagen" → "Europe/Copenhagen"), or null when it is
 * not a zone the runtime knows (offsets such as "+01:00" are not zones: they ignore daylight saving).
 */
export function canonicalTimeZone(zone: string | null | undefined): string | null {
  const trimmed = zone?.trim();
  if (!trimmed || !/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function requireTimeZone(zone: string): string {
  const canonical = canonicalTimeZone(zone);
  if (!canonical) throw new Error(`${zone} is not an IANA time zone such as Europe/Copenhagen`);
  return canonical;
}

/** Where a person's own zone came from: an import (or anyone setting it explicitly) wins over a platform's profile. */
export type TimezoneSource = 'import' | 'platform';

/** A zone given here counts as set explicitly (as by an import), unless `timezoneSource` says it came from a platform. */
export function createPerson(
  core: Core,
  input: { name: string; email?: string | null; locale?: Locale | null; timezone?: string | null; timezoneSource?: TimezoneSource },
): number {
  const zone = input.timezone ? requireTimeZone(input.timezone) : null;
  const { lastInsertRowid } = core.db
    .prepare('INSERT INTO people (name, email, locale, timezone, timezone_source, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(input.name, input.email ?? null, input.locale ?? null, zone, zone === null ? null : (input.timezoneSource ?? 'import'), core.clock.now());
  return Number(lastInsertRowid);
}

/**
 * Sets the zone an import (the participants file's `timezone` column) gives the person; null or
 * undefined leaves the zone they have. Returns whether it changed.
 */
export function setTimezoneFromImport(core: Core, personId: number, given: string | null | undefined): boolean {
  if (!given) return false;
  const zone = requireTimeZone(given);
  return (
    core.db
      .prepare("UPDATE people SET timezone = ?, timezone_source = 'import' WHERE id = ? AND (timezone IS NOT ? OR timezone_source IS NOT 'import')")
      .run(zone, personId, zone).changes === 1
  );
}

/**
 * The zone a platform reports for the person (Slack's users.info `tz`, Teams' client time zone). It
 * is taken only when no import set one; an unknown or empty zone is ignored. Returns whether it changed.
 */
export function setTimezoneFromPlatform(core: Core, personId: number, zone: string | null | undefined): boolean {
  const canonical = canonicalTimeZone(zone);
  if (!canonical) return false;
  return (
    core.db
      .prepare(
        `UPDATE people SET timezone = ?, timezone_source = 'platform'
          WHERE id = ? AND coalesce(timezone_source, '') <> 'import' AND timezone IS NOT ?`,
      )
      .run(canonical, personId, canonical).changes === 1
  );
}

/**
 * Links a platform id to a person (or gives a link they have an address). A platform id belongs to
 * the person it was first linked to: linking it to anyone else is refused, never moved.
 */
export function addIdentity(core: Core, personId: number, platform: string, platformId: string, address: Address | null): void {
  const owner = findPersonByIdentity(core, platform, platformId);
  if (owner !== null && owner !== personId) {
    throw new InputError(`the ${platform} id ${platformId} is already linked to another person; a platform id stays with the person it was first linked to`);
  }
  core.db
    .prepare(
      `INSERT INTO identities (platform, platform_id, person_id, address) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, platform_id) DO UPDATE SET address = coalesce(excluded.address, address) WHERE person_id = excluded.person_id`,
    )
    .run(platform, platformId, personId, address);
}

/** The person with this e-mail address (stored in lower case), or null. */
export function findPersonByEmail(core: Core, email: string): number | null {
  const row = core.db.prepare('SELECT id FROM people WHERE email = ?').get(email.trim().toLowerCase()) as { id: number } | undefined;
  return row?.id ?? null;
}

/** Who a platform id belongs to (asked several times for each message a person sends; cached). */
export function findPersonByIdentity(core: Core, platform: string, platformId: string): number | null {
  return cachedRead(core.db, 'personByIdentity', ['identities'], `${platform}:${platformId}`, () => {
    const row = core.db.prepare('SELECT person_id FROM identities WHERE platform = ? AND platform_id = ?').get(platform, platformId) as
      | { person_id: number }
      | undefined;
    return row?.person_id ?? null;
  });
}

/** The first address of the person on one of the given platforms, in that order of preference. */
export function addressFor(core: Core, personId: number, platforms: readonly string[]): Address | null {
  const rows = cachedRead(core.db, 'addresses', ['identities'], personId, () =>
    core.db.prepare('SELECT platform, address FROM identities WHERE person_id = ? AND address IS NOT NULL').all(personId),
  ) as readonly { platform: string; address: string }[];
  for (const platform of platforms) {
    const hit = rows.find((r) => r.platform === platform);
    if (hit) return hit.address;
  }
  return null;
}

export function rolesOf(core: Core, personId: number): { programmeId: number; role: Role }[] {
  return core.db.prepare('SELECT programme_id AS programmeId, role FROM participants WHERE person_id = ?').all(personId) as {
    programmeId: number;
    role: Role;
  }[];
}

export function addParticipant(core: Core, programmeId: number, personId: number, role: Role, profile: Record<string, unknown> = {}): void {
  core.db
    .prepare(
      `INSERT INTO participants (programme_id, person_id, role, profile, joined_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (programme_id, person_id, role) DO UPDATE SET profile = excluded.profile`,
    )
    .run(programmeId, personId, role, JSON.stringify(profile), core.clock.now());
}

export function setLocale(core: Core, personId: number, locale: Locale): void {
  core.db.prepare('UPDATE people SET locale = ? WHERE id = ?').run(locale, personId);
}

export function setPausedUntil(core: Core, personId: number, until: number | null): void {
  core.db.prepare('UPDATE people SET paused_until = ? WHERE id = ?').run(until, personId);
}

/** How a person is named in chat: by first name ("Jonas Berg" → "Jonas"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
