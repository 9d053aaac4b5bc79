/**
 * The demo programme the local chat starts with: a coordinator, two mentors, two mentees, both
 * pairs matched, and Astrid's first meeting booked three weekdays ahead, so her preparation comes
 * due after an `advance`. Emil has not booked yet. Seeding twice changes nothing.
 */
import type { Core } from './core';
import { bookMeeting } from './meetings';
import { joinProgramme, matchPair } from './flows/season';
import { addIdentity, createPerson, type Role } from './people';
import { createProgramme, findProgrammeByName } from './programme/programmes';
import { inTransaction } from './store/database';
import type { Locale } from './text/locale';
import { atLocalTime, isWeekend, localParts, shiftLocalDate, type LocalDate } from './time';

export const DEMO_PROGRAMME = 'Demo 2026';

interface DemoPerson {
  name: string;
  email: string;
  role: Role;
  locale?: Locale;
  profile: Record<string, unknown>;
}

const people: DemoPerson[] = [
  { name: 'Astrid Holm', email: 'astrid@example.org', role: 'mentee', profile: { faculty: 'IT', education: 'cand.it', interests: ['UX', 'LinkedIn', 'job shadowing'] } },
  { name: 'Emil Carter', email: 'emil@example.org', role: 'mentee', locale: 'en', profile: { faculty: 'IT', education: 'MSc Software', interests: ['internships', 'networking'] } },
  { name: 'Jonas Berg', email: 'jonas@example.org', role: 'mentor', profile: { faculty: 'IT', company: 'Netcompany', job_title: 'Software architect', capacity: 2 } },
  { name: 'Sara Lind', email: 'sara@example.org', role: 'mentor', locale: 'en', profile: { faculty: 'IT', company: 'Danske Bank', job_title: 'UX lead', capacity: 1 } },
  { name: 'Helle Munk', email: 'helle@example.org', role: 'coordinator', profile: {} },
];

/** The first weekday at least `days` days after now (local date). */
function weekdayAhead(now: number, days: number, zone: string): LocalDate {
  let n = days;
  while (isWeekend(shiftLocalDate(now, n, zone))) n += 1;
  return shiftLocalDate(now, n, zone);
}

/** Seeds the demo programme unless it is there; returns whether it seeded. */
export function seedDemo(core: Core): boolean {
  if (findProgrammeByName(core, DEMO_PROGRAMME)) return false;
  const now = core.clock.now();
  const zone = core.defaults.timezone;
  const today = localParts(now, zone);
  const iso = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  const programme = createProgramme(core, {
    name: DEMO_PROGRAMME,
    startsOn: iso({ year: today.year, month: today.month, day: today.day }),
    endsOn: iso(shiftLocalDate(now, 120, zone)),
    settings: { contacts: { coordinator: 'Helle Munk, helle@example.org' } },
  });
  inTransaction(core.db, () => {
    const ids = new Map<string, number>();
    for (const p of people) {
      const id = createPerson(core, { name: p.name, email: p.email, locale: p.locale ?? null });
      addIdentity(core, id, 'local', String(id), `local:${id}`);
      joinProgramme(core, programme.id, id, p.role, p.profile);
      ids.set(p.name, id);
    }
    const astridPair = matchPair(core, programme.id, ids.get('Astrid Holm')!, ids.get('Jonas Berg')!);
    matchPair(core, programme.id, ids.get('Emil Carter')!, ids.get('Sara Lind')!);
    // Astrid has booked her first meeting; Emil has not, so he is asked to.
    bookMeeting(core, {
      pairId: astridPair,
      startsAt: atLocalTime(weekdayAhead(now, 3, zone), 16, 0, zone),
      durationMin: 60,
      place: 'Café Aroma',
      bookedBy: ids.get('Astrid Holm')!,
    });
  });
  return true;
}
