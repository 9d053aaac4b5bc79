/**
 * Putting the core together: the store, the texts, the bot and the scheduler. Adapters are
 * plugged in by the caller (bin/), so nothing here knows a platform.
 */
import { createBot, type Bot } from './bot';
import type { Clock } from './clock';
import type { Core } from './core';
import { announce } from './flows/registry';
import type { Logger } from './log';
import { noMetrics, type CoreMetrics } from './metrics/recorder';
import type { Messenger } from './messenger';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler';
import { openDatabase } from './store/database';
import type { TaskRegistry } from './scheduler/task';
import { allTasks } from './tasks';
import { createCatalog } from './text/catalog';
import type { Locale } from './text/locale';

export interface CoreOptions {
  databasePath: string;
  clock: Clock;
  log: Logger;
  defaults: { locale: Locale; timezone: string };
  /** Where the core's counters go (default: nowhere; the server passes Prometheus'). */
  metrics?: CoreMetrics;
  /** CALENDAR_ORGANIZER: the mailbox that sends meeting requests; without it invitations are published. */
  calendarOrganizer?: string;
}

/** Opens the database (migrating it) and loads the texts (validating them); meeting events reach the flows even without assemble(). */
export function openCore(options: CoreOptions): Core {
  const text = createCatalog();
  const db = openDatabase(options.databasePath);
  const core: Core = { db, text, clock: options.clock, log: options.log, metrics: options.metrics ?? noMetrics, defaults: options.defaults, calendarOrganizer: options.calendarOrganizer, wake: () => {}, announce: (event) => announce(core, event) };
  return core;
}

export interface Running {
  bot: Bot;
  scheduler: Scheduler;
}

/** The bot and a scheduler that delivers through `messenger`; `wake()` on the core reaches it. */
export function assemble(core: Core, messenger: Messenger, options: Partial<SchedulerOptions> = {}, tasks: TaskRegistry = allTasks): Running {
  const scheduler = new Scheduler(core, messenger, tasks, options);
  core.wake = () => scheduler.wake();
  return { bot: createBot(core), scheduler };
}
