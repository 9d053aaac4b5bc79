/**
 * A flow declared once: its dialogues, the nudges it sends, the commands that start it, how it
 * reacts when something happens to a meeting, and the tables it writes (which erasure and export
 * must cover). src/flows/registry.ts lists every definition; nothing else lists flows.
 */
import type { Command } from '../commands/command';
import type { Core } from '../core';
import type { EventOf, SeasonEventType } from '../events';
import type { NudgeTask } from '../scheduler/task';
import type { Flow } from './flow';

export type { MeetingEvent, MeetingEventType, SeasonEvent } from '../events';

export interface FlowDefinition {
  name: string;
  /** The dialogues it holds, each by its own name (the dialogue row's `flow`). */
  dialogues?: readonly Flow[];
  /** The kinds of nudge it plans, one handler each. */
  tasks?: readonly NudgeTask<any>[];
  /** The commands people type to start it, in the order help lists them. */
  commands?: readonly Command[];
  /** What it plans (or cancels) when something happens in the season (see src/events.ts); runs in the same transaction. */
  on?: { [T in SeasonEventType]?: (core: Core, event: EventOf<T>) => void };
  /** The tables whose rows it writes (besides dialogues and nudges), for erasure and export coverage. */
  stores?: readonly string[];
}
