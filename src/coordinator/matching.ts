/**
 * Matching suggestions: for every unmatched mentee, mentors best first, with the reasons shown
 * (same faculty, overlap between the mentee's interests and education and the mentor's field and
 * title, capacity left, language). The best suggestions respect every mentor's capacity.
 * Scores are computed from token sets indexed once, so 2,000 mentees × 1,000 mentors stays fast.
 */
import type { Core } from '../core';
import { matchPair } from '../flows/season';
import { inTransaction } from '../store/database';

export type Reason = 'faculty' | 'interests' | 'language' | 'capacity';

export interface Suggestion {
  menteeId: number;
  mentee: string;
  mentorId: number;
  mentor: string;
  score: number;
  reasons: { reason: Reason; detail?: string }[];
}

interface Candidate {
  id: number;
  name: string;
  locale: string | null;
  faculty: string;
  tokens: Set<string>;
  capacity: number;
  left: number;
}

const words = (...texts: unknown[]) =>
  new Set(
    texts
      .flatMap((t) => (Array.isArray(t) ? t : [t]))
      .filter((t): t is string => typeof t === 'string')
      .flatMap((t) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u))
      .filter((w) => w.length >= 2),
  );

function load(core: Core, programmeId: number, role: 'mentee' | 'mentor'): Candidate[] {
  const rows = core.db
    .prepare(
      `SELECT p.id, p.name, p.locale, pa.profile,
              (SELECT count(*) FROM pairs x WHERE x.programme_id = pa.programme_id AND x.status = 'active'
                 AND (CASE ? WHEN 'mentee' THEN x.mentee_id ELSE x.mentor_id END) = p.id) AS taken
         FROM participants pa JOIN people p ON p.id = pa.person_id
        WHERE pa.programme_id = ? AND pa.role = ?
        ORDER BY p.id`,
    )
    .all(role, programmeId, role) as { id: number; name: string; locale: string | null; profile: string; taken: number }[];
  return rows.map((r) => {
    const p = JSON.parse(r.profile) as Record<string, unknown>;
    const capacity = role === 'mentor' ? Number(p.capacity ?? 1) : 1;
    const tokens = role === 'mentee' ? words(p.interests, p.education) : words(p.job_title, p.company, p.education, p.interests);
    return { id: r.id, name: r.name, locale: r.locale, faculty: String(p.faculty ?? '').trim().toLowerCase(), tokens, capacity, left: capacity - r.taken };
  });
}

/** Every mentor of the programme with their capacity and the room left in it, as matching counts them. */
export function mentorCapacities(core: Core, programmeId: number): { mentorId: number; name: string; capacity: number; left: number }[] {
  return load(core, programmeId, 'mentor').map((m) => ({ mentorId: m.id, name: m.name, capacity: m.capacity, left: m.left }));
}

/** The programme's mentees without an active pair. */
export function unmatchedMentees(core: Core, programmeId: number): { menteeId: number; name: string }[] {
  return load(core, programmeId, 'mentee').filter((m) => m.left > 0).map((m) => ({ menteeId: m.id, name: m.name }));
}

/** The reasons a mentor suits a mentee, as shown to the coordinator. */
function reasonsFor(mentee: Candidate, mentor: Candidate): Suggestion['reasons'] {
  const reasons: Suggestion['reasons'] = [];
  if (mentee.faculty && mentee.faculty === mentor.faculty) reasons.push({ reason: 'faculty', detail: mentee.faculty });
  const shared = [...mentee.tokens].filter((t) => mentor.tokens.has(t));
  if (shared.length > 0) reasons.push({ reason: 'interests', detail: shared.slice(0, 3).join(', ') });
  if ((mentee.locale ?? 'da') === (mentor.locale ?? 'da')) reasons.push({ reason: 'language', detail: mentee.locale ?? 'da' });
  return reasons;
}

const MAX_SCORE = 8;

/** Same faculty 4, up to 3 shared words 1 each, same language 1: a whole number from 0 to 8. */
function score(mentee: Candidate, mentor: Candidate): number {
  let total = mentee.faculty && mentee.faculty === mentor.faculty ? 4 : 0;
  let shared = 0;
  for (const t of mentee.tokens) if (mentor.tokens.has(t) && ++shared === 3) break;
  total += shared;
  if ((mentee.locale ?? 'da') === (mentor.locale ?? 'da')) total += 1;
  return total;
}

