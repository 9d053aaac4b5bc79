/**
 * "Not yet": the question waits out of the way, and a planned nudge asks it again at a sensible
 * moment (the next working morning at the programme's hour, in the person's zone; quiet hours apply).
 * The nudge is dropped if the question was answered, left or expired in the meantime, or the person
 * took it up again themselves.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { askedAgain, getDialogue, isOpen, snoozeDialogue, type Dialogue } from '../dialogues';
import type { Flow } from '../flows/flow';
import { dayAt, plan } from '../flows/plan';
import { seasonFlows } from '../flows/registry';
import type { Person } from '../people';
import type { NudgeTask } from '../scheduler/task';
import { quietHoursFor, settingsFor } from '../programme/attention';
import { nextAllowedMoment } from '../time';
import { formatWhen } from '../flows/datetime';

export const REASK = 'talk.reask';

const flows = new Map<string, Flow>(seasonFlows.map((f) => [f.name, f]));

/** When a question put off now is asked again: the next working morning, or null if it expires first. */
export function reaskAt(core: Core, person: Person, dialogue: Dialogue): number | null {
  const from = Math.max(core.clock.now(), person.pausedUntil ?? 0); // not inside a pause the person asked for
  const at = nextAllowedMoment(dayAt(from, 1, settingsFor(core, person.id).nudgeHour, person.timezone), person.timezone, quietHoursFor(core, person.id));
  return dialogue.expiresAt !== null && at >= dialogue.expiresAt ? null : at;
}

/** Puts the dialogue off and plans the nudge that asks it again; returns when, or null (it will just wait). */
export function putOff(core: Core, person: Person, dialogue: Dialogue): { at: number | null; when: string | null } {
  const at = reaskAt(core, person, dialogue);
  snoozeDialogue(core, dialogue.id, at ?? core.clock.now() + 365 * 24 * 3_600_000);
  if (at === null) return { at: null, when: null };
  plan(core, { key: `${REASK}:${dialogue.id}:${at}`, kind: REASK, personId: person.id, subject: dialogue.subject, payload: { dialogueId: dialogue.id }, dueAt: at, expiresAt: dialogue.expiresAt });
  return { at, when: formatWhen(at, person.timezone, person.locale, core.clock.now()) };
}

const payload = z.object({ dialogueId: z.number().int() });

export const reaskTask: NudgeTask<z.infer<typeof payload>> = {
  kind: REASK,
  payload,
  opensDialogue: true,
  promised: true,
  compose({ core, payload, person }) {
    const d = getDialogue(core, payload.dialogueId);
    const flow = d && flows.get(d.flow);
    if (!d || !flow) return { drop: 'the question is gone' };
    if (!isOpen(core, d.id)) return { drop: 'the question was answered or closed' };
    // Picking a question up again (answering it, or asking for it) wakes it: the promise was kept already.
    if (d.snoozedUntil === null) return { drop: 'the person took the question up again' };
    const ctx = { core, person };
    const ask = flow.ask(ctx, d);
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
    return { ...ask, text: `${t('talk.reask.intro', { title: flow.title(ctx, d) })}\n\n${ask.text}`, why: t('talk.reask.why') };
  },
  delivered({ core, payload }) {
    askedAgain(core, payload.dialogueId);
  },
};
