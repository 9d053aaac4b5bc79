/**
 * Alerts that come to the coordinator: the weekly digest on Monday at the nudge hour in the
 * coordinator's own zone (skipped when there is nothing), an alert at once for what needs action now,
 * each delivered once, never in quiet hours; the digest turned off and on from chat.
 */
import { listFlags, acknowledgeFlag } from '../../src/coordinator/flags';
import { ensureSchedules } from '../../src/coordinator/notify';
import { recordHelpRequest } from '../../src/coordinator/requests';
import { bookMeeting } from '../../src/meetings';
import { getPerson } from '../../src/people';
import { defaultQuietHours, nextAllowedMoment } from '../../src/time';
import { createTestSparring, say, type TestSparring } from '../helpers/sparring';
import { aProgramme, emilAndSara, live, to, type Cast, type Stamped } from './risk-story';

let s: TestSparring;
let programme: Cast;
let helle: number;
let emil: number;
let sara: number;
let pairId: number;

const inQuietHours = (d: Stamped, personId: number) => nextAllowedMoment(d.at, getPerson(s.core, personId)!.timezone, defaultQuietHours) !== d.at;
const iso = (d: Stamped) => new Date(d.at).toISOString();

function cast(zone?: string) {
  s = createTestSparring({ start: '2026-09-01T08:00:00Z' });
  programme = aProgramme(s);
  helle = programme.person('Helle Munk', 'coordinator', zone ? { timezone: zone } : {});
  ({ emil, sara, pairId } = emilAndSara(programme));
}
afterEach(() => s.close());

describe('the weekly digest', () => {
  it('comes on Monday at the nudge hour in the coordinator’s zone with the new flags, and is skipped while there is nothing', async () => {
    cast('America/New_York');
    const sent = await live(s, '2026-10-13T18:00:00Z');
    const digests = sent.filter((d) => d.key.startsWith('risk.digest:'));
    // Mondays 7 September … 5 October had nothing to say; the pair went quiet on 8 October.
    expect(digests.map((d) => [d.key, iso(d)])).toEqual([[`risk.digest:${helle}:2026-10-12`, '2026-10-12T14:00:00.000Z']]);
    const skipped = s.core.db.prepare("SELECT key, outcome_note AS note FROM nudges WHERE kind = 'risk.digest' AND status = 'dropped' ORDER BY due_at").all() as { key: string; note: string }[];
    // (dropped rows older than keepDeliveredDays are deleted by housekeeping: 7 September's is gone)
    expect(skipped.map((r) => r.key.split(':')[2])).toEqual(['2026-09-14', '2026-09-21', '2026-09-28', '2026-10-05']);
    expect(new Set(skipped.map((r) => r.note))).toEqual(new Set(['nothing to report this week']));

    const [flag] = listFlags(s.core, programme.programmeId);
    expect(flag).toMatchObject({ code: 'quiet', raisedAt: '2026-10-08T10:00:00.000Z' }); // the sweep at 06:00 in New York
    const text = digests[0]!.message.text;
    expect(text).toContain('*Ugeoversigt* — mandag den 12. oktober');
    expect(text).toContain(`Nye flag siden sidst (1):\n• Emil Madsen & Sara Lund — intet møde endnu, 41 dage efter starten · siden 8. oktober · *flag ${flag!.id}*`);
    expect(text).toContain('Stille par: 1 · evalueringer, der mangler svar: 0 · personer, Sparring ikke kan nå: 0');
    expect(digests[0]!.message.why).toContain('*ugeoversigt fra*');
  });

  it('is delivered once: planned again, after a restart, it is not sent again; and never in quiet hours', async () => {
    cast();
    const first = await live(s, '2026-10-12T12:00:00Z');
    ensureSchedules(s.core, programme.programmeId);
    s = s.restart();
    ensureSchedules(s.core, programme.programmeId);
    const later = await live(s, '2026-10-26T12:00:00Z');
    const sent = [...first, ...later].filter((d) => d.address === to(helle));
    const keys = sent.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('risk.digest:'))).toEqual([`risk.digest:${helle}:2026-10-12`, `risk.digest:${helle}:2026-10-19`, `risk.digest:${helle}:2026-10-26`]);
    expect(sent.filter((d) => inQuietHours(d, helle)).map(iso)).toEqual([]);
    // The next weeks list no flag as new, but the quiet pair still counts.
    expect(sent[1]!.message.text).not.toContain('Nye flag');
    expect(sent[1]!.message.text).toContain('Stille par: 1');
  });

  it('is turned off and on again from chat, in either language; alerts at once still come while it is off', async () => {
    cast();
    expect(say(s, helle, 'ugeoversigt fra')).toContain('Ugeoversigten er slået fra');
    expect(say(s, helle, 'ugeoversigt')).toBe('Ugeoversigten er slået fra. Skriv *ugeoversigt til* eller *ugeoversigt fra*.');
    let sent = await live(s, '2026-10-13T12:00:00Z');
    expect(sent.filter((d) => d.key.startsWith('risk.digest:'))).toEqual([]);
    recordHelpRequest(s.core, { pairId, personId: emil, kind: 'help' });
    sent = await live(s, '2026-10-13T12:01:00Z');
    expect(sent.map((d) => d.key)).toEqual([expect.stringMatching(/^risk\.alert:/)]);

    expect(say(s, helle, 'digest on')).toBe('Ugeoversigten er slået til: du får den hver mandag kl. 10.00.');
    sent = await live(s, '2026-10-20T12:00:00Z');
    expect(sent.filter((d) => d.key.startsWith('risk.digest:')).map((d) => d.key)).toEqual([`risk.digest:${helle}:2026-10-19`]);
    expect(say(s, emil, 'digest off')).toMatch(/^Only the programme's coordinators can use \*digest\*/);
  });
});

