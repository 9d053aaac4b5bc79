/** Stories: the Danish command words work for everyone, and help lists what the reader's roles may do. */
import { addIdentity, addParticipant, createPerson, getPerson } from '../../src/people';
import { book, createTestSparring, keepOnlyNudges, say, seedPair } from '../helpers/sparring';

function menteeWithMeeting() {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s);
  const meeting = book(s, pair, '2026-10-07T14:00:00Z');
  keepOnlyNudges(s.core, 'none');
  return { s, pair, meeting };
}

describe('Danish commands', () => {
  it('hjælp, aftale, emner, skridt, udestående, minedata, pause, fortsæt, sprog en and forbered each work', () => {
    const { s, pair } = menteeWithMeeting();
    const help = say(s, pair.menteeId, 'hjælp');
    expect(help).toContain('Det kan jeg hjælpe dig med:');
    expect(help).toContain('*forbered*');
    expect(help).not.toContain('Som koordinator');
    expect(say(s, pair.menteeId, 'aftale')).toContain('I har ikke afstemt forventninger endnu.');
    expect(say(s, pair.menteeId, 'emner')).not.toMatch(/kender jeg ikke|ikke sikker på, hvad du mener/);
    expect(say(s, pair.menteeId, 'skridt')).not.toMatch(/kender jeg ikke|ikke sikker på, hvad du mener/);
    expect(say(s, pair.menteeId, 'udestående')).toBe('Der venter ingen spørgsmål på dig lige nu.');
    expect(say(s, pair.menteeId, 'minedata')).toContain('Astrid');
    expect(say(s, pair.menteeId, 'pause')).toContain('Dine påmindelser er sat på pause');
    expect(getPerson(s.core, pair.menteeId)!.pausedUntil).not.toBeNull();
    expect(say(s, pair.menteeId, 'fortsæt')).toBe('Påmindelserne er slået til igen.');
    say(s, pair.menteeId, 'sprog en');
    expect(getPerson(s.core, pair.menteeId)!.locale).toBe('en');
    expect(say(s, pair.menteeId, 'forbered')).toContain('What do you want to say?'); // Danish words work in English too
    s.close();
  });

  it("a mentor's help does not offer prep", () => {
    const { s, pair } = menteeWithMeeting();
    const help = say(s, pair.mentorId, 'hjælp');
    expect(help).toContain('Det kan jeg hjælpe dig med:');
    expect(help).not.toContain('*forbered*');
    expect(help).not.toContain('*prep*');
    s.close();
  });

  it("a coordinator's help has the coordinator section", () => {
    const { s, pair } = menteeWithMeeting();
    const id = createPerson(s.core, { name: 'Karen Lund' });
    addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    addParticipant(s.core, pair.programmeId, id, 'coordinator');
    const help = say(s, id, 'hjælp');
    expect(help).toContain('Som koordinator kan du også:');
    expect(help).toContain('*status*');
    s.close();
  });
});

describe('the share question', () => {
  it.each([
    ['ja', 'Jonas får din dagsorden', 1],
    ['nej', 'kun du kan se dem', 0],
  ])('"%s" picks the matching option', (word, reply, shared) => {
    const { s, pair, meeting } = menteeWithMeeting();
    say(s, pair.menteeId, 'forbered');
    for (const a of ['Mit speciale', 'Råd om LinkedIn', 'En plan']) say(s, pair.menteeId, a);
    const [share] = s.bot.handle(pair.menteeId, { type: 'text', text: 'Det gik fint' }).replies.slice(-1);
    expect(share!.text).toContain('Må Jonas se dem');
    expect(share!.question).toMatchObject({ kind: 'choice', options: [{ label: 'Ja, send dem til Jonas' }, { label: 'Nej, jeg beholder dem for mig selv' }] });
    expect(say(s, pair.menteeId, word)).toContain(reply);
    expect(s.core.db.prepare('SELECT shared FROM preps WHERE meeting_id = ?').get(meeting.id)).toEqual({ shared });
    s.close();
  });
});
