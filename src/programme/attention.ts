/** Respect for attention: which quiet hours and nudge hour apply to a person (their latest programme's, or the default). */
import type { Core } from '../core';
import { type QuietHours } from '../time';
import { latestProgrammeOf } from '../people';
import { getProgramme } from './programmes';
import { defaultSettings, type ProgrammeSettings } from './settings';

export function quietHoursFor(core: Core, personId: number): QuietHours {
  return settingsFor(core, personId).quietHours;
}

/** The settings of the person's latest programme, or the defaults. */
export function settingsFor(core: Core, personId: number): ProgrammeSettings {
  const latest = latestProgrammeOf(core, personId);
  return latest === null ? defaultSettings : getProgramme(core, latest).settings;
}