describe('an alert at once', () => {
  it('comes at once for a request for a new match, once, and says what to type', async () => {
    cast();
    s.clock.set('2026-09-15T09:00:00Z'); // a Tuesday morning
    await s.scheduler.runOnce();
    const before = s.messenger.deliveries.length;
    recordHelpRequest(s.core, { pairId, personId: sara, kind: 'rematch' });
    await s.scheduler.runOnce();
    const [alert, ...more] = s.messenger.deliveries.slice(before);
    expect(more).toEqual([]);
    const [flag] = listFlags(s.core, programme.programmeId);
    expect(alert).toMatchObject({ address: to(helle), key: `risk.alert:${flag!.id}:${helle}` });
    expect(alert!.message.text).toBe(
      [
        '*Emil Madsen & Sara Lund har brug for dig nu* (Efterår ' + alert!.message.text.match(/Efterår (\d+)/)![1] + ')',
        'en af dem har bedt om et nyt match — tirsdag den 15. september kl. 11.00.',
        `Skriv *flag ${flag!.id} set*, når du har set det, og *flag ${flag!.id} løst [note]*, når det er klaret.`,
      ].join('\n'),
    );
    recordHelpRequest(s.core, { pairId, personId: emil, kind: 'help' });
    const sent = await live(s, '2026-09-16T12:00:00Z');
    expect(sent.filter((d) => d.key.startsWith('risk.alert:'))).toEqual([]);
  });

  it('waits out the night and the weekend in the coordinator’s zone, and is dropped if a coordinator saw the flag first', async () => {
    cast();
    s.clock.set('2026-09-19T20:00:00Z'); // Saturday 22:00 in Copenhagen
    recordHelpRequest(s.core, { pairId, personId: emil, kind: 'help' });
    let sent = await live(s, '2026-09-22T12:00:00Z');
    expect(sent.filter((d) => d.key.startsWith('risk.alert:')).map(iso)).toEqual(['2026-09-21T06:00:00.000Z']); // Monday 08:00

    const astrid = programme.person('Astrid Holm', 'mentee');
    const jonas = programme.person('Jonas Berg', 'mentor');
    const other = programme.match(astrid, jonas);
    s.clock.set('2026-09-22T19:00:00Z'); // Tuesday 21:00
    recordHelpRequest(s.core, { pairId: other, personId: astrid, kind: 'help' });
    const flag = listFlags(s.core, programme.programmeId, { state: 'open' }).find((f) => f.pairId === other)!;
    s.clock.set('2026-09-22T20:00:00Z');
    acknowledgeFlag(s.core, helle, flag.id, 'Så det på skrivebordet');
    sent = await live(s, '2026-09-23T12:00:00Z');
    expect(sent.filter((d) => d.key.startsWith('risk.alert:'))).toEqual([]);
    expect(s.core.db.prepare('SELECT status, outcome_note AS note FROM nudges WHERE key = ?').get(`risk.alert:${flag.id}:${helle}`)).toEqual({ status: 'dropped', note: 'a coordinator has seen the flag' });
  });

  it('comes at once for a check-in at the lowest score, answered in the real check-in; a low score above it waits for the digest', async () => {
    cast();
    bookMeeting(s.core, { pairId, startsAt: Date.parse('2026-10-28T14:00:00Z'), durationMin: 60, bookedBy: emil }); // not quiet
    await live(s, '2026-10-26T09:00:00Z'); // the check-in at mid-season (Sunday 25 October) held over the weekend
    expect(s.messenger.ofKind('checkin.ask')).toHaveLength(2);
    const answer = (personId: number, step: string, value: string) => s.bot.handle(personId, { type: 'answer', questionId: `checkin.${step}.${pairId}`, value });
    answer(sara, 'professional', '4');
    answer(sara, 'personal', '2');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('risk.alert')).toEqual([]);
    expect(listFlags(s.core, programme.programmeId, { state: 'open' })).toEqual([expect.objectContaining({ code: 'low_checkin', detail: expect.objectContaining({ lowest: 2 }) })]);

    s.clock.set('2026-10-26T10:00:00Z');
    answer(emil, 'professional', '1');
    answer(emil, 'personal', '3');
    await s.scheduler.runOnce();
    const alerts = s.messenger.ofKind('risk.alert');
    expect(alerts.map((d) => d.address)).toEqual([to(helle)]);
    expect(alerts[0]!.message.text).toContain('en match-check-in på 1 af 5');
    expect(alerts[0]!.message.text).not.toMatch(/Emil har|Sara har|mentee|mentor/);
  });
});
