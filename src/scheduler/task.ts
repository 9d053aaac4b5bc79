/** One handler per kind of nudge: its payload's shape, the message it sends, what follows delivery. */
import type { z } from 'zod';
import type { Core } from '../core';
import type { Message } from '../message';
import type { Person } from '../people';
import type { NudgeRow } from './nudges';

export interface Drop {
  drop: string;
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
  /** Runs just before delivery: the message, or a Drop when the nudge has lost its point. */
  compose(ctx: TaskContext<P>): Message | Drop;
  /** Runs in the transaction that records the delivery (e.g. opens the dialogue the message starts). */
  delivered?(ctx: TaskContext<P>): void;
}

export type TaskRegistry = ReadonlyMap<string, NudgeTask<any>>;

export function registry(tasks: NudgeTask<any>[]): TaskRegistry {
  return new Map(tasks.map((t) => [t.kind, t]));
}

export const isDrop = (value: Message | Drop): value is Drop => 'drop' in value;
