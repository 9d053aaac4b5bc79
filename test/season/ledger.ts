/**
 * The season's ledger of questions: how every dialogue ended, and whether every question a person was
 * sent still has its dialogue. A question is never lost: it was answered, is still waiting, was left
 * by the person, or expired or went stale with a reason written down.
 */
import type { Db } from '../../src/store/database';
import type { Delivery } from '../helpers/fake-messenger';
import type { Agent } from './agents';
import { subjectOf } from './mischief';

interface Row {
  id: number;
  person_id: number;
  flow: string;
  subject: string;
  status: string;
  outcome_note: string | null;
  expires_at: number | null;
  snoozed_until: number | null;
  created_at: number;
  closed_at: number | null;
}

export interface Sent extends Delivery {
  at: number;
  personId: number;
}

const rows = (db: Db) => db.prepare('SELECT * FROM dialogues ORDER BY id').all() as Row[];

/** Dialogues that did not end in one of the accepted ways, each said as a line (empty when all did). */
export function unaccountedDialogues(db: Db, now: number): string[] {
  const reaskPlanned = new Set(
    (db.prepare("SELECT json_extract(payload, '$.dialogueId') AS id FROM nudges WHERE kind = 'talk.reask' AND status = 'pending' AND due_at > ?").all(now) as { id: number }[]).map((r) => r.id),
  );
  const problems: string[] = [];
  for (const r of rows(db)) {
    const what = `dialogue ${r.id} (${r.subject}, person ${r.person_id}) is ${r.status}`;
    switch (r.status) {
      case 'open': {
        const snoozed = r.snoozed_until !== null && r.snoozed_until > now;
        if (snoozed && !reaskPlanned.has(r.id) && !(r.expires_at !== null && r.expires_at <= r.snoozed_until!)) problems.push(`${what}, put off with no nudge to ask again`);
        if (r.expires_at !== null && r.expires_at <= now) problems.push(`${what} though it expired ${new Date(r.expires_at).toISOString()}`);
        break;
      }
      case 'answered':
        break;
      case 'cancelled':
        if (r.outcome_note !== 'the person left it') problems.push(`${what}, not by the person: ${r.outcome_note}`);
        break;
      case 'expired':
      case 'stale':
        if (!r.outcome_note) problems.push(`${what} without a reason`);
        break;
      default:
        problems.push(what);
    }
  }
  return problems;
}

/**
 * Every delivered question and the dialogue that was open about it when it arrived: none may be
 * missing, and none may have been asked over a dialogue the person was in the middle of (restarted in
 * place, losing what they had answered): a new question about a subject opens a new dialogue, unless
 * it asks the very dialogue again (a "not yet" re-asked, or a question the person has not touched).
 */
export function lostQuestions(db: Db, sent: Sent[], people: Agent[]): string[] {
  const all = rows(db);
  const answers = new Map(people.map((p) => [p.personId, p.state.answered ?? []]));
  const problems: string[] = [];
  for (const d of sent) {
    const q = d.message.question;
    if (!q) continue;
    const subject = subjectOf(q.id);
    const mine = all.filter((r) => r.person_id === d.personId && r.subject === subject);
    const openThen = mine.filter((r) => r.created_at <= d.at && (r.closed_at === null || r.closed_at >= d.at));
    if (openThen.length === 0) {
      problems.push(`${d.key} asked ${q.id} at ${new Date(d.at).toISOString()}, but no dialogue about ${subject} was open`);
      continue;
    }
    const opened = openThen.find((r) => r.created_at === d.at);
    if (opened || d.key.startsWith('talk.reask:')) continue;
    // Asking again a question the person has not touched keeps one question; one they were in the middle of would lose answers.
    const row = openThen[0]!;
    const touched = (answers.get(d.personId) ?? []).filter((a) => subjectOf(a.id) === subject && a.at >= row.created_at && a.at < d.at);
    if (touched.length > 0) problems.push(`${d.key} asked ${q.id} over dialogue ${row.id}, answered meanwhile at ${touched.map((a) => a.id).join(', ')}`);
  }
  return problems;
}

/** How many dialogues each person had about each subject, and how many questions opened one. */
export function dialoguesBySubject(db: Db, sent: Sent[]): { key: string; dialogues: number; opened: number }[] {
  const counts = new Map<string, { key: string; dialogues: number; opened: number }>();
  const at = (key: string) => counts.get(key) ?? counts.set(key, { key, dialogues: 0, opened: 0 }).get(key)!;
  for (const r of rows(db)) at(`${r.person_id} ${r.subject}`).dialogues += 1;
  for (const d of sent) if (d.message.question && !d.key.startsWith('talk.reask:')) at(`${d.personId} ${subjectOf(d.message.question.id)}`).opened += 1;
  return [...counts.values()];
}

/** The conversation's own short questions (which did you mean, pick one) still open. */
export function openAsides(db: Db): { id: number; flow: string; person_id: number }[] {
  return db.prepare("SELECT id, flow, person_id FROM dialogues WHERE status = 'open' AND flow IN ('clarify', 'pick')").all() as { id: number; flow: string; person_id: number }[];
}
