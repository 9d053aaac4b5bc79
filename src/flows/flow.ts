import type { Core } from '../core';
import type { Dialogue } from '../dialogues';
import type { Message } from '../message';
import type { Person } from '../people';

export interface ReplyContext {
  core: Core;
  person: Person;
}

/** A flow answers the replies to its open dialogue step. */
export interface Flow {
  name: string;
  /** The id of the question the dialogue is waiting on (a button for another one is stale). */
  questionId(dialogue: Dialogue): string;
  reply(ctx: ReplyContext, dialogue: Dialogue, answer: string): Message[];
}
