/**
 * The conversation's own short dialogues, asked in passing about another one: which did you mean
 * (clarify), which question now (pick), whether to share a worry (shareCheck), and which question a
 * text was for when one closed unanswered just before (late). They hold what the
 * person typed only until they answer, close after an hour, and never count as a waiting question.
 */
import type { Core } from '../core';
import { openDialogue, type Dialogue } from '../dialogues';
import { HOUR } from '../time';

export const CLARIFY = 'clarify';
export const PICK = 'pick';
export const SHARE_CHECK = 'shareCheck';
export const LATE = 'late';

const asides = new Set([CLARIFY, PICK, SHARE_CHECK, LATE]);

export const isAside = (flow: string) => asides.has(flow);

/** Opens an aside as the person's current dialogue, expiring after an hour. */
export function openAside(core: Core, personId: number, flow: string, subject: string, state: object): Dialogue {
  return openDialogue(core, {
    personId,
    flow,
    subject: `${flow}:${subject}`,
    step: 'choice',
    meetingId: null,
    state: state as Record<string, unknown>,
    expiresAt: core.clock.now() + HOUR,
  });
}
