/** A plain nudge kind for testing the scheduler on its own: it sends its text, or drops when told. */
import { z } from 'zod';
import { planNudge, type PlanNudge } from '../../src/scheduler/nudges';
import { registry, type NudgeTask } from '../../src/scheduler/task';
import type { TestSparring } from './sparring';

const payload = z.object({ text: z.string(), drop: z.boolean().optional() });

export const noteTask: NudgeTask<z.infer<typeof payload>> = {
  kind: 'test.note',
  payload,
  compose: ({ payload }) => (payload.drop ? { drop: 'told to drop' } : { text: payload.text }),
  delivered: ({ core, nudge }) => {
    core.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run(`delivered:${nudge.key}`, 'yes');
  },
};

export const noteTasks = registry([noteTask]);

export function planNote(s: TestSparring, personId: number, at: string, extra: Partial<PlanNudge> = {}): string {
  const key = extra.key ?? `test.note:${Math.random().toString(36).slice(2)}`;
  planNudge(s.core.db, { key, kind: 'test.note', personId, payload: { text: 'hello' }, dueAt: Date.parse(at), ...extra }, s.clock.now());
  return key;
}
