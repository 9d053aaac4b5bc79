/**
 * A programme in mid-season for the desk's tests: a coordinator, twelve pairs in every state, meetings
 * held and booked over the weeks, preparations and summaries, a low check-in, a request for help,
 * someone unreachable, someone on a long pause, the evaluation answered, and three mentees still
 * without a mentor. Everything a participant "wrote" carries a marker that must never reach a page
 * or an export — except the mentors' answer the survey says the coordinator reads. A second programme
 * has a coordinator of its own.
 */
import type { Core } from '../../src/core';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { createProgramme, type Programme } from '../../src/programme/programmes';
import { DAY } from '../../src/time';
import type { FakeClock } from '../helpers/fake-clock';

/** Words only participants wrote, in every table that holds their words. */
export const MARKERS = {
  prep: 'QXPREPMARK',
  summary: 'QXSUMMARYMARK',
  addition: 'QXADDITIONMARK',
  step: 'QXSTEPMARK',
  agreement: 'QXAGREEMARK',
  reflection: 'QXREFLECTMARK',
  dialogue: 'QXDIALOGUEMARK',
  survey: 'QXSURVEYMARK',
  inbox: 'QXINBOXMARK',
};
/** The mentors' answer to "what have you learned", which the survey says the coordinator reads: shown on the report. */
export const LEARNED = 'QXLEARNEDSHOWN';

export interface DeskSeason {
  programme: Programme;
  other: Programme;
  coordinatorId: number;
  otherCoordinatorId: number;
  menteeId: number;
  pairs: { id: number; mentee: string; mentor: string; menteeId: number; mentorId: number }[];
  unmatched: string[];
  mentors: { id: number; name: string }[];
}

const menteeNames = ['Astrid Holm', 'Emil Carter', 'Freja Dahl', 'Gustav Lund', 'Ida Krogh', 'Jakob Friis', 'Karla Bech', 'Laura Winther', 'Magnus Storm', 'Nora Skov', 'Oscar Lind', 'Pia Thorsen'];
const mentorNames = ['Jonas Berg', 'Sara Lind', 'Bo Kjær', 'Dorte Hald', 'Erik Mose', 'Hanne Vind', 'Ib Falk', 'Kim Ravn'];

