/**
 * The season that was never flagged (issue 13): Emil and Sara meet in October and November, miss
 * their meeting on 7 December, get one booking nudge, and then nothing happens for seven weeks.
 * Their quiet checks were cancelled when the meeting changed and never planned again. The flag is
 * derived from their facts, so the coordinator sees it, and gets it in the Monday digest — once, at
 * a decent hour — with nothing either of them wrote.
 */
import { statusText } from '../../src/coordinator/commands';
import { listFlags } from '../../src/coordinator/flags';
import { planBookNext } from '../../src/flows/after-meeting';
import { meetingContext } from '../../src/flows/meeting-context';
import { quietSubject } from '../../src/flows/plan';
import { bookMeeting, setMeetingOutcome } from '../../src/meetings';
import { getPerson } from '../../src/people';
import { getProgramme } from '../../src/programme/programmes';
import { cancelNudges } from '../../src/scheduler/nudges';
import { defaultQuietHours, nextAllowedMoment } from '../../src/time';
import { aProgramme, live, to, type Stamped } from '../coordinator/risk-story';
import { createTestSparring, say, type TestSparring } from '../helpers/sparring';

const PREP_MARKER = 'Zebrafinkekompasset';
const SUMMARY_MARKER = 'Hvalrosharmonika';
const STEP_MARKER = 'Snegleraketten';
const MARKERS = [PREP_MARKER, SUMMARY_MARKER, STEP_MARKER];

let s: TestSparring;
let sent: Stamped[] = [];
const cast = { programmeId: 0, helle: 0, emil: 0, sara: 0, astrid: 0, jonas: 0, emilAndSara: 0, astridAndJonas: 0 };

async function until(iso: string) {
  sent.push(...(await live(s, iso)));
}

/** The mentee records whether the meeting took place, as the after-meeting question does. */
function outcome(meetingId: number, status: 'held' | 'missed') {
  setMeetingOutcome(s.core, meetingId, status, cast.emil);
}

beforeAll(async () => {
  s = createTestSparring({ start: '2026-08-25T08:00:00Z' });
  const programme = aProgramme(s, { name: 'Mentorprogram 2026' });
  cast.programmeId = programme.programmeId;
  cast.helle = programme.person('Helle Munk', 'coordinator');
  cast.emil = programme.person('Emil Madsen', 'mentee', { locale: 'en' });
  cast.sara = programme.person('Sara Holm', 'mentor', { locale: 'en' });
  cast.astrid = programme.person('Astrid Holm', 'mentee');
  cast.jonas = programme.person('Jonas Berg', 'mentor');
  s.clock.set('2026-08-28T10:00:00Z');
  cast.emilAndSara = programme.match(cast.emil, cast.sara);
  cast.astridAndJonas = programme.match(cast.astrid, cast.jonas);
  // Astrid and Jonas keep the rhythm: a meeting every four weeks, all booked at the start.
  for (const day of ['2026-09-21', '2026-10-19', '2026-11-16', '2026-12-14']) bookMeeting(s.core, { pairId: cast.astridAndJonas, startsAt: Date.parse(`${day}T14:00:00Z`), durationMin: 60 });

  await until('2026-09-21T08:00:00Z');
  const october = bookMeeting(s.core, { pairId: cast.emilAndSara, startsAt: Date.parse('2026-10-05T14:00:00Z'), durationMin: 60, bookedBy: cast.emil });
  await until('2026-10-03T12:00:00Z');
  // Emil answers the prep prompt that came this morning, in his own words.
  for (const answer of [PREP_MARKER, 'skip', 'skip', 'skip', 'no']) say(s, cast.emil, answer);
  await until('2026-10-05T18:00:00Z');
  outcome(october.id, 'held');
  s.core.db.prepare('INSERT INTO summaries (meeting_id, points, written_by, created_at) VALUES (?, ?, ?, ?)').run(october.id, `Vi talte om ${SUMMARY_MARKER}`, cast.emil, s.clock.now());
  s.core.db.prepare('INSERT INTO action_items (pair_id, meeting_id, owner_id, text, created_at) VALUES (?, ?, ?, ?, ?)').run(cast.emilAndSara, october.id, cast.emil, `Skriv til ${STEP_MARKER}`, s.clock.now());
  const november = bookMeeting(s.core, { pairId: cast.emilAndSara, startsAt: Date.parse('2026-11-02T15:00:00Z'), durationMin: 60, bookedBy: cast.emil });
  await until('2026-11-02T19:00:00Z');
  outcome(november.id, 'held');
  const december = bookMeeting(s.core, { pairId: cast.emilAndSara, startsAt: Date.parse('2026-12-07T15:00:00Z'), durationMin: 60, bookedBy: cast.emil });
  await until('2026-12-07T19:00:00Z');
  // The meeting did not take place; one nudge to book again follows the next morning ...
  outcome(december.id, 'missed');
  planBookNext(s.core, meetingContext(s.core, december.id)!);
  // ... and the quiet checks are gone, as they were in the season that went wrong.
  cancelNudges(s.core.db, quietSubject(cast.emilAndSara));
  await until('2027-01-29T12:00:00Z'); // seven weeks of nothing
});
afterAll(() => s.close());

