/**
 * Delivering to Teams. A person's address is "teams:<user id>"; the message goes to their personal
 * chat with the bot through the conversation reference stored when they installed the app or first
 * wrote (a proactive message), so it reaches them after restarts without creating the chat again.
 *
 * Never twice. Bot Framework's POST …/activities is not idempotent: it takes no idempotency key, and
 * the service assigns the activity id (one sent by the bot is ignored). Nor can a bot read its
 * personal chats back: the connector has no GET for activities (only members), so it cannot look for
 * its key in what Teams holds. Each message therefore carries its nudge key (channelData.sparring.key,
 * and the card's submit data) and goes through the send journal (journal.ts): the key is committed
 * just before the post, the activity id just after.
 *
 * findDelivered: an activity id in the journal is that delivery; no entry means it surely did not go.
 * An entry without an activity id means the process stopped while the post was on its way. For
 * IN_DOUBT_MS it is unknown (UnknownDeliveryError): the sender may still be waiting for the answer
 * (a slow request of a process being replaced), and a submitted card names its activity id. After
 * that it counts as delivered and is not sent again. The key is written immediately before the
 * request leaves, so such a post almost always reached Teams, which accepts what reaches it: "may
 * have arrived" loses a message only when the process died in the instant before the request left,
 * where "send again" would double one every time it died while the request was out.
 *
 * A post Teams refused as too large (413) goes again at once in a smaller form (render.ts), under the
 * same journal entry: Teams took nothing the first time.
 *
 * A post Teams answered with an error is struck from the journal and retried by the core. A 5xx or a
 * connection dropped before the answer may hide a post Teams accepted all the same; Microsoft asks
 * bots to retry them, and treating them as "may have arrived" would lose every message of an outage,
 * so they are retried (a rare double).
 */
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DeliveryError, describeError, UnknownDeliveryError } from '../../src/errors';
import type { Logger } from '../../src/log';
import type { Address, Message } from '../../src/message';
import type { Delivered, Messenger } from '../../src/messenger';
import { BOT_SCOPE, conversationScope, TeamsFailures } from './failures';
import type { JournalEntry, SendJournal } from './journal';
import type { TeamsPace } from './pace';
import { sendShrinking, Shrink } from './render';

/** How long a post whose answer was never recorded stays unknown before it counts as delivered. */
export const IN_DOUBT_MS = 2 * 60_000;
/** A planned delivery waits at most this long for its turn under Teams' limits; else the core plans it for then. */
export const MAX_PACE_WAIT_MS = 5_000;