export function seedDeskSeason(core: Core, clock: FakeClock): DeskSeason {
  const db = core.db;
  clock.set('2026-08-25T08:00:00Z');
  const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18', settings: { minGroupSize: 5 } });
  const other = createProgramme(core, { name: 'Forår 2027', startsOn: '2027-02-01', endsOn: '2027-05-28' });
  // Coordinators and Astrid chat on the test platform (the fake messenger's); the others on Slack, and
  // Oscar on Teams without the app installed yet.
  const person = (programmeId: number, name: string, role: Role, profile: Record<string, unknown> = {}, locale: 'da' | 'en' | null = null) => {
    const first = name.split(' ')[0]!;
    const id = createPerson(core, { name, email: `${first.toLowerCase()}@example.org`, locale });
    if (role === 'coordinator' || first === 'Astrid') addIdentity(core, id, 'test', String(id), `test:${id}`);
    else if (first === 'Oscar') addIdentity(core, id, 'teams', `29:${first}`, null);
    else addIdentity(core, id, 'slack', `U${first.toUpperCase()}`, `slack:T1:U${first.toUpperCase()}`);
    addParticipant(core, programmeId, id, role, profile);
    return id;
  };
  const coordinatorId = person(programme.id, 'Helle Munk', 'coordinator');
  const otherCoordinatorId = person(other.id, 'Birgit Winther', 'coordinator');
  const mentors = mentorNames.map((name, i) => ({ id: person(programme.id, name, 'mentor', { faculty: 'IT', job_title: i % 2 ? 'UX lead' : 'Software architect', capacity: 2 }), name }));
  const mentees = menteeNames.map((name, i) => ({ id: person(programme.id, name, 'mentee', { faculty: 'IT', interests: i % 2 ? ['UX', 'networking'] : ['software', 'internships'] }, i === 1 ? 'en' : null), name }));
  const unmatched = ['Rasmus Juhl', 'Signe Bak', 'Tobias Ring'];
  for (const name of unmatched) person(programme.id, name, 'mentee', { faculty: 'IT', interests: ['UX'] });

  clock.set('2026-09-01T08:00:00Z');
  const pairs = mentees.map((m, i) => {
    const mentor = mentors[i % mentors.length]!;
    return { id: createPair(core, programme.id, m.id, mentor.id), mentee: m.name, mentor: mentor.name, menteeId: m.id, mentorId: mentor.id };
  });

  const at = (iso: string) => Date.parse(iso);
  const meeting = (pairId: number, iso: string, status: 'held' | 'booked' | 'missed' | 'cancelled', opts: { prep?: boolean; summary?: boolean } = {}) => {
    const id = Number(db.prepare('INSERT INTO meetings (pair_id, starts_at, duration_min, status, created_at) VALUES (?, ?, 60, ?, ?)').run(pairId, at(iso), status, at('2026-09-02T08:00:00Z')).lastInsertRowid);
    if (opts.prep) {
      db.prepare('INSERT INTO preps (meeting_id, shared, completed_at) VALUES (?, 1, ?)').run(id, at(iso) - DAY);
      db.prepare("INSERT INTO prep_answers (meeting_id, question, answer, answered_at) VALUES (?, 'say', ?, ?)").run(id, `Jeg vil tale om ${MARKERS.prep} og min praktik`, at(iso) - DAY);
    }
    if (opts.summary) {
      const pair = pairs.find((p) => p.id === pairId)!;
      db.prepare('INSERT INTO summaries (meeting_id, points, written_by, mentor_addition, created_at) VALUES (?, ?, ?, ?, ?)').run(id, `Vi talte om ${MARKERS.summary}`, pair.menteeId, `Husk ${MARKERS.addition}`, at(iso) + DAY);
      db.prepare('INSERT INTO action_items (pair_id, meeting_id, owner_id, text, created_at) VALUES (?, ?, ?, ?, ?)').run(pairId, id, pair.menteeId, `Skriv til ${MARKERS.step}`, at(iso) + DAY);
    }
    return id;
  };
  // Pairs meeting steadily, one with a meeting booked ahead.
  for (const [i, p] of pairs.slice(0, 6).entries()) {
    meeting(p.id, `2026-09-${String(15 + i).padStart(2, '0')}T14:00:00Z`, 'held', { prep: true, summary: true });
    meeting(p.id, `2026-10-${String(13 + i).padStart(2, '0')}T14:00:00Z`, 'held', { prep: i % 2 === 0, summary: i % 3 !== 0 });
    meeting(p.id, `2026-11-${String(10 + i).padStart(2, '0')}T15:00:00Z`, 'booked');
  }
  // Met once, nothing booked since; one of them missed a meeting in October (the quiet pair).
  meeting(pairs[6]!.id, '2026-09-22T14:00:00Z', 'held', { summary: true });
  meeting(pairs[6]!.id, '2026-10-20T14:00:00Z', 'missed');
  meeting(pairs[7]!.id, '2026-10-06T14:00:00Z', 'held', { prep: true });
  meeting(pairs[8]!.id, '2026-10-27T14:00:00Z', 'held');
  // Not met yet: one cancelled, one booked far ahead.
  meeting(pairs[9]!.id, '2026-09-29T14:00:00Z', 'cancelled');
  meeting(pairs[10]!.id, '2026-11-24T15:00:00Z', 'booked');

  // Everything else a participant writes.
  const p0 = pairs[0]!;
  db.prepare("INSERT INTO agreements (pair_id, author_id, item, answer, answered_at) VALUES (?, ?, 'help', ?, ?)").run(p0.id, p0.menteeId, `Hjælp med ${MARKERS.agreement}`, at('2026-09-10T08:00:00Z'));
  const firstMeeting = (db.prepare('SELECT id FROM meetings WHERE pair_id = ? ORDER BY starts_at LIMIT 1').get(p0.id) as { id: number }).id;
  db.prepare('INSERT INTO reflections (meeting_id, person_id, worked, did_not_work, created_at) VALUES (?, ?, ?, ?, ?)').run(firstMeeting, p0.menteeId, `Det virkede: ${MARKERS.reflection}`, null, at('2026-09-17T08:00:00Z'));
  db.prepare("INSERT INTO dialogues (person_id, flow, subject, step, state, rank, status, created_at, updated_at) VALUES (?, 'summary', 'summary:1', 'points', ?, 1, 'open', ?, ?)").run(
    p0.menteeId,
    JSON.stringify({ answers: { points: `Halvt svar ${MARKERS.dialogue}` } }),
    at('2026-10-14T08:00:00Z'),
    at('2026-10-14T08:00:00Z'),
  );
  db.prepare("INSERT INTO local_inbox (person_id, key, message, delivered_at) VALUES (?, 'x:1', ?, ?)").run(coordinatorId, JSON.stringify({ text: `Til koordinatoren: ${MARKERS.inbox}` }), at('2026-10-01T08:00:00Z'));

  // A low match check-in, a request for help, someone unreachable, someone on a long pause.
  db.prepare('INSERT INTO checkins (pair_id, person_id, professional, personal, answered_at) VALUES (?, ?, 1, 2, ?)').run(pairs[1]!.id, pairs[1]!.mentorId, at('2026-10-15T09:00:00Z'));
  db.prepare("INSERT INTO help_requests (pair_id, person_id, kind, created_at) VALUES (?, ?, 'help', ?)").run(pairs[2]!.id, pairs[2]!.menteeId, at('2026-10-28T09:00:00Z'));
  for (const [k, due] of [['a', '2026-10-28T08:00:00Z'], ['b', '2026-10-30T08:00:00Z']] as const) {
    db.prepare("INSERT INTO nudges (key, kind, person_id, payload, due_at, status, attempts, last_error, created_at) VALUES (?, 'quiet.nudge', ?, '{}', ?, 'failed', 8, 'user_not_found', ?)").run(
      `test.failed:${k}`,
      pairs[3]!.mentorId,
      at(due),
      at(due),
    );
  }
  db.prepare('UPDATE people SET paused_until = ?, paused_since = ? WHERE id = ?').run(at('2026-12-10T08:00:00Z'), at('2026-10-25T08:00:00Z'), pairs[4]!.menteeId);
  db.prepare("UPDATE pairs SET job_shadowing = 'done' WHERE id IN (?, ?, ?)").run(pairs[0]!.id, pairs[1]!.id, pairs[5]!.id);

  // The evaluation: enough mentees for every item to show; mentors' match, engagement and what they learned.
  const items = ['careerDirection', 'transition', 'labourMarket', 'prepared', 'projectInput', 'personalCompetences', 'professionalCompetences', 'professionalRelationship'];
  const answer = db.prepare('INSERT INTO survey_responses (programme_id, person_id, role, item, value, text, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  pairs.slice(0, 8).forEach((p, i) => {
    items.forEach((item, j) => answer.run(programme.id, p.menteeId, 'mentee', item, [1, 1, 2, 2, 3, 1, 2, 4, 5, 2, 1][(i * 3 + j * 5) % 11], null, at('2026-10-30T09:00:00Z')));
    answer.run(programme.id, p.menteeId, 'mentee', 'match', 5 - (i % 3), null, at('2026-10-30T09:00:00Z'));
    answer.run(programme.id, p.menteeId, 'mentee', 'engagement', 4 + (i % 2), null, at('2026-10-30T09:00:00Z'));
    answer.run(programme.id, p.menteeId, 'mentee', 'comment', null, `Fritekst ${MARKERS.survey}`, at('2026-10-30T09:00:00Z'));
  });
  mentors.slice(0, 6).forEach((m, i) => {
    answer.run(programme.id, m.id, 'mentor', 'match', 3 + (i % 3), null, at('2026-10-30T09:00:00Z'));
    answer.run(programme.id, m.id, 'mentor', 'engagement', 4, null, at('2026-10-30T09:00:00Z'));
    if (i < 2) answer.run(programme.id, m.id, 'mentor', 'learned', null, `${LEARNED} ${i === 0 ? 'De studerende vil gerne høre om hverdagen' : 'Projekterne er tæt på praksis'}`, at('2026-10-30T09:00:00Z'));
  });

  // The survey went to every mentee and mentor in the pairs.
  for (const personId of pairs.flatMap((p) => [p.menteeId, p.mentorId])) {
    db.prepare("INSERT OR IGNORE INTO nudges (key, kind, person_id, subject, payload, due_at, status, delivered_at, created_at) VALUES (?, 'survey.ask', ?, ?, '{}', ?, 'delivered', ?, ?)").run(
      `survey.ask:${programme.id}:${personId}`,
      personId,
      `survey:${programme.id}`,
      at('2026-10-26T08:00:00Z'),
      at('2026-10-26T08:00:00Z'),
      at('2026-10-26T08:00:00Z'),
    );
  }

  // Monday 2 November 2026, 10:00 in Copenhagen.
  clock.set('2026-11-02T09:00:00Z');
  return { programme, other, coordinatorId, otherCoordinatorId, menteeId: pairs[0]!.menteeId, pairs, unmatched, mentors };
}
