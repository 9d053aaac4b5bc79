/**
 * The season's two starting points: a participant joins the programme, and a pair is matched.
 * Each is one transaction; the flows plan what follows from it through the announced event.
 */
import type { Core } from '../core';
import { createPair } from '../pairs';
import { addParticipant, type Role } from '../people';
import { inTransaction } from '../store/database';

export function joinProgramme(core: Core, programmeId: number, personId: number, role: Role, profile: Record<string, unknown> = {}): void {
  inTransaction(core.db, () => {
    addParticipant(core, programmeId, personId, role, profile);
    if (role !== 'coordinator') core.announce({ type: 'participant.joined', programmeId, personId, role });
  });
}

export function matchPair(core: Core, programmeId: number, menteeId: number, mentorId: number): number {
  return inTransaction(core.db, () => {
    const pairId = createPair(core, programmeId, menteeId, mentorId);
    core.announce({ type: 'pair.matched', programmeId, pairId });
    return pairId;
  });
}
