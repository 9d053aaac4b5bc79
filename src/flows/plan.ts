/** Small helpers the flows share for planning nudges at sensible local moments. */
import type { Core } from '../core';
import { planNudge, type PlanNudge } from '../scheduler/nudges';
import { atLocalTime, shiftLocalDate } from '../time';

export function plan(core: Core, nudge: PlanNudge): boolean {
  return planNudge(core.db, nudge, core.clock.now());
}

/** `hour`:00 local time, `days` days after the local date of `at`. */
export function dayAt(at: number, days: number, hour: number, zone: string): number {
  return atLocalTime(shiftLocalDate(at, days, zone), hour, 0, zone);
}

export const pairSubject = (pairId: number) => `pair:${pairId}`;
export const quietSubject = (pairId: number) => `pair:${pairId}:quiet`;
