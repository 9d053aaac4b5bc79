/**
 * The season's two starting points: a participant joins the programme, and a pair is matched.
 * Each is one transaction that plans what follows from it.
 */
import type { Core } from '../core';
import { createPair } from '../pairs';
import { addParticipant, requirePerson, type Role } from '../people';
import { inTransaction } from '../store/database';
import { planMidSeasonCheckin } from './checkin';
import { replanQuietCheck } from './quiet';
import { planShadowing } from './shadowing';
import { planSurvey } from './survey';
import { planIntroduction, planOnboarding } from './welcome';

export function joinProgramme(core: Core, programmeId: number, personId: number, role: Role, profile: Record<string, unknown> = {}): void {
  inTransaction(core.db, () => {
    addParticipant(core, programmeId, personId, role, profile);
    if (role === 'coordinator') return;
    const person = requirePerson(core, personId);
    planOnboarding(core, programmeId, person, role);
    planSurvey(core, programmeId, person, role);
  });
}

export function matchPair(core: Core, programmeId: number, menteeId: number, mentorId: number): number {
  return inTransaction(core.db, () => {
    const pairId = createPair(core, programmeId, menteeId, mentorId);
    planIntroduction(core, pairId);
    replanQuietCheck(core, pairId);
    planMidSeasonCheckin(core, pairId);
    planShadowing(core, pairId);
    return pairId;
  });
}
