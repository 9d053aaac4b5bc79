/**
 * Each person's own clock: the participants file's `timezone` column, the platform's zone (which
 * never overrides an import), and a season for a mentee in New York with a mentor in Copenhagen
 * across both daylight-saving changes of both zones, checked against each person's allowed hours.
 */
import { applyParticipants, parseParticipants } from '../../src/coordinator/import';
import { formatProblems } from '../../src/coordinator/import-problems';
import { createCatalog } from '../../src/text/catalog';
import { matchPair } from '../../src/flows/season';
import { bookMeeting } from '../../src/meetings';
import { addIdentity, createPerson, getPerson, setTimezoneFromPlatform } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { createTestSparring, runUntil, type TestSparring } from '../helpers/sparring';

const texts = createCatalog();

const header = 'role,name,email,locale,slack_id,teams_id,timezone';
const csv = (...rows: string[]) => Buffer.from([header, ...rows].join('\n') + '\n', 'utf8');
const zoneOf = (s: TestSparring, email: string) => s.core.db.prepare('SELECT timezone, timezone_source AS source FROM people WHERE email = ?').get(email);

/** The wall clock in `zone`, read with Intl (not with the code under test). */
function wallClock(at: number, zone: string): { weekday: string; minutes: number; text: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { weekday: parts.weekday!, minutes: Number(parts.hour) * 60 + Number(parts.minute), text: `${parts.weekday} ${parts.hour}:${parts.minute}` };
}
const allowed = (at: number, zone: string) => {
  const w = wallClock(at, zone);
  return !['Sat', 'Sun'].includes(w.weekday) && w.minutes >= 8 * 60 && w.minutes < 20 * 60;
};

/** Records when each message was accepted (the fake messenger records what, not when). */
function stampDeliveries(s: TestSparring): { at: number; address: string; key: string }[] {
  const stamped: { at: number; address: string; key: string }[] = [];
  const deliver = s.messenger.deliver.bind(s.messenger);
  s.messenger.deliver = async (address, message, options) => {
    const delivered = await deliver(address, message, options);
    stamped.push({ at: s.clock.now(), address, key: options.key });
    return delivered;
  };
  return stamped;
}

