/**
 * A reply to something a person just did goes out at once, in the request. When the platform cannot
 * take it right then (an outage, a 429), the adapter hands it here: it becomes a planned nudge, due
 * now, and the scheduler delivers it like any other, surviving restarts. It is prompted (quiet hours
 * and pauses do not hold it back) and loses its point after an hour.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Core } from './core';
import type { DeliveryError } from './errors';
import type { Message } from './message';
import { planNudge } from './scheduler/nudges';
import type { NudgeTask } from './scheduler/task';
import { inTransaction } from './store/database';
import { HOUR } from './time';

export const REPLY = 'reply';

const question = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), id: z.string(), multiline: z.boolean(), maxLength: z.number() }),
  z.object({ kind: z.literal('choice'), id: z.string(), options: z.array(z.object({ value: z.string(), label: z.string() })) }),
  z.object({ kind: z.literal('datetime'), id: z.string() }),
  z.object({ kind: z.literal('rating'), id: z.string(), min: z.number(), max: z.number() }),
]);

const messageSchema = z.object({
  text: z.string(),
  why: z.string().optional(),
  question: question.optional(),
  attachments: z.array(z.object({ filename: z.string(), mediaType: z.string(), content: z.string(), encoding: z.literal('base64').optional() })).optional(),
});

const payload = z.object({ message: messageSchema });

export const replyTask: NudgeTask<z.infer<typeof payload>> = {
  kind: REPLY,
  payload,
  prompted: true,
  compose: ({ payload }) => payload.message,
};

/** Plans replies that could not be delivered at once, in their order. */
function planReplies(core: Core, personId: number, messages: Message[]): void {
  const now = core.clock.now();
  const batch = randomUUID();
  inTransaction(core.db, () =>
    messages.forEach((message, i) => {
      // One millisecond apart, so they arrive in the order they were written.
      planNudge(core.db, { key: `${REPLY}:${personId}:${batch}:${i}`, kind: REPLY, personId, payload: { message }, dueAt: now + i, expiresAt: now + HOUR }, now);
    }),
  );
  core.wake();
}

/**
 * Sends replies in order through `send`. From the first one the platform cannot take, the rest are
 * planned (when the failure is worth retrying and the person is known). Returns that failure, if any.
 */
export async function sendOrPlan(
  core: Core,
  personId: number | null,
  replies: Message[],
  send: (message: Message) => Promise<unknown>,
  classify: (error: unknown) => DeliveryError,
): Promise<DeliveryError | null> {
  for (let i = 0; i < replies.length; i += 1) {
    try {
      await send(replies[i]!);
    } catch (error) {
      const failure = classify(error);
      if (failure.retryable && personId !== null) planReplies(core, personId, replies.slice(i));
      return failure;
    }
  }
  return null;
}
