/**
 * Bolt's and the Web API client's logger, on ours: every line is cut before anything that could be a
 * payload (libraryLine), so `http request body: {…}` at debug never puts a DM or a view in the log.
 * The level is ours: setLevel from the libraries is ignored.
 */
import { LogLevel, type Logger as SlackLibraryLogger } from '@slack/web-api';
import { libraryLine, type Logger } from '../../src/log';

export function slackLogger(log: Logger): SlackLibraryLogger {
  return {
    debug: (...m: unknown[]) => log.debug(libraryLine(m)),
    info: (...m: unknown[]) => log.info(libraryLine(m)),
    warn: (...m: unknown[]) => log.warn(libraryLine(m)),
    error: (...m: unknown[]) => log.error(libraryLine(m)),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}
