/**
 * The bot on its platforms: the core, one adapter per configured platform, their messengers
 * combined for the scheduler, and one HTTP server on PORT for every platform's path and /healthz.
 * The caller holds the database's process lock and passes its owner id. Stopping stops claiming,
 * lets deliveries and requests under way finish within a deadline, then closes the database.
 * While it serves, a rejection or exception nothing caught is logged and the process keeps serving.
 */
import { z } from 'zod';
import { startHttpServer, type Health, type Route } from '../adapters/http';
import { createSlackAdapter } from '../adapters/slack/app';
import { createTeamsAdapter } from '../adapters/teams/app';
import { systemClock } from '../src/clock';
import type { Config } from '../src/config';
import { grantCoordinators } from '../src/coordinator/grant';
import { ConfigError, describeError } from '../src/errors';
import type { Logger } from '../src/log';
import { combineMessengers, type Messenger } from '../src/messenger';
import { endLeasesOfDeadOwners } from '../src/scheduler/housekeeping';
import { assemble, openCore } from '../src/sparring';
import { probeWritable, SERVING_BUSY_TIMEOUT_MS, setBusyTimeout } from '../src/store/busy';
import type { Bot } from '../src/bot';

export interface RunningServer {
  port: number;
  /** Stops within `deadlineMs` (deliveries and requests under way get that long), then closes the database. */
  stop(deadlineMs?: number): Promise<void>;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

const shutdownSchema = z.object({
  SHUTDOWN_TIMEOUT_MS: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v))
    .pipe(z.string().regex(/^\d+$/, 'must be a whole number of milliseconds, e.g. 10000').transform(Number).optional()),
});

/** SHUTDOWN_TIMEOUT_MS from the environment: how long a stop may take (default 10 s). */
export function shutdownTimeoutMs(env: Record<string, string | undefined>): number {
  const parsed = shutdownSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`SHUTDOWN_TIMEOUT_MS ${parsed.error.issues[0]?.message ?? 'is invalid'} (got "${env.SHUTDOWN_TIMEOUT_MS}")`);
  return parsed.data.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
}

/** Resolves after `work` or after `ms`, whichever comes first; says which. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([work.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Logs what nothing caught instead of letting it end the process; returns how to take that back. */
export function keepServingOnStrayErrors(log: Logger): () => void {
  const onRejection = (reason: unknown) => log.error('a promise was rejected and nothing handled it; still serving', { error: describeError(reason) });
  const onException = (error: unknown) => log.error('an exception was not caught; still serving', { error: describeError(error) });
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

export async function startServer(config: Config, log: Logger, options: { owner: string }): Promise<RunningServer> {
  const core = openCore({ databasePath: config.databasePath, clock: systemClock, log, defaults: { locale: config.defaultLocale, timezone: config.defaultTimezone } });
  grantCoordinators(core, config.coordinators);
  const orphans = endLeasesOfDeadOwners(core, options.owner);
  if (orphans > 0) log.warn('taking back deliveries a stopped process left in flight; each is checked before it is sent again', { rows: orphans });
  // From here no statement waits long for another connection's lock: HTTP stays responsive.
  setBusyTimeout(core.db, SERVING_BUSY_TIMEOUT_MS);
  const messengers: Messenger[] = [];
  const routes: Route[] = [];
  const starts: ((bot: Bot) => Promise<void> | void)[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    if (config.adapters.includes('slack') && config.slack) {
      const s = config.slack;
      const slack = createSlackAdapter(core, { botToken: s.botToken, signingSecret: s.signingSecret, appToken: s.appToken, apiUrl: s.apiUrl }, log);
      messengers.push(slack.messenger);
      routes.push(...slack.routes);
      starts.push((bot) => slack.start(bot));
      stops.push(() => slack.stop());
    }
    if (config.adapters.includes('teams')) {
      const teams = createTeamsAdapter(core, config.teams ?? {}, log);
      messengers.push(teams.messenger);
      routes.push(...teams.routes);
      starts.push((bot) => teams.start(bot));
    }
    const { bot, scheduler } = assemble(core, combineMessengers(messengers), { owner: options.owner });
    for (const start of starts) await start(bot);
    const health = (): Health => {
      const problems: string[] = [];
      const database = probeWritable(core.db, 20, SERVING_BUSY_TIMEOUT_MS);
      if (database) problems.push(database);
      const deliveries = scheduler.health();
      problems.push(...deliveries.problems);
      return { ok: !database && deliveries.ok, problems };
    };
    const http = await startHttpServer(config.port, routes, log, undefined, { health });
    const stopCatching = keepServingOnStrayErrors(log);
    scheduler.start();
    log.info('Sparring is running', { adapters: config.adapters.join(','), port: http.port, owner: options.owner, paths: ['/healthz', ...routes.map((r) => r.path)].join(' ') });
    return {
      port: http.port,
      async stop(deadlineMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
        const end = Date.now() + deadlineMs;
        // Keep a little of the deadline for the adapters and the database.
        const drain = Math.max(0, deadlineMs - Math.min(1000, deadlineMs / 5));
        const [drained] = await Promise.all([within(scheduler.stop({ deadlineMs: drain }), drain + 250), http.close(drain)]);
        if (!drained) log.warn('the scheduler did not stop in time; what is still in flight is checked after the next start');
        for (const stop of stops) {
          if (!(await within(stop().catch((e: unknown) => log.warn('an adapter did not stop cleanly', { error: describeError(e) })), end - Date.now())))
            log.warn('an adapter did not stop in time');
        }
        core.db.close();
        stopCatching();
      },
    };
  } catch (error) {
    core.db.close();
    throw error;
  }
}
