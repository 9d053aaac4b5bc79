import type { Core } from '../core';
import type { Message } from '../message';
import type { Person } from '../people';

export interface CommandContext {
  core: Core;
  person: Person;
}

/** Whom a command is for: help lists it for them (anyone may still type any command; roles are checked in `run`). */
export type Audience = 'anyone' | 'mentee' | 'mentor' | 'coordinator';

export interface Command {
  /** Its English name; its words in both languages and its help line are in prompts/{da,en}/commands.json. */
  name: string;
  for: Audience[];
  /**
   * Whether these words can be arguments of the command (default: none). At a free-text question a
   * text that starts with a command word but goes on with other words is an answer, not a command.
   */
  accepts?(args: string[]): boolean;
  /** True when these arguments only show something: then it runs even at a question, which stays open. */
  readOnly?(args: string[]): boolean;
  run(ctx: CommandContext, args: string[]): Message[];
}
