/**
 * A participant asks the coordinator for help, or for a new match. Whatever carries the request (a
 * command, a button in the check-in) keeps its own words; here only that it was asked, by whom and
 * when. The pair is flagged at once and every coordinator of the programme is alerted.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { InputError } from '../errors';
import { inTransaction } from '../store/database';
import { syncPairFlags, type Flag } from './flags';

const requestSchema = z.object({
  pairId: z.number().int().positive(),
  personId: z.number().int().positive(),
  kind: z.enum(['help', 'rematch']),
});

export type HelpRequest = z.infer<typeof requestSchema>;

/** Records the request and raises the pair's flag (alerting the coordinators once); returns the flags raised. */
export function recordHelpRequest(core: Core, request: HelpRequest): Flag[] {
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) throw new InputError(`a request for help needs ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const { pairId, personId, kind } = parsed.data;
  return inTransaction(core.db, () => {
    const inPair = core.db.prepare("SELECT 1 FROM pairs WHERE id = ? AND status = 'active' AND ? IN (mentee_id, mentor_id)").get(pairId, personId);
    if (!inPair) throw new InputError(`person ${personId} is not in the active pair ${pairId}`, { textKey: 'talk.error.pairEnded' });
    core.db.prepare('INSERT INTO help_requests (pair_id, person_id, kind, created_at) VALUES (?, ?, ?, ?)').run(pairId, personId, kind, core.clock.now());
    return syncPairFlags(core, pairId);
  });
}
