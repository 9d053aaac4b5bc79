/** A cast for the at-risk stories: a programme, its coordinator and its people, and time that passes. */
import { joinProgramme, matchPair } from '../../src/flows/season';
import { addIdentity, createPerson, type Role } from '../../src/people';
import { createProgramme, type NewProgramme } from '../../src/programme/programmes';
import { nextDueAt } from '../../src/scheduler/nudges';
import type { Locale } from '../../src/text/locale';
import type { Delivery } from '../helpers/fake-messenger';
import type { TestSparring } from '../helpers/sparring';

export interface Cast {
  programmeId: number;
  /** A person reachable on the test platform, joined to the programme in this role. */
  person(name: string, role: Role, o?: { locale?: Locale; timezone?: string }): number;
  match(menteeId: number, mentorId: number): number;
}

let count = 0;

export function aProgramme(s: TestSparring, o: Partial<NewProgramme> = {}): Cast {
  count += 1;
  const programme = createProgramme(s.core, { name: `Efterår ${count}`, startsOn: '2026-09-01', endsOn: '2026-12-18', ...o });
  return {
    programmeId: programme.id,
    person(name, role, p = {}) {
      const id = createPerson(s.core, { name, locale: p.locale ?? null, timezone: p.timezone ?? null });
      addIdentity(s.core, id, 'test', String(id), `test:${id}`);
      joinProgramme(s.core, programme.id, id, role);
      return id;
    },
    match: (menteeId, mentorId) => matchPair(s.core, programme.id, menteeId, mentorId),
  };
}

/** The stories' pair: Emil (mentee) and Sara (mentor), both reading English, matched. */
export function emilAndSara(programme: Cast): { emil: number; sara: number; pairId: number } {
  const emil = programme.person('Emil Madsen', 'mentee', { locale: 'en' });
  const sara = programme.person('Sara Lund', 'mentor', { locale: 'en' });
  return { emil, sara, pairId: programme.match(emil, sara) };
}

export interface Stamped extends Delivery {
  at: number;
}

/** Lets time pass until `iso`, running the scheduler whenever something falls due; returns what was delivered, with when. */
export async function live(s: TestSparring, iso: string): Promise<Stamped[]> {
  const target = Date.parse(iso);
  const stamped: Stamped[] = [];
  const tick = async () => {
    const before = s.messenger.deliveries.length;
    await s.scheduler.runOnce();
    for (const d of s.messenger.deliveries.slice(before)) stamped.push({ ...d, at: s.clock.now() });
  };
  for (let guard = 0; guard < 20_000; guard += 1) {
    const due = nextDueAt(s.core.db);
    if (due === null || due > target) break;
    if (due > s.clock.now()) s.clock.set(due);
    await tick();
  }
  s.clock.set(target);
  await tick();
  return stamped;
}

export const to = (personId: number) => `test:${personId}`;
