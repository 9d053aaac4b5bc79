import { cancelMeeting, moveMeeting } from '../../src/meetings';
import { planPrep } from '../../src/flows/prep/plan';
import { findNudge } from '../../src/scheduler/nudges';
import { answerAlignment, book, createTestSparring, say, seedPair, type TestSparring } from '../helpers/sparring';

const prepNudge = (s: TestSparring, meetingId: number) =>
  s.core.db.prepare("SELECT * FROM nudges WHERE kind = 'prep.prompt' AND subject = ?").all(`meeting:${meetingId}`) as {
    due_at: number;
    status: string;
    expires_at: number;
  }[];

describe('planning the prep prompt', () => {
  it.each([
    // Autumn: Denmark leaves summer time in the night to Sunday 25 October 2026.
    ['a Wednesday after the autumn change', '2026-10-28T15:00:00Z', '2026-10-26T08:00:00Z'], // Mon 09:00 CET
    ['a Tuesday, so the weekend pushes it back over the change', '2026-10-27T15:00:00Z', '2026-10-23T07:00:00Z'], // Fri 09:00 CEST
    // Spring: summer time begins in the night to Sunday 28 March 2027.
    ['a Wednesday after the spring change', '2027-03-31T08:00:00Z', '2027-03-29T07:00:00Z'], // Mon 09:00 CEST
    ['a Tuesday before which the weekend spans the change', '2027-03-30T08:00:00Z', '2027-03-26T08:00:00Z'], // Fri 09:00 CET
  ])('comes two days before, at 09:00 Copenhagen time, for a meeting on %s', (_, meetingAt, expectedDue) => {
    const s = createTestSparring({ start: '2026-09-14T08:00:00Z' });
    const pair = seedPair(s, { programme: { endsOn: '2027-06-30' } });
    const meeting = book(s, pair, meetingAt);
    const [nudge] = prepNudge(s, meeting.id);
    expect(new Date(nudge!.due_at).toISOString()).toBe(new Date(expectedDue).toISOString());
    expect(nudge!.expires_at).toBe(meeting.startsAt - 3_600_000);
    s.close();
  });

  it("follows the mentee's own time zone", () => {
    const s = createTestSparring();
    const pair = seedPair(s, { menteeZone: 'America/New_York' });
    const meeting = book(s, pair, '2026-10-07T15:00:00Z'); // a Wednesday
    expect(new Date(prepNudge(s, meeting.id)[0]!.due_at).toISOString()).toBe('2026-10-05T13:00:00.000Z'); // Mon 09:00 EDT
    s.close();
  });

  it('honours a programme that asks three days ahead at 10:00', () => {
    const s = createTestSparring();
    const pair = seedPair(s, { programme: { settings: { prepLeadDays: 3, prepHour: 10 } } });
    const meeting = book(s, pair, '2026-10-09T12:00:00Z'); // a Friday
    expect(new Date(prepNudge(s, meeting.id)[0]!.due_at).toISOString()).toBe('2026-10-06T08:00:00.000Z'); // Tue 10:00 CEST
    s.close();
  });

  it('is planned once, however often the same meeting is planned', () => {
    const s = createTestSparring();
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-07T15:00:00Z');
    planPrep(s.core, meeting);
    planPrep(s.core, meeting);
    expect(prepNudge(s, meeting.id)).toHaveLength(1);
    s.close();
  });

  it('is planned again when a meeting is moved away and back to the same time', () => {
    const s = createTestSparring();
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-07T15:00:00Z');
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-08T15:00:00Z'));
    moveMeeting(s.core, meeting.id, meeting.startsAt);
    const pending = prepNudge(s, meeting.id).filter((r) => r.status === 'pending');
    expect(pending.map((r) => new Date(r.due_at).toISOString())).toEqual(['2026-10-05T07:00:00.000Z']);
    s.close();
  });

  it('is re-planned when the meeting moves and cancelled when it is cancelled', () => {
    const s = createTestSparring();
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-07T15:00:00Z');
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-14T15:00:00Z'));
    const rows = prepNudge(s, meeting.id);
    expect(rows.map((r) => r.status).sort()).toEqual(['cancelled', 'pending']);
    expect(new Date(rows.find((r) => r.status === 'pending')!.due_at).toISOString()).toBe('2026-10-12T07:00:00.000Z');
    cancelMeeting(s.core, meeting.id);
    expect(prepNudge(s, meeting.id).every((r) => r.status === 'cancelled')).toBe(true);
    s.close();
  });
});

