/** Respect for attention: which quiet hours and nudge hour apply to a person (their latest programme's, or the default). */
import type { Core } from '../core';
import { type QuietHours } from '../time';
import { cachedRead } from '../store/read-cache';
import { defaultSettings, parseSettings, type ProgrammeSettings } from './settings';

export function quietHoursFor(core: Core, personId: number): QuietHours {
  return settingsFor(core, personId).quietHours;
}

/** The settings of the person's latest programme, or the defaults. */
export function settingsFor(core: Core, personId: number): ProgrammeSettings {
  return cachedRead(core.db, 'settingsOf', ['participants', 'programmes'], personId, () => {
    const row = core.db
      .prepare(
        `SELECT g.settings FROM participants pa JOIN programmes g ON g.id = pa.programme_id
          WHERE pa.person_id = ? ORDER BY pa.joined_at DESC LIMIT 1`,
      )
      .get(personId) as { settings: string } | undefined;
    return row ? parseSettings(row.settings) : defaultSettings;
  });
}
