/**
 * The season part of a person's data: their pairs, the pairs' meetings with their real status, the
 * preparations, summaries, steps, agreement answers, reflections and check-ins. Only their own
 * words, and what was sent to them: a mentor sees an agenda only once the mentee shared it.
 */
import type { Core } from '../core';
import type { Person } from '../people';

/** The first name, or '?' for a name erased or missing. */
const firstName = (name: string | null | undefined) => (name ?? '?').trim().split(/\s+/)[0] ?? '?';
import type { MeetingStatus, PersonExport } from './person-data';

export const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

interface PairRow {
  id: number;
  programme: string;
  mentee_id: number;
  mentor_id: number;
  mentee: string;
  mentor: string;
  status: 'active' | 'ended';
  matched_at: number;
  ended_at: number | null;
  job_shadowing: string | null;
}

interface MeetingRow {
  id: number;
  pair_id: number;
  starts_at: number;
  duration_min: number;
  place: string | null;
  online_url: string | null;
  status: 'booked' | 'held' | 'cancelled' | 'missed';
  booked_by: number | null;
}

type Season = Pick<PersonExport, 'pairs' | 'meetings' | 'preparations' | 'summaries' | 'steps' | 'agreement' | 'reflections' | 'checkins'>;

/** A meeting's status as the person should read it: a past meeting is never "booked". */
export function meetingStatus(status: MeetingRow['status'], startsAt: number, now: number): MeetingStatus {
  if (status === 'booked' && startsAt <= now) return 'unrecorded';
  return status;
}

