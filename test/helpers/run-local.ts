import { PassThrough, Writable } from 'node:stream';
import { runLocalChat, type LocalOptions } from '../../adapters/local';
import type { Clock } from '../../src/clock';
import { silentLogger } from '../../src/log';

/**
 * Starts the local chat on `databasePath` with an input to type into; `printed()` is all it printed
 * so far, `running` ends when the input ends.
 */
export function startLocalChat(databasePath: string, baseClock: Clock, more: Partial<LocalOptions> = {}): { input: PassThrough; printed(): string; running: Promise<void> } {
  const input = new PassThrough();
  let printed = '';
  const output = new Writable({
    write(chunk, _enc, done) {
      printed += String(chunk);
      done();
    },
  });
  const running = runLocalChat({
    databasePath,
    defaults: { locale: 'da', timezone: 'Europe/Copenhagen' },
    log: silentLogger,
    input,
    output,
    interactive: false,
    baseClock,
    cron: false,
    ...more,
  });
  return { input, printed: () => printed, running };
}

/** Runs the local chat on `databasePath`, typing `lines` into its input; returns all it printed. */
export async function runLocalScript(databasePath: string, lines: string[], baseClock: Clock): Promise<string> {
  const chat = startLocalChat(databasePath, baseClock);
  chat.input.end(lines.map((l) => l + '\n').join(''));
  await chat.running;
  return chat.printed();
}