describe('Emil and Sara, quiet after a missed meeting on 7 December', () => {
  const after = (iso: string) => sent.filter((d) => d.at > Date.parse(iso));

  it('seeded what they wrote, so the checks below can fail', () => {
    const stored = JSON.stringify([
      s.core.db.prepare('SELECT answer FROM prep_answers').all(),
      s.core.db.prepare('SELECT points FROM summaries').all(),
      s.core.db.prepare('SELECT text FROM action_items').all(),
    ]);
    for (const marker of MARKERS) expect(stored).toContain(marker);
  });

  it('got one booking nudge after the missed meeting, and no quiet check ever came', () => {
    const toEmil = after('2026-12-07T19:00:00Z').filter((d) => d.address === to(cast.emil));
    expect(toEmil.filter((d) => d.key.startsWith('book.next:'))).toHaveLength(1);
    expect(after('2026-12-07T19:00:00Z').filter((d) => d.key.startsWith('quiet.check:'))).toEqual([]);
    expect(s.core.db.prepare("SELECT count(*) FROM nudges WHERE subject = ? AND status = 'pending'").pluck().get(quietSubject(cast.emilAndSara))).toBe(0);
    expect(s.core.db.prepare("SELECT count(*) FROM meetings WHERE pair_id = ? AND starts_at > ?").pluck().get(cast.emilAndSara, Date.parse('2026-12-07T19:00:00Z'))).toBe(0);
  });

  it('is flagged quiet by the morning sweep after rhythm and grace ran out, and only they are', () => {
    const flags = listFlags(s.core, cast.programmeId);
    expect(flags).toEqual([
      expect.objectContaining({
        pairId: cast.emilAndSara,
        code: 'quiet',
        state: 'open',
        since: '2026-12-09T15:00:00.000Z', // 2 November + 30 + 7 days
        raisedAt: '2026-12-10T05:00:00.000Z', // the sweep at 06:00 in Copenhagen
        detail: { days: 46, lastMeeting: '2026-11-02T15:00:00.000Z', missed: 1 }, // as of the season's end
      }),
    ]);
  });

  it('reaches Helle in the Monday digest of 14 December at 10:00, once, and in the Mondays after, while the season is watched', () => {
    const toHelle = sent.filter((d) => d.address === to(cast.helle));
    const digests = toHelle.filter((d) => d.key.startsWith('risk.digest:'));
    expect(digests.map((d) => new Date(d.at).toISOString())).toEqual([
      '2026-12-14T09:00:00.000Z',
      '2026-12-21T09:00:00.000Z',
      '2026-12-28T09:00:00.000Z',
      '2027-01-04T09:00:00.000Z',
      '2027-01-11T09:00:00.000Z',
    ]);
    const [flag] = listFlags(s.core, cast.programmeId);
    expect(digests[0]!.message.text).toContain(`Nye flag siden sidst (1):\n• Emil Madsen & Sara Holm — intet møde holdt eller booket i 41 dage (sidste møde 2. november) · aftalte møder, der ikke blev holdt: 1 · siden 9. december · *flag ${flag!.id}*`);
    expect(digests[0]!.message.text).toContain('Stille par: 1');
    expect(digests[1]!.message.text).not.toContain('Nye flag');
    const keys = toHelle.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(toHelle.filter((d) => nextAllowedMoment(d.at, getPerson(s.core, cast.helle)!.timezone, defaultQuietHours) !== d.at)).toEqual([]);
  });

  it('shows Helle the flag in status, and nothing Emil wrote anywhere she looks', () => {
    const helle = { core: s.core, person: getPerson(s.core, cast.helle)! };
    const status = statusText(helle, getProgramme(s.core, cast.programmeId));
    expect(status).toContain('*Par, der har brug for dig* — åbne: 1 · set: 0');
    const seen = [status, say(s, cast.helle, 'par risiko'), say(s, cast.helle, 'pair @emil'), ...sent.filter((d) => d.address === to(cast.helle)).map((d) => `${d.message.text} ${d.message.why ?? ''}`)].join('\n');
    expect(seen).toContain('Emil Madsen & Sara Holm');
    for (const marker of MARKERS) expect(seen).not.toContain(marker);
    expect(JSON.stringify(s.core.db.prepare('SELECT * FROM flags').all())).not.toMatch(new RegExp(MARKERS.join('|')));
  });
});