describe('the participants file’s timezone column', () => {
  let s: TestSparring;
  let programmeId: number;
  beforeEach(() => {
    s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    programmeId = createProgramme(s.core, { name: 'Efterår', startsOn: '2026-09-01', endsOn: '2026-12-18' }).id;
  });
  afterEach(() => s.close());

  it('stores an IANA zone on the person (by its canonical name), and leaves it empty when the cell is', () => {
    const parsed = parseParticipants(
      csv('mentee,Maya Lee,maya@example.org,en,,,America/New_York', 'mentor,Jonas Berg,jonas@example.org,da,,,europe/copenhagen', 'mentee,Astrid Holm,astrid@example.org,da,,,'),
    );
    if (!parsed.ok) throw new Error(formatProblems(texts, 'en', parsed.problems));
    applyParticipants(s.core, programmeId, parsed.rows);
    expect(zoneOf(s, 'maya@example.org')).toEqual({ timezone: 'America/New_York', source: 'import' });
    expect(zoneOf(s, 'jonas@example.org')).toEqual({ timezone: 'Europe/Copenhagen', source: 'import' });
    expect(zoneOf(s, 'astrid@example.org')).toEqual({ timezone: null, source: null });
  });

  it('refuses a file with an unknown zone, naming the line and the column', () => {
    const parsed = parseParticipants(csv('mentee,Maya Lee,maya@example.org,en,,,America/New_York', 'mentor,Jonas Berg,jonas@example.org,da,,,Mars/Olympus_Mons', 'mentee,Astrid Holm,astrid@example.org,da,,,+01:00'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'timezone'],
      [4, 'timezone'],
    ]);
    expect(formatProblems(texts, 'en', parsed.problems)).toContain('line 3, timezone: Mars/Olympus_Mons is not a time zone: use an IANA name such as Europe/Copenhagen');
  });

  it('changes the zone when a later file gives another, and keeps it when the cell is empty', () => {
    const first = parseParticipants(csv('mentee,Maya Lee,maya@example.org,en,,,America/New_York'));
    const moved = parseParticipants(csv('mentee,Maya Lee,maya@example.org,en,,,America/Chicago'));
    const blank = parseParticipants(csv('mentee,Maya Lee,maya@example.org,en,,,'));
    if (!first.ok || !moved.ok || !blank.ok) throw new Error('all three files are good');
    applyParticipants(s.core, programmeId, first.rows);
    expect(applyParticipants(s.core, programmeId, moved.rows)).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(applyParticipants(s.core, programmeId, blank.rows)).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(zoneOf(s, 'maya@example.org')).toEqual({ timezone: 'America/Chicago', source: 'import' });
  });

  it('wins over the platform’s zone, whichever comes first', () => {
    const parsed = parseParticipants(csv('mentee,Maya Lee,maya@example.org,en,,,America/New_York', 'mentor,Jonas Berg,jonas@example.org,da,,,'));
    if (!parsed.ok) throw new Error('the file is good');
    applyParticipants(s.core, programmeId, parsed.rows);
    const maya = getPerson(s.core, Number((s.core.db.prepare("SELECT id FROM people WHERE email = 'maya@example.org'").get() as { id: number }).id))!;
    const jonas = getPerson(s.core, Number((s.core.db.prepare("SELECT id FROM people WHERE email = 'jonas@example.org'").get() as { id: number }).id))!;

    // Slack says Maya is in Los Angeles: the file said New York, and the file wins.
    expect(setTimezoneFromPlatform(s.core, maya.id, 'America/Los_Angeles')).toBe(false);
    expect(getPerson(s.core, maya.id)!.timezone).toBe('America/New_York');
    // Jonas has no zone in the file: the platform's is taken, once, and a later report can change it.
    expect(getPerson(s.core, jonas.id)!.timezone).toBe('Europe/Copenhagen'); // the programme's
    expect(setTimezoneFromPlatform(s.core, jonas.id, 'Europe/London')).toBe(true);
    expect(setTimezoneFromPlatform(s.core, jonas.id, 'Europe/London')).toBe(false);
    expect(setTimezoneFromPlatform(s.core, jonas.id, 'Not/A_Zone')).toBe(false);
    expect(setTimezoneFromPlatform(s.core, jonas.id, '')).toBe(false);
    expect(zoneOf(s, 'jonas@example.org')).toEqual({ timezone: 'Europe/London', source: 'platform' });
    // A file that gives him a zone later overrides the platform's, and the platform cannot take it back.
    const later = parseParticipants(csv('mentor,Jonas Berg,jonas@example.org,da,,,Europe/Copenhagen'));
    if (!later.ok) throw new Error('the file is good');
    applyParticipants(s.core, programmeId, later.rows);
    expect(setTimezoneFromPlatform(s.core, jonas.id, 'Europe/London')).toBe(false);
    expect(zoneOf(s, 'jonas@example.org')).toEqual({ timezone: 'Europe/Copenhagen', source: 'import' });
  });
});