export function userOf(address: Address): string {
  if (!address.startsWith('teams:')) throw new Error(`not a Teams address: ${address}`);
  return address.slice('teams:'.length);
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

export interface TeamsMessengerOptions {
  adapter: CloudAdapter;
  appId: string;
  referenceOf(userId: string): Partial<ConversationReference> | null;
  /** The message in the given form: the full one, or a smaller one after Teams refused it as too large (render.ts). */
  render(userId: string, message: Message, key?: string, level?: Shrink): Partial<Activity>;
  journal: SendJournal;
  pace: TeamsPace;
  failures: TeamsFailures;
  /** The core's clock, for the journal's times. */
  now(): number;
  log: Logger;
}

export class TeamsMessenger implements Messenger {
  readonly platforms = ['teams'] as const;
  /** Keys whose failed post could not be struck from the journal (the database was busy): not in doubt. */
  private readonly abandoned = new Set<string>();

  constructor(private readonly o: TeamsMessengerOptions) {}

  scopesOf(address: Address): string[] {
    const conversation = this.o.referenceOf(userOf(address))?.conversation?.id;
    return conversation ? [BOT_SCOPE, conversationScope(conversation)] : [BOT_SCOPE];
  }

  async findDelivered(_address: Address, key: string): Promise<Delivered | null> {
    const entry = this.entry(key);
    if (!entry) return null;
    if (entry.activityId !== null) return { messageId: `${entry.conversationId}:${entry.activityId}` };
    const age = this.o.now() - entry.writtenAt;
    if (age < IN_DOUBT_MS) throw new UnknownDeliveryError(`a Teams post of ${key} may still be on its way (its answer is not recorded yet)`, IN_DOUBT_MS - age);
    this.o.log.warn('a Teams post was made but its answer never recorded: it counts as delivered and is not sent again', { key, conversation: entry.conversationId });
    return { messageId: `${entry.conversationId}:unconfirmed` };
  }

  async deliver(address: Address, message: Message, options: { key: string }): Promise<Delivered> {
    const { key } = options;
    const user = userOf(address);
    const reference = this.o.referenceOf(user);
    const conversation = reference?.conversation?.id;
    if (!reference || !conversation) throw new DeliveryError('the person has not installed the app in Teams yet', true);
    if (this.entry(key)) return this.earlier(key);
    try {
      return await this.o.pace.run(conversation, () => this.post(reference, conversation, user, message, key), MAX_PACE_WAIT_MS);
    } catch (error) {
      throw this.o.failures.classify(error, conversation);
    }
  }

  /** A delivery of a key the journal knows: the earlier one, never a second post. */
  private async earlier(key: string): Promise<Delivered> {
    try {
      return (await this.findDelivered('', key))!;
    } catch (error) {
      if (!(error instanceof UnknownDeliveryError)) throw error;
      // Not an attempt that failed: wait until it is known, like a 429 for this one message.
      throw new DeliveryError(error.message, true, error.retryAfterMs, { cause: error, failure: 'rateLimited', scope: 'message' });
    }
  }

  private async post(reference: Partial<ConversationReference>, conversation: string, user: string, message: Message, key: string): Promise<Delivered> {
    let accepted: string | undefined;
    let written = false;
    let failure: unknown;
    try {
      await this.o.adapter.continueConversationAsync(this.o.appId, reference, async (context) => {
        sendOnce(context);
        // An error inside the turn would go to the adapter's onTurnError and be swallowed: keep it here.
        try {
          written = this.o.journal.begin(conversation, key);
        } catch (error) {
          failure = new DeliveryError(`the Teams send journal could not be written: ${describeError(error)}`, true, undefined, { cause: error, failure: 'failed' });
          return;
        }
        if (!written) return;
        try {
          // Refused as too large (413): the next smaller form, so the person gets something (render.ts).
          const sent = await sendShrinking(
            (level) => this.o.render(user, message, key, level),
            (activity) => context.sendActivity(activity),
            (level) => this.o.log.warn('Teams refused a planned message as too large (413); sending a smaller form', { key, form: Shrink[level] }),
          );
          accepted = sent?.id ?? '';
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure ??= error;
    }
    if (accepted !== undefined) {
      try {
        this.o.journal.accepted(conversation, key, accepted);
      } catch (error) {
        // The core records the delivery too; should both fail, the entry is in doubt and not sent again.
        this.o.log.error('Teams accepted a post but the journal could not record it', { key, error: describeError(error) });
      }
      return { messageId: `${conversation}:${accepted}` };
    }
    if (failure === undefined && !written) return this.earlier(key);
    if (written) this.strike(conversation, key);
    throw failure ?? new Error('the post was not made');
  }

  /** Teams answered with an error (or could not be reached): the post may be made again. */
  private strike(conversation: string, key: string): void {
    try {
      this.o.journal.abandon(conversation, key);
      this.abandoned.delete(key);
    } catch (error) {
      this.abandoned.add(key);
      this.o.log.warn('could not strike a failed Teams post from the journal; remembered in memory', { key, error: describeError(error) });
    }
  }

  /** The journal's entry for a key, minus a failed post this process could not strike yet. */
  private entry(key: string): JournalEntry | null {
    const entry = this.o.journal.find(key);
    if (entry && entry.activityId === null && this.abandoned.has(key)) {
      this.strike(entry.conversationId, key);
      return null;
    }
    return entry;
  }
}
