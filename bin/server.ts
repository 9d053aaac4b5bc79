/**
 * The bot on its platforms: the core, one adapter per configured platform, their messengers
 * combined for the scheduler, and one HTTP server on PORT for every platform's path and /healthz.
 */
import { startHttpServer, type Route } from '../adapters/http';
import { createSlackAdapter } from '../adapters/slack/app';
import { createTeamsAdapter } from '../adapters/teams/app';
import { systemClock } from '../src/clock';
import type { Config } from '../src/config';
import { grantCoordinators } from '../src/coordinator/grant';
import type { Logger } from '../src/log';
import { combineMessengers, type Messenger } from '../src/messenger';
import { assemble, openCore } from '../src/sparring';
import type { Bot } from '../src/bot';

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const core = openCore({ databasePath: config.databasePath, clock: systemClock, log, defaults: { locale: config.defaultLocale, timezone: config.defaultTimezone } });
  grantCoordinators(core, config.coordinators);
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
    const { bot, scheduler } = assemble(core, combineMessengers(messengers));
    for (const start of starts) await start(bot);
    const http = await startHttpServer(config.port, routes, log);
    scheduler.start();
    log.info('Sparring is running', { adapters: config.adapters.join(','), port: http.port, paths: ['/healthz', ...routes.map((r) => r.path)].join(' ') });
    return {
      port: http.port,
      async stop() {
        await scheduler.stop();
        await http.close();
        for (const stop of stops) await stop();
        core.db.close();
      },
    };
  } catch (error) {
    core.db.close();
    throw error;
  }
}