describe('a season across both daylight-saving changes of New York and Copenhagen', () => {
  // Autumn: Copenhagen changes on 25 October 2026, New York on 1 November; spring: New York on
  // 14 March 2027, Copenhagen on 28 March. Between the two, the zones are 5 hours apart, not 6.
  const changes = ['2026-10-25', '2026-11-01', '2027-03-14', '2027-03-28'].map((d) => Date.parse(`${d}T12:00:00Z`));

  it('reaches each of the two only inside their own allowed hours, 08:00–20:00 on weekdays', async () => {
    const s = createTestSparring({ start: '2026-10-01T12:00:00Z' });
    const stamped = stampDeliveries(s);
    const programme = createProgramme(s.core, { name: 'Vinter', startsOn: '2026-10-05', endsOn: '2027-04-16' });
    const parsed = parseParticipants(csv('mentee,Maya Lee,maya@example.org,en,,,America/New_York', 'mentor,Jonas Berg,jonas@example.org,da,,,Europe/Copenhagen'));
    if (!parsed.ok) throw new Error(formatProblems(texts, 'en', parsed.problems));
    applyParticipants(s.core, programme.id, parsed.rows);
    const idOf = (email: string) => (s.core.db.prepare('SELECT id FROM people WHERE email = ?').get(email) as { id: number }).id;
    const maya = idOf('maya@example.org');
    const jonas = idOf('jonas@example.org');
    for (const id of [maya, jonas]) addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    const zones: Record<string, string> = { [`test:${maya}`]: 'America/New_York', [`test:${jonas}`]: 'Europe/Copenhagen' };
    const pairId = matchPair(s.core, programme.id, maya, jonas);

    // Meetings (at 16:00 or 17:00 in Copenhagen, 10:00 or 11:00 in New York) just after each change,
    // booked late in the evening in New York (the middle of the night in Copenhagen), with a long
    // quiet spell in winter so that the quiet-pair nudges come too.
    const bookings: [string, string][] = [
      ['2026-10-21T02:30:00Z', '2026-10-26T15:00:00Z'],
      ['2026-10-28T03:00:00Z', '2026-11-02T15:00:00Z'],
      ['2026-11-05T01:00:00Z', '2026-11-10T15:00:00Z'],
      ['2027-03-09T03:30:00Z', '2027-03-15T15:00:00Z'],
      ['2027-03-17T02:00:00Z', '2027-03-23T15:00:00Z'],
      ['2027-03-24T03:15:00Z', '2027-03-29T15:00:00Z'],
    ];
    for (const [bookedAt, startsAt] of bookings) {
      await runUntil(s, bookedAt);
      bookMeeting(s.core, { pairId, startsAt: Date.parse(startsAt), durationMin: 60, bookedBy: maya });
    }
    await runUntil(s, '2027-05-07T12:00:00Z');

    const outside = stamped.filter((d) => !allowed(d.at, zones[d.address]!)).map((d) => `${d.key} at ${wallClock(d.at, zones[d.address]!).text} (${new Date(d.at).toISOString()})`);
    expect(outside).toEqual([]);
    // The season really did speak to both, and around every change.
    for (const address of Object.keys(zones)) {
      const theirs = stamped.filter((d) => d.address === address);
      expect(theirs.length).toBeGreaterThanOrEqual(15);
      for (const change of changes) expect(theirs.filter((d) => Math.abs(d.at - change) <= 5 * 86_400_000).length).toBeGreaterThan(0);
      for (const kind of ['onboarding.welcome', 'intro.match', 'meeting.invite', 'meeting.reminder', 'quiet.check', 'checkin.ask', 'survey.ask']) {
        expect([address, kind, theirs.some((d) => d.key.includes(`${kind}:`))]).toEqual([address, kind, true]);
      }
    }
    s.close();
  });

  it('nudges a quiet pair’s mentor at the nudge hour of the mentor’s zone, not the mentee’s', async () => {
    const s = createTestSparring({ start: '2026-10-01T12:00:00Z' });
    const stamped = stampDeliveries(s);
    const programme = createProgramme(s.core, { name: 'Stille', startsOn: '2026-10-05', endsOn: '2026-12-18' });
    const person = (name: string, timezone: string, role: 'mentee' | 'mentor') => {
      const id = createPerson(s.core, { name, timezone });
      addIdentity(s.core, id, 'test', String(id), `test:${id}`);
      s.core.db.prepare('INSERT INTO participants (programme_id, person_id, role, joined_at) VALUES (?, ?, ?, ?)').run(programme.id, id, role, s.clock.now());
      return id;
    };
    const astrid = person('Astrid Holm', 'Europe/Copenhagen', 'mentee');
    const dan = person('Dan Miller', 'America/New_York', 'mentor');
    matchPair(s.core, programme.id, astrid, dan);
    await runUntil(s, '2026-11-06T00:00:00Z');

    const quiet = stamped.filter((d) => d.key.includes('quiet.check:'));
    const at = (personId: number, zone: string) => quiet.filter((d) => d.address === `test:${personId}`).map((d) => wallClock(d.at, zone).text);
    expect(at(astrid, 'Europe/Copenhagen')).toEqual(['Thu 10:00', 'Thu 10:00']);
    expect(at(dan, 'America/New_York')).toEqual(['Thu 10:00']);
    s.close();
  });
});
