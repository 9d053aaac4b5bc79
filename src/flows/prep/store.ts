/** The mentee's preparation for one meeting. Private to the mentee unless shared. */
import type { Core } from '../../core';
import { cachedRead } from '../../store/read-cache';

export const prepQuestions = ['say', 'hear', 'achieve', 'since'] as const;
export type PrepQuestion = (typeof prepQuestions)[number];

export interface Prep {
  shared: boolean | null;
  completedAt: number | null;
  answers: Partial<Record<PrepQuestion, string | null>>;
}

export function getPrep(core: Core, meetingId: number): Readonly<Prep> | null {
  // Read when the prompt is composed, when its dialogue opens and at every answer: kept until a preparation is written.
  return cachedRead(core.db, 'prep', ['preps', 'prep_answers'], meetingId, () => {
    const row = core.db.prepare('SELECT shared, completed_at FROM preps WHERE meeting_id = ?').get(meetingId) as
      | { shared: number | null; completed_at: number | null }
      | undefined;
    if (!row) return null;
    const answers: Prep['answers'] = {};
    for (const a of core.db.prepare('SELECT question, answer FROM prep_answers WHERE meeting_id = ?').all(meetingId) as {
      question: PrepQuestion;
      answer: string | null;
    }[]) {
      answers[a.question] = a.answer;
    }
    return { shared: row.shared === null ? null : row.shared === 1, completedAt: row.completed_at, answers };
  });
}

/**
 * Starts (or starts again) the preparation of a meeting. Earlier answers stay: they are shown again
 * and kept on "skip"; the choice to share is made again at the end.
 */
export function beginPrep(core: Core, meetingId: number): void {
  core.db.prepare('INSERT INTO preps (meeting_id) VALUES (?) ON CONFLICT (meeting_id) DO NOTHING').run(meetingId);
}

export function saveAnswer(core: Core, meetingId: number, question: PrepQuestion, answer: string | null): void {
  core.db
    .prepare(
      `INSERT INTO prep_answers (meeting_id, question, answer, answered_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (meeting_id, question) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at`,
    )
    .run(meetingId, question, answer, core.clock.now());
}

export function completePrep(core: Core, meetingId: number, shared: boolean): void {
  core.db.prepare('UPDATE preps SET shared = ?, completed_at = ? WHERE meeting_id = ?').run(shared ? 1 : 0, core.clock.now(), meetingId);
}
