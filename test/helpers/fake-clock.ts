import type { Clock } from '../../src/clock';

export interface FakeClock extends Clock {
  set(at: number | string): void;
  advance(ms: number): void;
}

/** A clock that stands still until told to move. */
export function createFakeClock(start: number | string): FakeClock {
  let now = typeof start === 'string' ? Date.parse(start) : start;
  return {
    now: () => now,
    set: (at) => {
      now = typeof at === 'string' ? Date.parse(at) : at;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}