describe('answering the prep prompt', () => {
  async function promptDelivered() {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' }); // Monday
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-01T14:00:00Z'); // Thursday 16:00 CEST
    await s.scheduler.runOnce(); // the invitations and the alignment go out at once
    answerAlignment(s, pair.menteeId);
    expect(s.messenger.ofKind('prep.prompt')).toHaveLength(0);
    s.clock.set('2026-09-29T07:00:00Z'); // Tuesday 09:00 CEST: due
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('prep.prompt')).toHaveLength(1);
    return { s, pair, meeting };
  }

  it('asks say, hear, achieve and since last time, one at a time, and stores the answers', async () => {
    const { s, pair, meeting } = await promptDelivered();
    const [prompt] = s.messenger.ofKind('prep.prompt', pair.mentee);
    expect(prompt!.message.text).toContain('Hvad vil du sige?');
    expect(prompt!.message.text).toContain('torsdag den 1. oktober kl. 16.00');
    expect(prompt!.message.why).toContain('I mødes');
    expect(prompt!.message.question).toMatchObject({ kind: 'text', id: `prep.say.${meeting.id}` });

    expect(say(s, pair.menteeId, 'Mit speciale og en praktikplads')).toContain('Hvad vil du høre?');
    expect(say(s, pair.menteeId, 'spring over')).toContain('Hvad vil du opnå?');
    expect(say(s, pair.menteeId, 'En plan for foråret')).toContain('Før jeres første møde');
    expect(say(s, pair.menteeId, 'Jeg er nervøs for at virke uerfaren')).toContain('Må Jonas se dem');

    const answers = s.core.db.prepare('SELECT question, answer FROM prep_answers WHERE meeting_id = ? ORDER BY question').all(meeting.id);
    expect(answers).toEqual([
      { question: 'achieve', answer: 'En plan for foråret' },
      { question: 'hear', answer: null },
      { question: 'say', answer: 'Mit speciale og en praktikplads' },
      { question: 'since', answer: 'Jeg er nervøs for at virke uerfaren' },
    ]);
    s.close();
  });

  it('sends the agenda to the mentor when the mentee shares it', async () => {
    const { s, pair } = await promptDelivered();
    for (const a of ['Mit speciale', 'Råd om LinkedIn', 'En plan', 'Det gik fint']) say(s, pair.menteeId, a);
    expect(say(s, pair.menteeId, '1')).toContain('Jonas får din dagsorden');
    await s.scheduler.runOnce();
    const [agenda] = s.messenger.ofKind('prep.agenda', pair.mentor);
    expect(agenda!.message.text).toContain('Astrid har forberedt jeres møde');
    expect(agenda!.message.text).toContain('Råd om LinkedIn');
    expect(agenda!.message.why).toContain('valgte at dele');
    s.close();
  });

  it('keeps the answers from the mentor when the mentee says no', async () => {
    const { s, pair, meeting } = await promptDelivered();
    for (const a of ['Hemmeligt emne', 'Noget andet', 'En plan', 'Det gik fint']) say(s, pair.menteeId, a);
    expect(say(s, pair.menteeId, 'Nej, jeg beholder dem for mig selv')).toContain('kun du kan se dem');
    await s.scheduler.runOnce();
    s.clock.set('2026-10-01T12:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('prep.agenda')).toHaveLength(0);
    expect(s.core.db.prepare('SELECT shared FROM preps WHERE meeting_id = ?').get(meeting.id)).toEqual({ shared: 0 });
    expect(JSON.stringify(s.messenger.deliveries)).not.toContain('Hemmeligt emne');
    s.close();
  });

  it('resumes where it stopped after a restart', async () => {
    const { s, pair } = await promptDelivered();
    say(s, pair.menteeId, 'Første svar');
    const again = s.restart();
    expect(say(again, pair.menteeId, 'Andet svar')).toContain('Hvad vil du opnå?');
    again.close();
  });

  it('speaks English to a mentee who chose English', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s, { menteeLocale: 'en' });
    book(s, pair, '2026-10-01T14:00:00Z');
    await s.scheduler.runOnce(); // Monday 10:00: the invitation and the alignment questions
    s.clock.set('2026-09-29T08:00:00Z'); // the prompt was due at 9:00; the alignment, untouched for a day, no longer holds it back
    await s.scheduler.runOnce();
    const [prompt] = s.messenger.ofKind('prep.prompt');
    expect(prompt!.message.text).toContain('What do you want to say?');
    expect(prompt!.message.text).toContain('Thursday 1 October at 16:00');
    s.close();
  });

  it('is not sent for a meeting that was cancelled, nor for one already prepared', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const cancelled = book(s, pair, '2026-10-01T14:00:00Z');
    cancelMeeting(s.core, cancelled.id);
    const prepared = book(s, pair, '2026-10-02T10:00:00Z');
    say(s, pair.menteeId, 'prep');
    for (const a of ['a', 'b', 'c', 'd', '2']) say(s, pair.menteeId, a);
    s.clock.set('2026-09-30T07:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('prep.prompt')).toHaveLength(0);
    expect(findNudge(s.core.db, `prep.prompt:${prepared.id}:${prepared.startsAt}`)).toMatchObject({ status: 'dropped' });
    s.close();
  });

  it('lists what the mentee agreed to do last time under "since last time"', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const first = book(s, pair, '2026-09-29T14:00:00Z');
    s.core.db.prepare("UPDATE meetings SET status = 'held' WHERE id = ?").run(first.id);
    s.core.db
      .prepare('INSERT INTO action_items (pair_id, meeting_id, owner_id, text, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(pair.pairId, first.id, pair.menteeId, 'Opdatere min LinkedIn-profil', s.clock.now());
    book(s, pair, '2026-10-08T14:00:00Z');
    say(s, pair.menteeId, 'prep');
    for (const a of ['a', 'b']) say(s, pair.menteeId, a);
    const since = say(s, pair.menteeId, 'c');
    expect(since).toContain('1. Opdatere min LinkedIn-profil');
    expect(since).toContain('Siden sidst');
    // …and then the mentee ticks off what was done
    expect(say(s, pair.menteeId, 'Det gik godt')).toContain('Hvilke af de aftalte skridt fik du gjort?');
    expect(say(s, pair.menteeId, '7')).toContain('1 til 1');
    expect(say(s, pair.menteeId, '1')).toContain('Må Jonas se dem');
    expect(s.core.db.prepare('SELECT done_at FROM action_items').get()).toEqual({ done_at: s.clock.now() });
    s.close();
  });
});
