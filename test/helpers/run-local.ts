import { PassThrough, Writable } from 'node:stream';
import { runLocalChat } from '../../adapters/local';
import type { Clock } from '../../src/clock';
import { silentLogger } from '../../src/log';

/** Runs the local chat on `databasePath`, typing `lines` into its input; returns all it printed. */
export async function runLocalScript(databasePath: string, lines: string[], baseClock: Clock): Promise<string> {
  const input = new PassThrough();
  let printed = '';
  const output = new Writable({
    write(chunk, _enc, done) {
      printed += String(chunk);
      done();
    },
  });
  input.end(lines.map((l) => l + '\n').join(''));
  await runLocalChat({
    databasePath,
    defaults: { locale: 'da', timezone: 'Europe/Copenhagen' },
    log: silentLogger,
    input,
    output,
    interactive: false,
    baseClock,
    cron: false,
  });
  return printed;
}
