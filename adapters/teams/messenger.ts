/**
 * Delivering to Teams. A person's address is "teams:<user id>"; the message goes to their personal
 * chat with the bot through the conversation reference stored when they installed the app or first
 * wrote (a proactive message), so it reaches them after restarts without any earlier message in the
 * turn. Teams' per-conversation limits are kept; 429, 412, 502, 503 and 504 are retried by the core
 * (after Retry-After when Teams sends it), a removed app or unknown conversation is not.
 */
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DeliveryError } from '../../src/errors';
import type { Address, Message } from '../../src/message';
import type { Delivered, Messenger } from '../../src/messenger';
import { ConversationPace } from './pace';

const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);

export function userOf(address: Address): string {
  if (!address.startsWith('teams:')) throw new Error(`not a Teams address: ${address}`);
  return address.slice('teams:'.length);
}

function header(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: { get?(n: string): string | undefined } | Record<string, string> } }).response?.headers;
  if (!headers) return undefined;
  return typeof headers.get === 'function' ? headers.get(name) : (headers as Record<string, string>)[name];
}

export function toDeliveryError(error: unknown): DeliveryError {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === undefined) return new DeliveryError(`Teams could not be reached: ${(error as Error).message ?? String(error)}`, true, undefined, { cause: error });
  const after = Number(header(error, 'retry-after'));
  const retryAfterMs = Number.isFinite(after) && after > 0 ? after * 1000 : undefined;
  return new DeliveryError(`Teams answered HTTP ${status}`, RETRYABLE.has(status), status === 429 ? (retryAfterMs ?? 1000) : retryAfterMs, { cause: error });
}

/**
 * The connector client's HTTP pipeline retries 429 and 5xx on its own, waiting out Retry-After while
 * it holds the delivery. Retries belong to the core's durable delivery (the message survives a
 * restart, other messages go on meanwhile), so a planned message's client sends once.
 */
export function sendOnce(context: TurnContext): void {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
}

export class TeamsMessenger implements Messenger {
  readonly platforms = ['teams'] as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly referenceOf: (userId: string) => Partial<ConversationReference> | null,
    private readonly render: (userId: string, message: Message) => Partial<Activity>,
    private readonly pace = new ConversationPace(),
  ) {}

  async deliver(address: Address, message: Message): Promise<Delivered> {
    const user = userOf(address);
    const reference = this.referenceOf(user);
    if (!reference) throw new DeliveryError('the person has not installed the app in Teams yet', true);
    const conversation = reference.conversation?.id ?? user;
    await this.pace.take(conversation);
    let id: string | undefined;
    // An error inside the turn would go to the adapter's onTurnError and be swallowed: keep it here.
    let failure: unknown;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        sendOnce(context);
        try {
          id = (await context.sendActivity(this.render(user, message)))?.id;
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure ??= error;
    }
    if (failure !== undefined) throw toDeliveryError(failure);
    return { messageId: `${conversation}:${id ?? ''}` };
  }
}
