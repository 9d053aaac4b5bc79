/** Starts Sparring on the local adapter: the terminal chat over a SQLite file, seeded with the demo. */
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ShiftedClock, systemClock, type Clock } from '../../src/clock';
import { grantCoordinators } from '../../src/coordinator/grant';
import { seedDemo } from '../../src/demo';
import type { Logger } from '../../src/log';
import { assemble, openCore } from '../../src/sparring';
import type { Locale } from '../../src/text/locale';
import { LocalChat, saveClockOffset, savedClockOffset } from './chat';
import type { Core } from '../../src/core';
import { formatWhen } from '../../src/flows/datetime';
import { defaultQuietHours, nextAllowedMoment } from '../../src/time';
import { LocalMessenger } from './messenger';

export interface LocalOptions {
  databasePath: string;
  defaults: { locale: Locale; timezone: string };
  log: Logger;
  input: Readable;
  output: Writable;
  interactive: boolean;
  /** The real clock the programme clock is shifted from (a test passes a fixed one). */
  baseClock?: Clock;
  /** Run the minute tick (node-cron) as well as after each line; off in tests. */
  cron?: boolean;
  /** Platform ids granted the coordinator role of every programme (COORDINATORS). */
  coordinators?: string[];
}

/**
 * A fresh demo starts at a working moment: at night or at a weekend nothing unprompted would arrive,
 * so the programme's clock is moved on to the next working morning (and the person is told), so the
 * README's walk-through works whatever day it is started.
 */
function pinToWorkingHours(core: Core, clock: ShiftedClock, options: LocalOptions): void {
  const now = clock.now();
  const at = nextAllowedMoment(now, options.defaults.timezone, defaultQuietHours);
  if (at <= now) return;
  clock.advance(at - now);
  saveClockOffset(core, clock.offset);
  const when = formatWhen(at, options.defaults.timezone, options.defaults.locale, now);
  options.output.write(core.text.t(options.defaults.locale, 'local.pinned', { when }).replace(/\*/g, '') + '\n');
}

export async function runLocalChat(options: LocalOptions): Promise<void> {
  const clock = new ShiftedClock(0, options.baseClock ?? systemClock);
  const core = openCore({ databasePath: options.databasePath, clock, log: options.log, defaults: options.defaults });
  try {
    clock.advance(savedClockOffset(core));
    const empty = !core.db.prepare('SELECT 1 FROM programmes LIMIT 1').get();
    let chat: LocalChat | undefined;
    const attachmentsDir = options.databasePath === ':memory:' ? null : join(dirname(options.databasePath), 'attachments');
    const messenger = new LocalMessenger(core, (entry) => chat?.delivered(entry), attachmentsDir);
    const { bot, scheduler } = assemble(core, messenger);
    chat = new LocalChat({ core, bot, scheduler, messenger, clock, attachmentsDir, ...options });
    if (empty) pinToWorkingHours(core, clock, options);
    if (empty && seedDemo(core)) options.output.write(core.text.t(options.defaults.locale, 'local.seeded', { name: 'Demo 2026' }).replace(/\*/g, '') + '\n');
    grantCoordinators(core, options.coordinators ?? []);
    if (options.cron !== false) scheduler.start();
    try {
      await chat.run();
    } finally {
      await scheduler.stop();
    }
  } finally {
    core.db.close();
  }
}
