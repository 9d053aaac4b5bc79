/**
 * "Astrid can see that you agree" must be true: when the mentor confirms the mentee's summary, or adds
 * to it, the mentee is told, in her own language, through the scheduler.
 */
import { book, createTestSparring, keepOnlyNudges, runUntil, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

/** Astrid and Jonas meet on Wednesday 7 October at 16:00; afterwards Astrid writes the summary. */
async function summaryWritten(s: TestSparring, pair: TestPair): Promise<void> {
  book(s, pair, '2026-10-07T14:00:00Z');
  keepOnlyNudges(s.core, 'after.ask');
  await runUntil(s, '2026-10-08T09:00:00Z');
  expect(s.messenger.ofKind('after.ask', pair.mentee)).toHaveLength(1);
  for (const answer of ['1', 'Vi talte om min ansøgning til Netcompany', 'spring over', 'spring over', '21/10 16:00']) say(s, pair.menteeId, answer);
  await s.scheduler.runOnce();
  expect(s.messenger.ofKind('summary.review', pair.mentor)).toHaveLength(1);
}

describe('the mentor answers the summary, and the mentee is told', () => {
  it('tells Astrid, in Danish, that Jonas agrees with her summary', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    await summaryWritten(s, pair);

    const reply = say(s, pair.mentorId, '1');

    expect(reply).toBe('Tak! Jeg giver Astrid besked om, at du er enig.');
    expect(s.messenger.ofKind('summary.addition', pair.mentee)).toHaveLength(0); // not before the scheduler sends it
    await s.scheduler.runOnce();
    const [told] = s.messenger.ofKind('summary.addition', pair.mentee);
    expect(told!.message.text).toBe('Jonas har læst din opsummering af jeres møde onsdag den 7. oktober kl. 16.00 og er enig i den.');
    expect(told!.message.why).toBe('Du får denne besked, fordi Jonas har læst din opsummering.');
    s.close();
  });

  it('tells Astrid, in English, what Jonas added', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s, { menteeLocale: 'en' });
    await summaryWritten(s, pair);

    say(s, pair.mentorId, 'Jeg vil gerne tilføje noget');
    expect(say(s, pair.mentorId, 'Husk også at opdatere LinkedIn')).toBe('Tak! Jeg sender din tilføjelse til Astrid.');
    await s.scheduler.runOnce();

    const [told] = s.messenger.ofKind('summary.addition', pair.mentee);
    expect(told!.message.text).toBe('Jonas has added something to your summary of the meeting on Wednesday 7 October at 16:00:\nHusk også at opdatere LinkedIn');
    s.close();
  });

  it('tells the mentee nothing while the mentor has not answered', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    await summaryWritten(s, pair);

    await runUntil(s, '2026-10-12T12:00:00Z');

    expect(s.messenger.ofKind('summary.addition', pair.mentee)).toHaveLength(0);
    s.close();
  });
});
