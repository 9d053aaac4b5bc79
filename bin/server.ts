/**
 * The bot on its platforms: the core, one adapter per configured platform, their messengers
 * combined for the scheduler, and one HTTP server on PORT for every platform's path, /healthz (alive),
 * /readyz (database writable, migrations current, each platform connected) and /metrics (Prometheus).
 * The caller holds the database's process lock and passes its owner id. Stopping turns /healthz and
 * /readyz to 503, stops claiming, lets deliveries and requests under way finish within a deadline,
 * then closes the database.
 * While it serves, a rejection or exception nothing caught is logged and the process keeps serving.
 */
import { deskRoutes } from '../adapters/desk';
import { legalRoutes } from '../adapters/legal';
import { startHttpServer, type Route } from '../adapters/http';
import { systemClock } from '../src/clock';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, type Config } from '../src/config';
import { grantCoordinators } from '../src/coordinator/grant';
import { describeError } from '../src/errors';
import type { Logger } from '../src/log';
import { combineMessengers, type Messenger } from '../src/messenger';
import { endLeasesOfDeadOwners } from '../src/scheduler/housekeeping';
import { assemble, openCore } from '../src/sparring';
import { SERVING_BUSY_TIMEOUT_MS, setBusyTimeout } from '../src/store/busy';
import { createMetrics } from '../src/metrics/prometheus';
import { databaseChecks, deliveryCheck, latestMigration, type ReadinessCheck } from '../src/metrics/readiness';
import type { Bot } from '../src/bot';

export interface RunningServer {
  port: number;
  /** Stops within `deadlineMs` (deliveries and requests under way get that long), then closes the database. */
  stop(deadlineMs?: number): Promise<void>;
}

// SHUTDOWN_TIMEOUT_MS is parsed with the rest of the configuration (config.shutdownTimeoutMs).
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, shutdownTimeoutMs } from '../src/config';

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

export async function startServer(config: Config, log: Logger, options: { owner: string; host?: string }): Promise<RunningServer> {
  // Its own registry: several servers (tests) can run in one process.
  const metrics = createMetrics();
  const core = openCore({
    databasePath: config.databasePath,
    clock: systemClock,
    log,
    metrics: metrics.core,
    calendarOrganizer: config.calendarOrganizer,
    defaults: { locale: config.defaultLocale, timezone: config.defaultTimezone },
  });
  metrics.countNudges(core.db);
  grantCoordinators(core, config.coordinators);
  const orphans = endLeasesOfDeadOwners(core, options.owner);
  if (orphans > 0) log.warn('taking back deliveries a stopped process left in flight; each is checked before it is sent again', { rows: orphans });
  // From here no statement waits long for another connection's lock: HTTP stays responsive.
  setBusyTimeout(core.db, SERVING_BUSY_TIMEOUT_MS);
  const messengers: Messenger[] = [];
  const routes: Route[] = [];
  const starts: ((bot: Bot) => Promise<void> | void)[] = [];
  const stops: (() => Promise<void>)[] = [];
  const readiness: (() => ReadinessCheck[])[] = [];
  try {
    if (config.adapters.includes('slack') && config.slack) {
      const s = config.slack;
      // Each platform's SDK is loaded only when it is configured (Bolt ~0.3 s, botbuilder ~0.5 s on the 2-core machine).
      const { createSlackAdapter } = await import('../adapters/slack/app');
      const slack = createSlackAdapter(core, { botToken: s.botToken, signingSecret: s.signingSecret, appToken: s.appToken, apiUrl: s.apiUrl }, log);
      messengers.push(slack.messenger);
      routes.push(...slack.routes);
      starts.push((bot) => slack.start(bot));
      stops.push(() => slack.stop());
      readiness.push(() => slack.readiness());
    }
    if (config.adapters.includes('teams')) {
      const { createTeamsAdapter } = await import('../adapters/teams/app');
      const teams = createTeamsAdapter(core, { ...(config.teams ?? {}), publicUrl: config.publicUrl }, log);
      messengers.push(teams.messenger);
      routes.push(...teams.routes);
      starts.push((bot) => {
        teams.start(bot);
        // A token is fetched in the background; /readyz says so until it has one.
        void teams.checkCredentials();
      });
      readiness.push(() => teams.readiness());
    }
    // The pages the Teams package links to, and the coordinator's desk (reached by one-time links under PUBLIC_URL).
    routes.push(...legalRoutes(core));
    if (config.publicUrl) routes.push(...deskRoutes(core, { publicUrl: config.publicUrl, platforms: messengers.flatMap((m) => [...m.platforms]), log }));
    const { bot, scheduler } = assemble(core, combineMessengers(messengers), { owner: options.owner });
    for (const start of starts) await start(bot);
    const latest = latestMigration();
    const ready = (): ReadinessCheck[] => [...databaseChecks(core.db, latest), ...readiness.flatMap((check) => check()), deliveryCheck(scheduler.health())];
    routes.push({
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        const { contentType, body } = await metrics.render();
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
    });
    const http = await startHttpServer(config.port, routes, log, options.host, { readiness: ready, requests: metrics.requests });
    const stopCatching = keepServingOnStrayErrors(log);
    scheduler.start();
    log.info('Sparring is running', { adapters: config.adapters.join(','), port: http.port, owner: options.owner, paths: ['/healthz', '/readyz', ...routes.map((r) => r.path)].join(' ') });
    return {
      port: http.port,
      async stop(deadlineMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
        const end = Date.now() + deadlineMs;
        // From now on /healthz and /readyz say 503 and new requests are refused; what is under way goes on.
        http.stopping();
        // Keep a little of the deadline for the adapters and the database.
        const drain = Math.max(0, deadlineMs - Math.min(1000, deadlineMs / 5));
        const [drained, answered] = await Promise.all([within(scheduler.stop({ deadlineMs: drain }), drain + 250), http.drain(drain)]);
        if (!drained) log.warn('the scheduler did not stop in time; what is still in flight is checked after the next start');
        if (!answered) log.warn('HTTP requests were still under way at the deadline; their connections are cut');
        for (const stop of stops) {
          if (!(await within(stop().catch((e: unknown) => log.warn('an adapter did not stop cleanly', { error: describeError(e) })), end - Date.now())))
            log.warn('an adapter did not stop in time');
        }
        await http.close(0);
        core.db.close();
        stopCatching();
      },
    };
  } catch (error) {
    core.db.close();
    throw error;
  }
}
