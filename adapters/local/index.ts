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
import { deskRoutes } from '../desk';
import { startHttpServer, type HttpServer } from '../http';
import { describeError } from '../../src/errors';
import { firstName } from '../../src/people';

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
  /** Serve the coordinator's desk on this port of localhost (PORT), its links at publicUrl (default http://localhost:PORT). */
  desk?: { port: number; publicUrl?: string };
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
    const desk = options.desk ? await serveDesk(core, options.desk, options) : null;
    if (options.cron !== false) scheduler.start();
    try {
      await chat.run();
    } finally {
      await scheduler.stop();
      await desk?.close();
    }
  } finally {
    core.db.close();
  }
}

/**
 * The desk on localhost, so it can be tried with no workspace: `desk`/`skrivebord` as the coordinator
 * prints a sign-in link to it. A port in use is said in one line; the chat goes on without the desk.
 */
async function serveDesk(core: Core, desk: { port: number; publicUrl?: string }, options: LocalOptions): Promise<HttpServer | null> {
  let url = desk.publicUrl ?? `http://localhost:${desk.port}`;
  try {
    const http = await startHttpServer(desk.port, deskRoutes(core, { publicUrl: () => url, platforms: ['local'], log: options.log }), options.log, '127.0.0.1');
    if (!desk.publicUrl) url = `http://localhost:${http.port}`;
    const coordinator = core.db.prepare("SELECT p.name FROM people p JOIN participants pa ON pa.person_id = p.id WHERE pa.role = 'coordinator' ORDER BY p.id LIMIT 1").get() as { name: string } | undefined;
    const name = coordinator ? firstName(coordinator.name) : core.text.t(options.defaults.locale, 'common.role.coordinator');
    options.output.write(core.text.t(options.defaults.locale, 'desk.local.serving', { url: `${url}/desk`, name }) + '\n');
    return http;
  } catch (error) {
    options.output.write(core.text.t(options.defaults.locale, 'desk.local.notServing', { port: desk.port, reason: describeError(error) }) + '\n');
    return null;
  }
}