function suggestion(mentee: Candidate, mentor: Candidate): Suggestion {
  return { menteeId: mentee.id, mentee: mentee.name, mentorId: mentor.id, mentor: mentor.name, score: score(mentee, mentor), reasons: [...reasonsFor(mentee, mentor), { reason: 'capacity', detail: String(mentor.left) }] };
}

/** For each unmatched mentee, up to `perMentee` mentors with capacity left, best first (more capacity left breaks ties). */
export function suggestMatches(core: Core, programmeId: number, perMentee = 3): Suggestion[] {
  const mentees = load(core, programmeId, 'mentee').filter((m) => m.left > 0);
  const mentors = load(core, programmeId, 'mentor').filter((m) => m.left > 0);
  const out: Suggestion[] = [];
  for (const mentee of mentees) {
    const top: { mentor: Candidate; rank: number }[] = [];
    for (const mentor of mentors) {
      const rank = score(mentee, mentor) * 1000 + Math.min(mentor.left, 999);
      if (top.length === perMentee && rank <= top[top.length - 1]!.rank) continue;
      top.push({ mentor, rank });
      top.sort((a, b) => b.rank - a.rank);
      if (top.length > perMentee) top.pop();
    }
    for (const t of top) out.push(suggestion(mentee, t.mentor));
  }
  return out;
}

/**
 * The best assignment that respects capacities: the highest-scoring (mentee, mentor) pairs first,
 * each mentee once. Pairs are bucketed by their whole-number score, so there is no big sort.
 */
export function bestMatches(core: Core, programmeId: number): Suggestion[] {
  const mentees = load(core, programmeId, 'mentee').filter((m) => m.left > 0);
  const mentors = load(core, programmeId, 'mentor').filter((m) => m.left > 0);
  const buckets = Array.from({ length: MAX_SCORE + 1 }, () => [] as number[]);
  for (let i = 0; i < mentees.length; i += 1) {
    for (let j = 0; j < mentors.length; j += 1) buckets[score(mentees[i]!, mentors[j]!)]!.push(i * mentors.length + j);
  }
  const done = new Uint8Array(mentees.length);
  const out: Suggestion[] = [];
  for (let sc = MAX_SCORE; sc >= 0 && out.length < mentees.length; sc -= 1) {
    for (const code of buckets[sc]!) {
      const i = Math.floor(code / mentors.length);
      const mentor = mentors[code % mentors.length]!;
      if (done[i] || mentor.left <= 0) continue;
      done[i] = 1;
      out.push(suggestion(mentees[i]!, mentor));
      mentor.left -= 1;
    }
  }
  return out;
}

export type MatchProblem = 'notMentee' | 'notMentor' | 'taken' | 'full';

/**
 * Confirms one match a coordinator chose (chat's `match @mentee @mentor`, the desk): the mentee must
 * be a mentee of the programme without an active pair, the mentor a mentor with room left. One transaction.
 */
export function confirmMatch(core: Core, programmeId: number, menteeId: number, mentorId: number): { ok: true } | { ok: false; problem: MatchProblem } {
  return inTransaction(core.db, () => {
    const role = (id: number, r: string) => !!core.db.prepare('SELECT 1 FROM participants WHERE programme_id = ? AND person_id = ? AND role = ?').get(programmeId, id, r);
    if (!role(menteeId, 'mentee')) return { ok: false, problem: 'notMentee' } as const;
    if (!role(mentorId, 'mentor')) return { ok: false, problem: 'notMentor' } as const;
    if (core.db.prepare("SELECT 1 FROM pairs WHERE programme_id = ? AND mentee_id = ? AND status = 'active'").get(programmeId, menteeId)) return { ok: false, problem: 'taken' } as const;
    const mentor = load(core, programmeId, 'mentor').find((m) => m.id === mentorId);
    if (!mentor || mentor.left <= 0) return { ok: false, problem: 'full' } as const;
    matchPair(core, programmeId, menteeId, mentorId);
    return { ok: true } as const;
  });
}

/** Confirms matches: each starts the introduction flow. One transaction. */
export function applyMatches(core: Core, programmeId: number, matches: { menteeId: number; mentorId: number }[]): number {
  return inTransaction(core.db, () => {
    for (const m of matches) matchPair(core, programmeId, m.menteeId, m.mentorId);
    return matches.length;
  });
}
