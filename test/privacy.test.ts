import { erasePerson } from '../src/privacy/erase';
import { exportPerson } from '../src/privacy/export';
import { getPerson } from '../src/people';
import { programmeStatus } from '../src/coordinator/status';
import { answerAlignment, book, createTestSparring, say, seedPair } from './helpers/sparring';

describe('a person’s own data', () => {
  it('can be exported by them, with their preparation, and not by their mentor', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    book(s, pair, '2026-10-01T14:00:00Z');
    say(s, pair.menteeId, 'prep');
    for (const a of ['Mit hemmelige emne', '-', '-', '-', '2']) say(s, pair.menteeId, a);
    expect(JSON.stringify(exportPerson(s.core, getPerson(s.core, pair.menteeId)!))).toContain('Mit hemmelige emne');
    expect(JSON.stringify(exportPerson(s.core, getPerson(s.core, pair.mentorId)!))).not.toContain('Mit hemmelige emne');
    s.close();
  });

  it('is erased on request, leaving only anonymous counts', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    s.core.db.prepare("UPDATE people SET email = 'astrid@example.org' WHERE id = ?").run(pair.menteeId);
    const meeting = book(s, pair, '2026-09-29T14:00:00Z');
    await s.scheduler.runOnce();
    answerAlignment(s, pair.menteeId);
    s.clock.set('2026-09-30T06:00:00Z'); // the morning after: the question about the meeting waited out the night
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('after.ask')).toHaveLength(1);
    for (const a of ['1', 'Vi talte om min ansøgning', 'Skrive til Netcompany', '-', '-']) say(s, pair.menteeId, a);
    expect(s.core.db.prepare('SELECT points FROM summaries').get()).toEqual({ points: 'Vi talte om min ansøgning' });
    s.core.db.prepare("INSERT INTO survey_responses (programme_id, person_id, role, item, value, answered_at) VALUES (?, ?, 'mentee', 'match', 4, 0)").run(pair.programmeId, pair.menteeId);
    const before = programmeStatus(s.core, pair.programmeId);

    erasePerson(s.core, pair.menteeId);

    const everything = JSON.stringify(
      ['people', 'identities', 'participants', 'summaries', 'action_items', 'agreements', 'prep_answers', 'nudges', 'dialogues', 'survey_responses'].map((t) => s.core.db.prepare(`SELECT * FROM ${t}`).all()),
    );
    for (const trace of ['Astrid', 'astrid@example.org', 'Vi talte om min ansøgning', 'Skrive til Netcompany', 'Ærlighed']) expect(everything).not.toContain(trace);
    expect(s.core.db.prepare('SELECT status FROM meetings WHERE id = ?').get(meeting.id)).toEqual({ status: 'held' });
    expect(s.core.db.prepare('SELECT person_id, value FROM survey_responses').all()).toEqual([{ person_id: null, value: 4 }]);
    const after = programmeStatus(s.core, pair.programmeId);
    expect(after.meetings).toEqual(before.meetings);
    expect(after.pairs).toEqual(before.pairs);
    s.close();
  });
});
