/** The commands every participant has: help, language, pause, resume, mydata. */
import { setLocale, setPausedUntil } from '../people';
import { isLocale } from '../text/locale';
import { DAY, formatLocal } from '../time';
import type { Command } from './command';
import { exportPersonText } from '../privacy/export';

export const languageCommand: Command = {
  name: 'language',
  accepts: (args) => args.length === 1 && /^(da|en)$/i.test(args[0]!),
  for: ['anyone'],
  run({ core, person }, args) {
    const wanted = (args[0] ?? '').toLowerCase();
    if (args.length !== 1 || !isLocale(wanted)) return [{ text: core.text.t(person.locale, 'common.language.usage') }];
    setLocale(core, person.id, wanted);
    return [{ text: core.text.t(wanted, 'common.language.set') }];
  },
};

export const pauseCommand: Command = {
  name: 'pause',
  accepts: (args) => args.length === 0 || (args.length === 1 && /^\d+$/.test(args[0]!)),
  for: ['anyone'],
  run({ core, person }, args) {
    const days = args.length === 0 ? 7 : /^\d+$/.test(args[0]!) && args.length === 1 ? Number(args[0]) : NaN;
    if (!(days >= 1 && days <= 60)) return [{ text: core.text.t(person.locale, 'common.pause.usage') }];
    const now = core.clock.now();
    const until = now + days * DAY;
    // Where a continuous pause began, for the coordinator's "paused longer than the rhythm" (src/coordinator/risk.ts).
    core.db.prepare('UPDATE people SET paused_since = CASE WHEN paused_until > ? THEN coalesce(paused_since, ?) ELSE ? END WHERE id = ?').run(now, now, now, person.id);
    setPausedUntil(core, person.id, until);
    return [{ text: core.text.t(person.locale, 'common.pause.set', { until: formatLocal(until, person.timezone, person.locale) }) }];
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  for: ['anyone'],
  run({ core, person }) {
    const paused = person.pausedUntil !== null && person.pausedUntil > core.clock.now();
    setPausedUntil(core, person.id, null);
    return [{ text: core.text.t(person.locale, paused ? 'common.resume.done' : 'common.resume.notPaused') }];
  },
};

export const mydataCommand: Command = {
  name: 'mydata',
  readOnly: () => true,
  for: ['anyone'],
  run({ core, person }) {
    return [{ text: exportPersonText(core, person) }];
  },
};