export function gatherSeason(core: Core, person: Person): Season {
  const db = core.db;
  const now = core.clock.now();
  const pairs = db
    .prepare(
      `SELECT p.id, g.name AS programme, p.mentee_id, p.mentor_id, me.name AS mentee, mo.name AS mentor,
              p.status, p.matched_at, p.ended_at, p.job_shadowing
         FROM pairs p JOIN programmes g ON g.id = p.programme_id
         LEFT JOIN people me ON me.id = p.mentee_id LEFT JOIN people mo ON mo.id = p.mentor_id
        WHERE p.mentee_id = ? OR p.mentor_id = ? ORDER BY p.matched_at, p.id`,
    )
    .all(person.id, person.id) as PairRow[];
  const pairById = new Map(pairs.map((p) => [p.id, p]));
  const isMentee = (p: PairRow) => p.mentee_id === person.id;
  const partner = (p: PairRow) => firstName(isMentee(p) ? p.mentor : p.mentee);

  const meetings = pairs.length === 0 ? [] : (db
    .prepare(`SELECT id, pair_id, starts_at, duration_min, place, online_url, status, booked_by FROM meetings WHERE pair_id IN (${pairs.map(() => '?').join(',')}) ORDER BY starts_at, id`)
    .all(...pairs.map((p) => p.id)) as MeetingRow[]);
  const meetingById = new Map(meetings.map((m) => [m.id, m]));
  const startsAt = (meetingId: number) => iso(meetingById.get(meetingId)!.starts_at);

  const season: Season = {
    pairs: pairs.map((p) => ({
      pairId: p.id,
      programme: p.programme,
      yourRole: isMentee(p) ? 'mentee' : 'mentor',
      partner: partner(p),
      status: p.status,
      matchedAt: iso(p.matched_at),
      endedAt: isoOrNull(p.ended_at),
      jobShadowing: p.job_shadowing,
    })),
    meetings: meetings.map((m) => ({
      meetingId: m.id,
      pairId: m.pair_id,
      partner: partner(pairById.get(m.pair_id)!),
      startsAt: iso(m.starts_at),
      durationMinutes: m.duration_min,
      place: m.place,
      onlineUrl: m.online_url,
      status: meetingStatus(m.status, m.starts_at, now),
      past: m.starts_at <= now,
      bookedByYou: m.booked_by === person.id,
    })),
    preparations: [],
    summaries: [],
    steps: [],
    agreement: [],
    reflections: [],
    checkins: [],
  };

  for (const m of meetings) {
    const pair = pairById.get(m.pair_id)!;
    const prep = db.prepare('SELECT shared, completed_at FROM preps WHERE meeting_id = ?').get(m.id) as { shared: number | null; completed_at: number | null } | undefined;
    const answers = db.prepare('SELECT question, answer, answered_at FROM prep_answers WHERE meeting_id = ? ORDER BY answered_at, rowid').all(m.id) as {
      question: string;
      answer: string | null;
      answered_at: number;
    }[];
    // The preparation is the mentee's. A mentor sees only answers the mentee shared: given before the
    // last "share" (an answer changed since, in a preparation started again, is not shared yet).
    const completedAt = prep?.completed_at ?? null;
    const visible = isMentee(pair) ? answers : prep?.shared === 1 && completedAt !== null ? answers.filter((a) => a.answered_at <= completedAt) : [];
    if (visible.length > 0) {
      season.preparations.push({
        meetingId: m.id,
        meetingStartsAt: iso(m.starts_at),
        whose: isMentee(pair) ? 'yours' : 'sharedWithYou',
        mentee: firstName(pair.mentee),
        shared: prep?.shared === undefined || prep.shared === null ? null : prep.shared === 1,
        completedAt: isoOrNull(completedAt),
        answers: visible.map((a) => ({ question: a.question, answer: a.answer, answeredAt: iso(a.answered_at) })),
      });
    }

    const summary = db.prepare('SELECT points, written_by, confirmed_at, mentor_addition, created_at FROM summaries WHERE meeting_id = ?').get(m.id) as
      | { points: string; written_by: number | null; confirmed_at: number | null; mentor_addition: string | null; created_at: number }
      | undefined;
    if (summary && (summary.points !== '' || summary.mentor_addition !== null)) {
      const items = db.prepare('SELECT owner_id, text FROM action_items WHERE meeting_id = ? ORDER BY created_at, id').all(m.id) as { owner_id: number | null; text: string }[];
      const yours = summary.written_by === person.id;
      season.summaries.push({
        meetingId: m.id,
        meetingStartsAt: iso(m.starts_at),
        whose: yours ? 'yours' : 'sentToYou',
        writtenBy: yours ? firstName(person.name) : firstName(summary.written_by === pair.mentor_id ? pair.mentor : pair.mentee),
        points: summary.points,
        steps: items.map((i) => ({ owner: firstName(i.owner_id === pair.mentor_id ? pair.mentor : pair.mentee), text: i.text })),
        mentorAddition: summary.mentor_addition,
        confirmedAt: isoOrNull(summary.confirmed_at),
        createdAt: iso(summary.created_at),
      });
    }

    const reflection = db.prepare('SELECT worked, did_not_work, created_at FROM reflections WHERE meeting_id = ? AND person_id = ?').get(m.id, person.id) as
      | { worked: string | null; did_not_work: string | null; created_at: number }
      | undefined;
    if (reflection) {
      season.reflections.push({ meetingId: m.id, meetingStartsAt: iso(m.starts_at), worked: reflection.worked, didNotWork: reflection.did_not_work, createdAt: iso(reflection.created_at) });
    }
  }

  season.steps = (db.prepare('SELECT id, meeting_id, text, created_at, done_at FROM action_items WHERE owner_id = ? ORDER BY created_at, id').all(person.id) as {
    id: number;
    meeting_id: number | null;
    text: string;
    created_at: number;
    done_at: number | null;
  }[]).map((s) => ({
    stepId: s.id,
    meetingId: s.meeting_id,
    meetingStartsAt: s.meeting_id !== null && meetingById.has(s.meeting_id) ? startsAt(s.meeting_id) : null,
    text: s.text,
    createdAt: iso(s.created_at),
    doneAt: isoOrNull(s.done_at),
  }));

  season.agreement = (db.prepare('SELECT pair_id, item, answer, answered_at FROM agreements WHERE author_id = ? ORDER BY answered_at, rowid').all(person.id) as {
    pair_id: number;
    item: string;
    answer: string | null;
    answered_at: number;
  }[]).map((a) => ({ pairId: a.pair_id, partner: pairById.has(a.pair_id) ? partner(pairById.get(a.pair_id)!) : '?', item: a.item, answer: a.answer, answeredAt: iso(a.answered_at) }));

  season.checkins = (db.prepare('SELECT pair_id, professional, personal, answered_at FROM checkins WHERE person_id = ? ORDER BY answered_at').all(person.id) as {
    pair_id: number;
    professional: number;
    personal: number;
    answered_at: number;
  }[]).map((c) => ({ pairId: c.pair_id, partner: pairById.has(c.pair_id) ? partner(pairById.get(c.pair_id)!) : '?', professional: c.professional, personal: c.personal, answeredAt: iso(c.answered_at) }));

  return season;
}
