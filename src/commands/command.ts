import type { Core } from '../core';
import type { Message } from '../message';
import type { Person } from '../people';

export interface CommandContext {
  core: Core;
  person: Person;
}

export interface Command {
  name: string;
  /** The key of its line in the help text. */
  help: string;
  run(ctx: CommandContext, args: string[]): Message[];
}

/** "/mentor pause 3", "pause 3", "PAUSE 3" → { name: 'pause', args: ['3'] }. */
export function splitCommand(text: string): { name: string; args: string[] } {
  const words = text.trim().replace(/^\/mentor\b/i, '').replace(/^\//, '').trim().split(/\s+/).filter(Boolean);
  return { name: (words[0] ?? '').toLowerCase(), args: words.slice(1) };
}
