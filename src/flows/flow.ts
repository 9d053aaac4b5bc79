import type { Core } from '../core';
import type { Dialogue } from '../dialogues';
import type { Message, Question } from '../message';
import type { Person } from '../people';

export interface ReplyContext {
  core: Core;
  person: Person;
}

/** Who reads what a person writes in a flow: only them, their partner, or whom they choose at the end. */
export type Audience = 'private' | 'partner' | 'choice';

/** A flow answers the replies to its open dialogue step. */
export interface Flow {
  name: string;
  audience: Audience;
  /** The id of the question the dialogue is waiting on (a button for another one is stale). */
  questionId(dialogue: Dialogue): string;
  /** The kind of the question now asked: at a free-text question a command word is ambiguous. */
  questionKind(dialogue: Dialogue): Question['kind'];
  /** The message that asks the dialogue's current step (again). */
  ask(ctx: ReplyContext, dialogue: Dialogue): Message;
  /** A short line naming what the dialogue is about, for the person's waiting list. */
  title(ctx: ReplyContext, dialogue: Dialogue): string;
  /** Takes the person's answer to the current step; the dialogue is closed or moved inside. */
  reply(ctx: ReplyContext, dialogue: Dialogue, answer: string): Message[];
  /** The person left the dialogue ("cancel"): keeps what was answered; returns whether anything was kept. */
  cancel(ctx: ReplyContext, dialogue: Dialogue): boolean;
}
