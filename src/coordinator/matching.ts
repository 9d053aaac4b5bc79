/**
 * Matching suggestions: for every unmatched mentee, mentors best first, with the reasons shown
 * (same faculty, overlap between the mentee's interests and education and the mentor's field and
 * title, capacity left, language) and the warnings (a mentee who asked for English with a mentor who
 * speaks Danish; a pair that met in an earlier season, shown only when the coordinator allows it).
 * A mentor's room counts the active pairs, the requests waiting for the mentor's answer (mentee-picks
 * mode) and the first suggestions of the same run: the first suggestions together never exceed it.
 * Two people who were a pair before, in any programme, are not suggested or confirmed again unless
 * the coordinator asks for it. Scores are computed from token sets indexed once, so 2,000 mentees ×
 * 1,000 mentors stays fast.
 */
import type { Core } from '../core';
import { matchPair } from '../flows/season';
import { inTransaction } from '../store/database';

export type Reason = 'faculty' | 'interests' | 'language' | 'capacity';
export type Warning = 'language' | 'repeat';

export interface Suggestion {
  menteeId: number;
  mentee: string;
  mentorId: number;
  mentor: string;
  score: number;
  reasons: { reason: Reason; detail?: string }[];
  /** Said with the suggestion: a language mismatch, a repeat of an earlier pairing (only with allowRepeat). */
  warnings: { warning: Warning; detail?: string }[];
  /** The mentee's first suggestion: the first suggestions of one run respect every mentor's room together. */
  first: boolean;
}

export interface MatchOptions {
  /** Suggest (or confirm) two people who were a pair before; default no. */
  allowRepeat?: boolean;
}

/** The kinds of nudge and dialogue that hold a mentee's request to a mentor (src/flows/mentee-picks.ts). */
export const REQUEST_KIND = 'season.request';
export const REQUEST_FLOW = 'season.accept';
const PICK_KIND = 'season.pick';
const PICK_FLOW = 'season.pick';

