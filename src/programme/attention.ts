/** Respect for attention: which quiet hours apply to a person (their latest programme's, or the default). */
import type { Core } from '../core';
import { defaultQuietHours, type QuietHours } from '../time';
import { parseSettings } from './settings';

export function quietHoursFor(core: Core, personId: number): QuietHours {
  const row = core.db
    .prepare(
      `SELECT g.settings FROM participants pa JOIN programmes g ON g.id = pa.programme_id
        WHERE pa.person_id = ? ORDER BY pa.joined_at DESC LIMIT 1`,
    )
    .get(personId) as { settings: string } | undefined;
  return row ? parseSettings(row.settings).quietHours : defaultQuietHours;
}
