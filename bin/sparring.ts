#!/usr/bin/env node
/**
 * `sparring <command>`: the bot and the coordinator's tools from the shell. Exit 0 on success;
 * non-zero with one clear message on failure. DATABASE_PATH and the rest come from the environment.
 */
import { runCli } from './cli';

runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, stdin: process.stdin }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sparring: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
