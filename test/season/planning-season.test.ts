/**
 * A season in which mentors shape the meetings too: sixteen pairs from September to December, each
 * mentee booking as the scripted people of the big season do, and each mentor answering the
 * bookings in their own way — it works, another time (taken, or answered with yet another time),
 * can't make it, or days later. Through the real store, the fake clock and the fake messenger; the
 * checks are about what was planned, sent and left standing.
 */
import { rematchMentee } from '../../src/coordinator/pair-actions';
import { joinProgramme, matchPair } from '../../src/flows/season';
import { getPair } from '../../src/pairs';
import type { Message } from '../../src/message';
import { addIdentity, createPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { nextDueAt } from '../../src/scheduler/nudges';
import { DAY, formatLocal } from '../../src/time';
import type { Delivery } from '../helpers/fake-messenger';
import { createTestSparring, type TestSparring } from '../helpers/sparring';
import { answer, meetingText, type Agent } from './agents';

/** How a mentor answers a booking: at once that it works, with another time, that they can't, or two days later. */
type Planner = 'works' | 'proposes' | 'declines' | 'late';
const planners: Planner[] = ['works', 'proposes', 'declines', 'late'];

interface Pair {
  pairId: number;
  planner: Planner;
  /** What the mentee does with a suggested time: take it, or choose yet another one. */
  takes: boolean;
  mentee: Agent;
  mentor: Agent;
  /** Times this mentor has suggested another time or declined (once each, then it works). */
  objections: number;
}

interface Stamped extends Delivery {
  at: number;
}

const SEASON_END = Date.parse('2027-01-08T00:00:00Z');
const ZONE = 'Europe/Copenhagen';

function startsAtOf(s: TestSparring, questionId: string): number {
  const meetingId = Number(questionId.split('.')[2]);
  return (s.core.db.prepare('SELECT starts_at FROM meetings WHERE id = ?').get(meetingId) as { starts_at: number }).starts_at;
}

/** The button value for `choice` under a planning question (its values carry the meeting's version). */
function button(question: NonNullable<Message['question']>, choice: string): string {
  if (question.kind !== 'choice') throw new Error(`not a choice: ${question.id}`);
  return question.options.find((o) => o.value.startsWith(`${choice}@`))!.value;
}

function runSeason() {
  const s = createTestSparring({ start: '2026-08-25T08:00:00Z' });
  const programme = createProgramme(s.core, { name: 'Mentorprogram 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  const agents = new Map<number, { agent: Agent; pair: Pair }>();
  const person = (name: string, role: 'mentee' | 'mentor', locale: 'da' | 'en'): Agent => {
    const id = createPerson(s.core, { name, locale });
    addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    joinProgramme(s.core, programme.id, id, role);
    return { personId: id, role, behaviour: 'diligent', locale, shares: true, secrets: [], state: {} };
  };
  const pairs: Pair[] = Array.from({ length: 16 }, (_, i) => {
    const locale = i % 5 === 4 ? 'en' : 'da';
    const pair: Pair = { pairId: 0, planner: planners[i % 4]!, takes: i % 8 < 4, mentee: person(`Mentee ${i + 1}`, 'mentee', locale), mentor: person(`Mentor ${i + 1}`, 'mentor', locale), objections: 0 };
    agents.set(pair.mentee.personId, { agent: pair.mentee, pair });
    agents.set(pair.mentor.personId, { agent: pair.mentor, pair });
    return pair;
  });
  // A spare mentor, for the one pair the coordinator re-matches in the middle of October.
  const spare = person('Mentor 17', 'mentor', 'da');
  agents.set(spare.personId, { agent: spare, pair: { pairId: 0, planner: 'works', takes: true, mentee: spare, mentor: spare, objections: 0 } });
  s.clock.set('2026-08-28T10:00:00Z');
  for (const p of pairs) p.pairId = matchPair(s.core, programme.id, p.mentee.personId, p.mentor.personId);
  const rematched = { at: Date.parse('2026-10-14T09:00:00Z'), done: false, oldPairId: 0, newPairId: 0, oldMentorId: pairs[0]!.mentor.personId, newMentorId: spare.personId };

  const stamped: Stamped[] = [];
  const replies: Message[] = [];
  /** Questions a late mentor answers later: when, and the message. */
  let later: { at: number; personId: number; message: Message }[] = [];

  /** What the person answers to the question; null to leave it (for now). */
  function reply(agent: Agent, pair: Pair, question: NonNullable<Message['question']>, now: number, delivered: boolean): string | null {
    const [flow, step] = question.id.split('.');
    if (flow !== 'planning' || question.id.endsWith('.confirm')) return answer(agent, question, now);
    if (step === 'proposal') return button(question, pair.takes ? 'accept' : 'other');
    if (step === 'when') return meetingText(startsAtOf(s, question.id), 1); // the next weekday, 16:00
    // step 'answer': the mentor's answer to a booking
    if (pair.planner === 'late' && delivered) return null;
    if (pair.objections > 0 || pair.planner === 'works' || pair.planner === 'late') return button(question, 'works');
    pair.objections += 1;
    return button(question, pair.planner === 'proposes' ? 'propose' : 'cant');
  }

  /** Answers a message and every question that follows in the replies. */
  function respond(personId: number, message: Message | undefined, now: number, delivered: boolean): void {
    const { agent, pair } = agents.get(personId)!;
    for (let guard = 0; guard < 40 && message?.question; guard += 1) {
      const value = reply(agent, pair, message.question, now, delivered && guard === 0);
      if (value === null) {
        later.push({ at: now + 2 * DAY, personId, message });
        return;
      }
      const out = s.bot.handle(personId, { type: 'answer', questionId: message.question.id, value }).replies;
      replies.push(...out);
      message = out.find((m) => m.question);
    }
  }

  return (async () => {
    for (let guard = 0; guard < 100_000; guard += 1) {
      const nudgeDue = nextDueAt(s.core.db);
      const lateDue = later.length > 0 ? Math.min(...later.map((l) => l.at)) : null;
      const due = nudgeDue === null ? lateDue : lateDue === null ? nudgeDue : Math.min(nudgeDue, lateDue);
      if (due === null || due > SEASON_END) break;
      if (!rematched.done && due >= rematched.at) {
        // The coordinator re-matches the first pair's mentee with the spare mentor (as `match @mentee @mentor` does).
        s.clock.set(rematched.at);
        const old = pairs[0]!;
        const current = getPair(s.core, old.pairId)!;
        const done = rematchMentee(s.core, programme.id, current, spare.personId);
        if (!done.ok) throw new Error(`the re-match was refused: ${done.problem}`);
        rematched.done = true;
        rematched.oldPairId = old.pairId;
        rematched.newPairId = (s.core.db.prepare("SELECT id FROM pairs WHERE mentee_id = ? AND status = 'active'").get(old.mentee.personId) as { id: number }).id;
        const fresh: Pair = { pairId: rematched.newPairId, planner: 'works', takes: true, mentee: old.mentee, mentor: spare, objections: 0 };
        agents.set(old.mentee.personId, { agent: old.mentee, pair: fresh });
        agents.set(spare.personId, { agent: spare, pair: fresh });
        continue;
      }
      if (due > s.clock.now()) s.clock.set(due);
      const now = s.clock.now();
      const ready = later.filter((l) => l.at <= now);
      later = later.filter((l) => l.at > now);
      for (const l of ready) respond(l.personId, l.message, now, false);
      const before = s.messenger.deliveries.length;
      await s.scheduler.runOnce();
      const fresh = s.messenger.deliveries.slice(before);
      for (const d of fresh) stamped.push({ ...d, at: now });
      const seen = new Set<string>();
      for (const d of fresh) if (!seen.has(d.messageId) && seen.add(d.messageId)) respond(Number(d.address.slice('test:'.length)), d.message, now, true);
    }
    return { s, pairs, stamped, replies, rematched };
  })();
}

let season: Awaited<ReturnType<typeof runSeason>>;
beforeAll(async () => {
  season = await runSeason();
});
afterAll(() => season.s.close());

describe('a season in which mentors shape the meetings too', () => {
  interface Row {
    id: number;
    starts_at: number;
    status: string;
    sequence: number;
  }
  const meetings = (pairId: number) => season.s.core.db.prepare('SELECT id, starts_at, status, sequence FROM meetings WHERE pair_id = ? ORDER BY starts_at').all(pairId) as Row[];
  const sent = (personId: number, kind: string) => season.stamped.filter((d) => d.address === `test:${personId}` && d.key.startsWith(`${kind}:`));

  it('carries every pair through the season, whatever the mentor answers', () => {
    for (const p of season.pairs.slice(1)) {
      const held = meetings(p.pairId).filter((m) => m.status === 'held');
      expect({ planner: p.planner, held: held.length >= 3 }).toEqual({ planner: p.planner, held: true });
    }
  });

  it('re-matches one pair in October: both told without blame, nothing more for the old pair, and the new pair meets', () => {
    const r = season.rematched;
    expect(r.done).toBe(true);
    const mentee = season.pairs[0]!.mentee.personId;
    // Each of the old two is told once that the pair has ended.
    for (const who of [mentee, r.oldMentorId]) expect(sent(who, 'pair.ended')).toHaveLength(1);
    // The old mentor hears nothing more about the pair (the programme's own evaluation and thanks
    // still come: he was a mentor of the season), and nothing stays planned for the old pair.
    const afterwards = season.stamped.filter((d) => d.address === `test:${r.oldMentorId}` && d.at > r.at && !/^(pair\.ended|survey\.|season\.)/.test(d.key));
    expect(afterwards.map((d) => d.key)).toEqual([]);
    expect(season.s.core.db.prepare("SELECT count(*) FROM nudges WHERE status = 'pending' AND (subject = ? OR subject LIKE ?)").pluck().get(`pair:${r.oldPairId}`, `pair:${r.oldPairId}:%`)).toBe(0);
    // The mentee and the new mentor meet.
    expect(meetings(r.newPairId).filter((m) => m.status === 'held').length).toBeGreaterThanOrEqual(1);
  });

  it('asks the mentor about every booking and every move, and tells the mentee when it works', () => {
    for (const p of season.pairs.slice(1)) {
      expect(sent(p.mentor.personId, 'planning.ask').length).toBeGreaterThanOrEqual(meetings(p.pairId).filter((m) => m.status === 'held').length);
      expect(sent(p.mentee.personId, 'planning.confirmed').length).toBeGreaterThanOrEqual(3);
    }
  });

  it('moves the meeting to a suggested time the mentee takes, and books another when the mentee chooses one', () => {
    for (const p of season.pairs.filter((x) => x.planner === 'proposes')) {
      expect(sent(p.mentee.personId, 'planning.proposal')).toHaveLength(1);
      const moved = meetings(p.pairId).filter((m) => m.sequence > 0);
      expect(moved).toHaveLength(1);
      // Taken: the meeting moved once, to Jonas's time. Another time: the mentee moved it, and the mentor was asked again.
      const asks = sent(p.mentor.personId, 'planning.ask').filter((d) => d.key.startsWith(`planning.ask:${moved[0]!.id}:`));
      expect(asks).toHaveLength(p.takes ? 1 : 2);
    }
  });

  it('cancels a meeting the mentor cannot make for both, and the mentee books another', () => {
    for (const p of season.pairs.filter((x) => x.planner === 'declines')) {
      const all = meetings(p.pairId);
      expect(all[0]!.status).toBe('cancelled');
      for (const who of [p.mentee, p.mentor]) expect(sent(who.personId, 'meeting.cancelled')).toHaveLength(1);
      expect(sent(p.mentee.personId, 'planning.rebook')).toHaveLength(1);
      // Nothing was sent about the meeting that would not happen.
      for (const kind of ['prep.prompt', 'meeting.reminder', 'after.ask']) expect(season.stamped.filter((d) => d.key.startsWith(`${kind}:${all[0]!.id}:`))).toEqual([]);
    }
  });

  it('sends each prep prompt for the time the meeting really had, and none for a time in question', () => {
    for (const p of season.pairs) {
      for (const m of meetings(p.pairId).filter((x) => x.status === 'held')) {
        const prompts = season.stamped.filter((d) => d.key.startsWith(`prep.prompt:${m.id}:`));
        expect(prompts.map((d) => d.key)).toEqual([`prep.prompt:${m.id}:${m.starts_at}`]);
        expect(prompts[0]!.message.text).toContain(formatLocal(m.starts_at, ZONE, p.mentee.locale, 'time'));
      }
    }
  });

  it('leaves no meeting standing that nobody held, and no question open about a meeting', () => {
    const standing = season.s.core.db.prepare("SELECT count(*) AS n FROM meetings WHERE status = 'booked' AND starts_at < ?").get(Date.parse('2026-12-19T00:00:00Z')) as { n: number };
    expect(standing.n).toBe(0);
    const open = season.s.core.db.prepare("SELECT count(*) AS n FROM dialogues WHERE status = 'open' AND flow = 'planning'").get() as { n: number };
    expect(open.n).toBe(0);
  });

  it('sends nothing twice, fills in every placeholder, and writes no Danish to someone who chose English', () => {
    const keys = season.stamped.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    const texts = [...season.stamped.map((d) => d.message.text), ...season.replies.map((m) => m.text)];
    expect(texts.filter((t) => /\{\w+\}/.test(t))).toEqual([]);
    const english = new Set(season.pairs.filter((p) => p.mentee.locale === 'en').flatMap((p) => [`test:${p.mentee.personId}`, `test:${p.mentor.personId}`]));
    expect(season.stamped.filter((d) => english.has(d.address) && /[æøå]/.test(`${d.message.text} ${d.message.why ?? ''}`)).map((d) => d.key)).toEqual([]);
  });
});
