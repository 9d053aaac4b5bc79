/** One handler per kind of nudge: its payload's shape, the message it sends, what follows delivery. */
import type { z } from 'zod';
import type { Core } from '../core';
import type { Message } from '../message';
import type { Person } from '../people';
import type { NudgeRow } from './nudges';

export interface Drop {
  drop: string;
}

/** Work that is done when due but sends nothing (e.g. flagging a quiet pair for the coordinator). */
export interface Silent {
  silent: string;
}

export interface TaskContext<P> {
  core: Core;
  nudge: NudgeRow;
  payload: P;
  person: Person;
}

export interface NudgeTask<P = unknown> {
  kind: string;
  payload: z.ZodType<P>;
  /**
   * Runs just before delivery: the message, a Drop when the nudge has lost its point, or Silent for
   * work that sends nothing (then quiet hours, pauses and addresses do not apply).
   */
  compose(ctx: TaskContext<P>): Message | Drop | Silent;
  /**
   * True when the message asks a question and opens a dialogue. It then waits while the person is
   * in the middle of another dialogue, so one conversation is never cut off by the next.
   */
  opensDialogue?: boolean;
  /**
   * True for a question at a moment the person chose ("not yet": asked again at the time promised). It
   * waits only while they are in the middle of another question, not for one merely asked since.
   */
  promised?: boolean;
  /**
   * True for a question that needs its answer soon whatever its expiry says (the partner suggested
   * another time for a meeting that lapses unless the booker answers): it waits for another question
   * only while the person is writing to it.
   */
  urgent?: boolean;
  /**
   * True for an answer to something the person just did (a reply that could not go out at once):
   * quiet hours and pauses do not hold it back.
   */
  prompted?: boolean;
  /** Runs in the transaction that records the delivery (e.g. opens the dialogue the message starts). */
  delivered?(ctx: TaskContext<P>): void;
}

export type TaskRegistry = ReadonlyMap<string, NudgeTask<any>>;

export function registry(tasks: NudgeTask<any>[]): TaskRegistry {
  return new Map(tasks.map((t) => [t.kind, t]));
}

export const isDrop = (value: Message | Drop | Silent): value is Drop => 'drop' in value;
export const isSilent = (value: Message | Drop | Silent): value is Silent => 'silent' in value;