interface Candidate {
  id: number;
  name: string;
  locale: string | null;
  faculty: string;
  tokens: Set<string>;
  capacity: number;
  left: number;
  languages: Set<string>;
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
                 AND (CASE @role WHEN 'mentee' THEN x.mentee_id ELSE x.mentor_id END) = p.id)
            + (CASE @role WHEN 'mentor' THEN
                 (SELECT count(*) FROM nudges n WHERE n.person_id = p.id AND n.kind = @kind AND n.status IN ('pending', 'sending')
                    AND json_extract(n.payload, '$.programmeId') = pa.programme_id)
               + (SELECT count(*) FROM dialogues d WHERE d.person_id = p.id AND d.flow = @flow AND d.status = 'open'
                    AND json_extract(d.state, '$.programmeId') = pa.programme_id)
               ELSE 0 END) AS taken
         FROM participants pa JOIN people p ON p.id = pa.person_id
        WHERE pa.programme_id = @programmeId AND pa.role = @role
        ORDER BY p.id`,
    )
    .all({ role, programmeId, kind: REQUEST_KIND, flow: REQUEST_FLOW }) as { id: number; name: string; locale: string | null; profile: string; taken: number }[];
  return rows.map((r) => {
    const p = JSON.parse(r.profile) as Record<string, unknown>;
    const capacity = role === 'mentor' ? Number(p.capacity ?? 1) : 1;
    const tokens = role === 'mentee' ? words(p.interests, p.education) : words(p.job_title, p.company, p.education, p.interests);
    const languages = words(p.languages);
    return { id: r.id, name: r.name, locale: r.locale, faculty: String(p.faculty ?? '').trim().toLowerCase(), tokens, capacity, left: capacity - r.taken, languages };
  });
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Every two people of the programme who were a pair before (any programme, any status), either way round. */
function earlierPairs(core: Core, programmeId: number): Set<string> & { between(a: number, b: number): boolean } {
  const rows = core.db
    .prepare(
      `SELECT DISTINCT mentee_id AS a, mentor_id AS b FROM pairs
        WHERE mentee_id IN (SELECT person_id FROM participants WHERE programme_id = ?)
           OR mentor_id IN (SELECT person_id FROM participants WHERE programme_id = ?)`,
    )
    .all(programmeId, programmeId) as { a: number; b: number }[];
  const keys = new Set(rows.map((r) => pairKey(r.a, r.b)));
  const people = new Set(rows.flatMap((r) => [r.a, r.b]));
  // Most people were never paired: a number lookup first spares a string per (mentee, mentor).
  return Object.assign(keys, { between: (a: number, b: number) => people.has(a) && people.has(b) && keys.has(pairKey(a, b)) });
}

/** Whether the two were a pair before, in any programme. */
export function pairedBefore(core: Core, a: number, b: number): boolean {
  return !!core.db.prepare('SELECT 1 FROM pairs WHERE (mentee_id = ? AND mentor_id = ?) OR (mentee_id = ? AND mentor_id = ?)').get(a, b, b, a);
}

/** Every mentor of the programme with their capacity and the room left in it, as matching counts them. */
export function mentorCapacities(core: Core, programmeId: number): { mentorId: number; name: string; capacity: number; left: number }[] {
  return load(core, programmeId, 'mentor').map((m) => ({ mentorId: m.id, name: m.name, capacity: m.capacity, left: m.left }));
}

/**
 * The programme's mentees without an active pair; in mentee-picks mode, `waiting` says whether one
 * is to pick a mentor ('pick') or waits for the mentor's answer ('mentor'); null: nothing under way.
 */
export function unmatchedMentees(core: Core, programmeId: number): { menteeId: number; name: string; waiting: 'pick' | 'mentor' | null }[] {
  // Two queries for the whole programme (not one per mentee): who has a request or a choice under way.
  const under = (kind: string, flow: string, who: string) =>
    new Set(
      (core.db
        .prepare(
          `SELECT ${who === 'person' ? 'person_id' : "json_extract(payload, '$.menteeId')"} AS id FROM nudges
            WHERE kind = @kind AND status IN ('pending', 'sending') AND json_extract(payload, '$.programmeId') = @programmeId
           UNION SELECT ${who === 'person' ? 'person_id' : "json_extract(state, '$.menteeId')"} FROM dialogues
            WHERE flow = @flow AND status = 'open' AND json_extract(state, '$.programmeId') = @programmeId`,
        )
        .all({ kind, flow, programmeId }) as { id: number }[]).map((r) => r.id),
    );
  const asking = under(REQUEST_KIND, REQUEST_FLOW, 'mentee');
  const picking = under(PICK_KIND, PICK_FLOW, 'person');
  return load(core, programmeId, 'mentee')
    .filter((m) => m.left > 0)
    .map((m) => ({ menteeId: m.id, name: m.name, waiting: asking.has(m.id) ? ('mentor' as const) : picking.has(m.id) ? ('pick' as const) : null }));
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

/** A mentee who asked for English, a mentor whose locale is Danish and whose profile names no English. */
function languageMismatch(mentee: Candidate, mentor: Candidate): boolean {
  return mentee.locale === 'en' && mentor.locale === 'da' && !mentor.languages.has('en') && !mentor.languages.has('english') && !mentor.languages.has('engelsk');
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

function suggestion(mentee: Candidate, mentor: Candidate, earlier: ReturnType<typeof earlierPairs>, first = false): Suggestion {
  const warnings: Suggestion['warnings'] = [];
  if (languageMismatch(mentee, mentor)) warnings.push({ warning: 'language', detail: `${mentee.locale}/${mentor.locale}` });
  if (earlier.between(mentee.id, mentor.id)) warnings.push({ warning: 'repeat' });
  return {
    menteeId: mentee.id,
    mentee: mentee.name,
    mentorId: mentor.id,
    mentor: mentor.name,
    score: score(mentee, mentor),
    reasons: [...reasonsFor(mentee, mentor), { reason: 'capacity', detail: String(mentor.left) }],
    warnings,
    first,
  };
}

/**
 * The best assignment that respects capacities: the highest-scoring (mentee, mentor) pairs first,
 * each mentee once. Pairs are bucketed by their whole-number score, so there is no big sort.
 */
function assign(mentees: Candidate[], mentors: Candidate[], allowed: (mentee: Candidate, mentor: Candidate) => boolean): Map<number, Candidate> {
  const buckets = Array.from({ length: MAX_SCORE + 1 }, () => [] as number[]);
  for (let i = 0; i < mentees.length; i += 1) {
    for (let j = 0; j < mentors.length; j += 1) if (allowed(mentees[i]!, mentors[j]!)) buckets[score(mentees[i]!, mentors[j]!)]!.push(i * mentors.length + j);
  }
  const room = mentors.map((m) => m.left);
  const chosen = new Map<number, Candidate>();
  for (let sc = MAX_SCORE; sc >= 0 && chosen.size < mentees.length; sc -= 1) {
    for (const code of buckets[sc]!) {
      const i = Math.floor(code / mentors.length);
      const j = code % mentors.length;
      if (chosen.has(mentees[i]!.id) || room[j]! <= 0) continue;
      chosen.set(mentees[i]!.id, mentors[j]!);
      room[j]! -= 1;
    }
  }
  return chosen;
}

function candidates(core: Core, programmeId: number, options: MatchOptions & { menteeId?: number; exclude?: readonly number[] }) {
  const mentees = load(core, programmeId, 'mentee').filter((m) => m.left > 0);
  const mentors = load(core, programmeId, 'mentor').filter((m) => m.left > 0);
  const earlier = earlierPairs(core, programmeId);
  const excluded = new Set(options.exclude ?? []);
  const allowed = (mentee: Candidate, mentor: Candidate) =>
    mentee.id !== mentor.id && (options.allowRepeat || !earlier.between(mentee.id, mentor.id)) && !(options.menteeId === mentee.id && excluded.has(mentor.id));
  return { mentees, mentors, earlier, allowed };
}

/**
 * For each unmatched mentee, up to `perMentee` mentors with room left: first the mentor of the best
 * assignment (the first suggestions of the run fit every mentor's room together), then the others
 * best first (more room left breaks ties). `menteeId` limits it to one mentee, `exclude` leaves out
 * mentors (those who declined that mentee).
 */
export function suggestMatches(core: Core, programmeId: number, perMentee = 3, options: MatchOptions & { menteeId?: number; exclude?: readonly number[] } = {}): Suggestion[] {
  const { mentees, mentors, earlier, allowed } = candidates(core, programmeId, options);
  const firsts = assign(mentees, mentors, allowed);
  const out: Suggestion[] = [];
  for (const mentee of mentees) {
    if (options.menteeId !== undefined && mentee.id !== options.menteeId) continue;
    const first = firsts.get(mentee.id);
    const want = first ? perMentee - 1 : perMentee;
    const top: { mentor: Candidate; rank: number }[] = [];
    for (const mentor of mentors) {
      if (mentor === first || !allowed(mentee, mentor) || want <= 0) continue;
      const rank = score(mentee, mentor) * 1000 + Math.min(mentor.left, 999);
      if (top.length === want && rank <= top[top.length - 1]!.rank) continue;
      top.push({ mentor, rank });
      top.sort((a, b) => b.rank - a.rank);
      if (top.length > want) top.pop();
    }
    if (first && perMentee > 0) out.push(suggestion(mentee, first, earlier, true));
    for (const t of top) out.push(suggestion(mentee, t.mentor, earlier));
  }
  return out;
}

/** The best assignment that respects capacities (and, unless allowed, no repeat of an earlier pair). */
export function bestMatches(core: Core, programmeId: number, options: MatchOptions = {}): Suggestion[] {
  const { mentees, mentors, earlier, allowed } = candidates(core, programmeId, options);
  const firsts = assign(mentees, mentors, allowed);
  return mentees.filter((m) => firsts.has(m.id)).map((m) => suggestion(m, firsts.get(m.id)!, earlier, true));
}

export type MatchProblem = 'notMentee' | 'notMentor' | 'taken' | 'full' | 'repeat';

/**
 * Confirms one match a coordinator chose (chat's `match @mentee @mentor`, the desk): the mentee must
 * be a mentee of the programme without an active pair, the mentor a mentor with room left, and the two
 * never a pair before unless `allowRepeat`. One transaction.
 */
export function confirmMatch(core: Core, programmeId: number, menteeId: number, mentorId: number, options: MatchOptions = {}): { ok: true } | { ok: false; problem: MatchProblem } {
  return inTransaction(core.db, () => {
    const role = (id: number, r: string) => !!core.db.prepare('SELECT 1 FROM participants WHERE programme_id = ? AND person_id = ? AND role = ?').get(programmeId, id, r);
    if (!role(menteeId, 'mentee')) return { ok: false, problem: 'notMentee' } as const;
    if (!role(mentorId, 'mentor')) return { ok: false, problem: 'notMentor' } as const;
    if (core.db.prepare("SELECT 1 FROM pairs WHERE programme_id = ? AND mentee_id = ? AND status = 'active'").get(programmeId, menteeId)) return { ok: false, problem: 'taken' } as const;
    const mentor = load(core, programmeId, 'mentor').find((m) => m.id === mentorId);
    if (!mentor || mentor.left <= 0) return { ok: false, problem: 'full' } as const;
    if (!options.allowRepeat && pairedBefore(core, menteeId, mentorId)) return { ok: false, problem: 'repeat' } as const;
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
