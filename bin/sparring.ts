#!/usr/bin/env node
/**
 * `sparring <command>`: the bot and the coordinator's tools from the shell. Exit 0 on success;
 * non-zero with one clear message on failure. DATABASE_PATH and the rest come from the environment.
 * Once a command has finished, the process ends even if a client library left a handle open.
 */
import { runCli } from './cli';

const EXIT_GRACE_MS = 2000;

function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, stdin: process.stdin }).then(finish, (error: unknown) => {
  process.stderr.write(`sparring: ${error instanceof Error ? error.message : String(error)}\n`);
  finish(1);
});
