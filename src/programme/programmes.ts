import { z } from 'zod';
import type { Core } from '../core';
import { InputError } from '../errors';
import { inTransaction } from '../store/database';
import { cachedRead } from '../store/read-cache';
import { isLocale, type Locale } from '../text/locale';
import { atLocalTime, isValidTimeZone, parseLocalDate } from '../time';
import { defaultSettings, parseSettings, settingsSchema, type ProgrammeSettings } from './settings';

export interface Programme {
  id: number;
  name: string;
  startsOn: string;
  endsOn: string;
  locale: Locale;
  timezone: string;
  settings: ProgrammeSettings;
}

interface ProgrammeRow {
  id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  locale: string;
  timezone: string;
  settings: string;
}

const toProgramme = (row: ProgrammeRow): Programme => ({
  id: row.id,
  name: row.name,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  locale: isLocale(row.locale) ? row.locale : 'da',
  timezone: row.timezone,
  settings: parseSettings(row.settings),
});

export const newProgrammeSchema = z
  .object({
    name: z.string().trim().min(1, 'name is empty').max(120, 'name is longer than 120 characters'),
    startsOn: z.string().refine((s) => parseLocalDate(s) !== null, 'start must be a date like 2026-09-01'),
    endsOn: z.string().refine((s) => parseLocalDate(s) !== null, 'end must be a date like 2026-12-15'),
    locale: z.string().refine(isLocale, 'locale must be da or en').optional(),
    timezone: z.string().refine(isValidTimeZone, 'timezone must be an IANA zone such as Europe/Copenhagen').optional(),
    settings: settingsSchema.partial().optional(),
  })
  .refine((p) => p.startsOn < p.endsOn, { message: 'the end must come after the start', path: ['endsOn'] });

export type NewProgramme = z.input<typeof newProgrammeSchema>;

export function createProgramme(core: Core, input: NewProgramme): Programme {
  const parsed = newProgrammeSchema.safeParse(input);
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`.replace(/^(name|startsOn|endsOn|locale|timezone): /, '')).join('; '));
  const p = parsed.data;
  const settings = settingsSchema.parse({ ...defaultSettings, ...p.settings });
  return inTransaction(core.db, () => {
    if (core.db.prepare('SELECT 1 FROM programmes WHERE name = ?').get(p.name)) {
      throw new InputError(`a programme called "${p.name}" exists already`);
    }
    const { lastInsertRowid } = core.db
      .prepare(
        `INSERT INTO programmes (name, starts_on, ends_on, locale, timezone, settings, created_at)
         VALUES (@name, @startsOn, @endsOn, @locale, @timezone, @settings, @now)`,
      )
      .run({
        name: p.name,
        startsOn: p.startsOn,
        endsOn: p.endsOn,
        locale: p.locale ?? core.defaults.locale,
        timezone: p.timezone ?? core.defaults.timezone,
        settings: JSON.stringify(settings),
        now: core.clock.now(),
      });
    return getProgramme(core, Number(lastInsertRowid));
  });
}

export function getProgramme(core: Core, id: number): Programme {
  const programme = cachedRead(core.db, 'programme', ['programmes'], id, () => {
    const row = core.db.prepare('SELECT * FROM programmes WHERE id = ?').get(id) as ProgrammeRow | undefined;
    return row ? toProgramme(row) : null;
  });
  if (!programme) throw new InputError(`there is no programme ${id}`);
  return programme;
}

export function findProgrammeByName(core: Core, name: string): Programme | null {
  const row = core.db.prepare('SELECT * FROM programmes WHERE name = ?').get(name) as ProgrammeRow | undefined;
  return row ? toProgramme(row) : null;
}

/** The last moment of the season (its last day, 23:59 in the given zone). */
export function seasonEndsAt(programme: Programme, zone: string): number {
  return atLocalTime(parseLocalDate(programme.endsOn)!, 23, 59, zone);
}
