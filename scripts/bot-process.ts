/**
 * `node dist/bin/sparring.js start` as a child process, for the process tests and the crash test:
 * its exit, what it wrote to stderr, and a way to wait for /healthz. Only the process started here
 * is ever signalled, by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../src/paths';

export const sparringBin = join(projectRoot(), 'dist', 'bin', 'sparring.js');

export interface BotProcess {
  child: ChildProcess;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  stdout(): string;
  /** Resolves once GET /healthz answers at all (any status), or rejects after `ms`. */
  listening(port: number, ms?: number): Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

export function startBot(args: string[], env: Record<string, string | undefined>): BotProcess {
  const child = spawn(process.execPath, [sparringBin, ...args], { env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return {
    child,
    pid: child.pid!,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    async listening(port, ms = 15_000) {
      const end = Date.now() + ms;
      for (;;) {
        if (done) throw new Error(`the bot exited before it listened: ${stderr}`);
        const status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        if (status !== 0) return;
        if (Date.now() > end) throw new Error(`the bot did not listen on ${port} within ${ms} ms: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    signal(signal) {
      if (!done) process.kill(child.pid!, signal);
    },
  };
}
