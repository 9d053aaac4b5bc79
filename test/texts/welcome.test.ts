/**
 * Texts that fit the reader: the mentor's welcome speaks to a mentor (their mentee's plans, their own
 * experience, the coach stance), the mentee's to a mentee; the mentor's coach tip changes from meeting
 * to meeting and stops after a few, instead of the same tip before every meeting.
 */
import { joinProgramme } from '../../src/flows/season';
import { PREP_AGENDA } from '../../src/flows/prep/plan';
import { beginPrep, completePrep, saveAnswer } from '../../src/flows/prep/store';
import { plan } from '../../src/flows/plan';
import { addIdentity, createPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { book, createTestSparring, keepOnlyNudges, seedPair, type TestSparring } from '../helpers/sparring';

function participant(s: TestSparring, programmeId: number, name: string, role: 'mentee' | 'mentor', locale: 'da' | 'en'): string {
  const id = createPerson(s.core, { name, locale });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  joinProgramme(s.core, programmeId, id, role);
  return `test:${id}`;
}

describe('the welcome', () => {
  it.each(['da', 'en'] as const)('speaks to a mentor as a mentor, and to a mentee as a mentee (%s)', async (locale) => {
    const s = createTestSparring({ start: '2026-09-14T08:00:00Z' });
    const programme = createProgramme(s.core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const astrid = participant(s, programme.id, 'Astrid Holm', 'mentee', locale);
    const jonas = participant(s, programme.id, 'Jonas Berg', 'mentor', locale);

    await s.scheduler.runOnce();

    const toMentor = s.messenger.ofKind('onboarding.welcome', jonas)[0]!.message.text;
    const toMentee = s.messenger.ofKind('onboarding.welcome', astrid)[0]!.message.text;
    const phrases = {
      da: { mentorOnly: ['din mentees karriere', 'med afsæt i din erfaring', 'Stræb efter at være coach', 'Gode spørgsmål at stille'], menteeOnly: ['dine planer, dine drømme', 'din mentors erfaring', 'Det er dig, der planlægger'] },
      en: { mentorOnly: ["your mentee's career", 'drawing on your experience', 'Aim to be the coach', 'Good questions to ask'], menteeOnly: ['your plans, your hopes', "your mentor's experience", 'You do the planning'] },
    }[locale];
    for (const phrase of phrases.mentorOnly) {
      expect(toMentor).toContain(phrase);
      expect(toMentee).not.toContain(phrase);
    }
    for (const phrase of phrases.menteeOnly) {
      expect(toMentee).toContain(phrase);
      expect(toMentor).not.toContain(phrase);
    }
    expect(toMentor).toContain(locale === 'da' ? 'Velkommen til Efterår 2026, Jonas' : 'Welcome to Efterår 2026, Jonas');
    s.close();
  });
});

describe("the mentor's coach tip with the agenda", () => {
  it('is a different one for each of the first meetings, and none after that', async () => {
    const s = createTestSparring({ start: '2026-09-14T08:00:00Z' });
    const pair = seedPair(s);
    const meetings = ['2026-09-23', '2026-10-07', '2026-10-21', '2026-11-04', '2026-11-18'].map((day) => book(s, pair, `${day}T14:00:00Z`));
    keepOnlyNudges(s.core, PREP_AGENDA);

    for (const m of meetings) {
      beginPrep(s.core, m.id);
      saveAnswer(s.core, m.id, 'say', 'Min praktik');
      completePrep(s.core, m.id, true);
      plan(s.core, { key: `${PREP_AGENDA}:${m.id}:test`, kind: PREP_AGENDA, personId: pair.mentorId, payload: { meetingId: m.id }, dueAt: s.clock.now() });
      await s.scheduler.runOnce(); // one at a time: agendas due together would be bundled into one message
    }

    const agendas = s.messenger.ofKind(PREP_AGENDA, pair.mentor).map((d) => d.message.text);
    expect(agendas).toHaveLength(5);
    const tips = agendas.map((text) => text.split('\n').find((line) => line.startsWith('Et råd til mødet')) ?? null);
    expect(tips.slice(0, 4).every((tip) => tip !== null)).toBe(true);
    expect(new Set(tips.slice(0, 4)).size).toBe(4);
    expect(tips[4]).toBeNull();
    expect(agendas[0]).toContain('Astrid har forberedt jeres møde onsdag den 23. september kl. 16.00');
    s.close();
  });
});
