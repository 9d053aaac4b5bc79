/**
 * Delivering to Slack. A person's address is "slack:U0123"; the DM channel is opened once and its id
 * kept in the database. Each message carries its nudge key in message metadata and in the send
 * journal (written before the post, the ts after), so after a crash the adapter can tell whether it
 * arrived: from the journal when it can, else from the DM's history within the non-Marketplace budget
 * (15 messages, one request a minute, shared by every look-up). Every call waits for its turn in the
 * workspace's token buckets (client.ts). Failures become DeliveryErrors: a 429 is 'rateLimited' for
 * the channel or the workspace, 5xx and the network are an 'outage', a user or channel Slack no longer
 * has is 'rejected'.
 */
import type Database from 'better-sqlite3';
import { DeliveryError, UnknownDeliveryError } from '../../src/errors';
import { attachmentBytes, type Address, type Message } from '../../src/message';
import type { Delivered, Messenger } from '../../src/messenger';
import { toBlocks, type Block, type Hints } from './blocks';
import type { SlackClient } from './client';
import { SlackJournal } from './journal';
import { HISTORY_PAGE } from './limits';

/** A message with buttons, posted to a user: remembered so the buttons can give way to the answer. */
export interface PostedQuestion {
  user: string;
  channel: string;
  ts: string;
  questionId: string;
  blocks: Block[];
}

/**
 * Slack's answers that hold every message until someone fixes Slack or the app (an outage, so the
 * messages wait instead of failing for good). Any other refusal (user_not_found, channel_not_found,
 * not_in_channel, account_inactive, msg_too_long …) is this message's, for good.
 */
const OUTAGE = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_access_not_granted_yet',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'missing_scope',
]);
export const METADATA_EVENT = 'sparring_nudge';

/** Connection errors that mean the request never left: nothing can have been posted. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether a failed post may still have arrived: the request went out and no answer came back (timeout, reset). */
export function mayHaveArrived(error: unknown): boolean {
  const e = error as { code?: string; original?: { code?: string } };
  return e.code === 'slack_webapi_request_error' && !NEVER_SENT.has(e.original?.code ?? '');
}

export function userOf(address: Address): string {
  if (!address.startsWith('slack:')) throw new Error(`not a Slack address: ${address}`);
  return address.slice('slack:'.length);
}

/** Turns what the Web API threw into a DeliveryError; `scopeKey` names the workspace ("slack:T1"). */
export function toDeliveryError(error: unknown, scopeKey?: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const outage = { cause: error, failure: 'outage' as const, scope: 'platform' as const, scopeKey };
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  if (e.code === 'slack_webapi_rate_limited_error') {
    return new DeliveryError('Slack rate limit (429)', true, (e.retryAfter ?? 1) * 1000, { cause: error, failure: 'rateLimited', scope: 'platform', scopeKey });
  }
  if (e.code === 'slack_webapi_platform_error') {
    const reason = e.data?.error ?? 'unknown_error';
    if (reason === 'ratelimited') return new DeliveryError(`Slack refused: ${reason}`, true, 60_000, { cause: error, failure: 'rateLimited', scope: 'platform', scopeKey });
    if (OUTAGE.has(reason)) return new DeliveryError(`Slack refused: ${reason}`, true, undefined, outage);
    return new DeliveryError(`Slack refused: ${reason}`, false, undefined, { cause: error, failure: 'rejected' });
  }
  if (e.code === 'slack_webapi_http_error') {
    const status = e.statusCode ?? 500;
    if (status >= 500) return new DeliveryError(`Slack answered HTTP ${status}`, true, undefined, outage);
    return new DeliveryError(`Slack answered HTTP ${status}`, false, undefined, { cause: error, failure: 'rejected' });
  }
  if (e.code === 'slack_webapi_request_error') return new DeliveryError(`Slack could not be reached: ${e.message ?? String(error)}`, true, undefined, outage);
  return new DeliveryError(`Slack delivery failed: ${e.message ?? String(error)}`, true, undefined, { cause: error, failure: 'failed' });
}

/** The Slack messages conversations.history returns, as far as findDelivered reads them. */
interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: string } };
}

export class SlackMessenger implements Messenger {
  readonly platforms = ['slack'] as const;
  private readonly journal: SlackJournal;
  /** Opening in progress per user, so two deliveries to one new user open one conversation. */
  private readonly opening = new Map<string, Promise<string>>();
  /** Messages that arrived but whose files did not yet (by nudge key): a retry sends only the files. */
  private readonly filesPending = new Map<string, Delivered>();
  /** A history read that has more pages: where the next look-up for this key goes on. */
  private readonly cursors = new Map<string, string>();

  constructor(
    private readonly client: SlackClient,
    db: Database.Database,
    /** The core's clock, for the journal's times. */
    now: () => number,
    private readonly hints: (user: string) => Hints,
    private readonly onQuestion: (posted: PostedQuestion) => void = () => {},
  ) {
    this.journal = new SlackJournal(db, now);
  }

  /** The user's DM channel: the stored one, or opened now (and stored). */
  async channelFor(user: string): Promise<string> {
    const team = await this.client.workspace();
    const known = this.journal.channelOf(team, user);
    if (known) return known;
    let opening = this.opening.get(user);
    if (!opening) {
      opening = this.client.conversations
        .open({ users: user })
        .then((opened) => {
          const id = (opened.channel as { id: string }).id;
          this.journal.rememberChannel(team, user, id);
          return id;
        })
        .finally(() => this.opening.delete(user));
      this.opening.set(user, opening);
    }
    return opening;
  }

  /** A DM channel seen in an event (the person wrote to the bot): kept, so no conversation needs opening. */
  async learnChannel(user: string, channel: string): Promise<void> {
    if (!channel.startsWith('D')) return;
    const team = await this.client.workspace();
    if (this.journal.channelOf(team, user) !== channel) this.journal.rememberChannel(team, user, channel);
  }

  /** Posts a message (and its files) to a user's DM channel. */
  async post(user: string, channel: string, message: Message, key?: string): Promise<Delivered> {
    const pending = key ? this.filesPending.get(key) : undefined;
    const delivered = pending ?? (await this.postText(user, channel, message, key));
    if (key && !pending && message.attachments?.length) this.filesPending.set(key, delivered);
    for (const file of message.attachments ?? []) {
      await this.client.files.uploadV2({ channel_id: channel, file: attachmentBytes(file), filename: file.filename, title: file.filename });
    }
    if (key) this.filesPending.delete(key);
    return delivered;
  }

  private async postText(user: string, channel: string, message: Message, key?: string): Promise<Delivered> {
    const { text, blocks } = toBlocks(message, this.hints(user));
    const team = await this.client.workspace();
    const args = { channel, text, blocks, ...(key ? { metadata: { event_type: METADATA_EVENT, event_payload: { key } } } : {}) };
    // Journalled when the post's turn in the buckets has come, not while it waits there: a crash during
    // the wait leaves nothing in doubt (and nothing to look up in the one-a-minute history).
    const posted = await this.client.chat
      .postMessage(key ? this.client.whenTurnComes(args, () => this.journal.starting(key, team, channel)) : args)
      .catch((error: unknown) => {
        // Slack answered no (or our own budget did): surely not posted. No answer at all: it may have been.
        if (key && !mayHaveArrived(error)) this.journal.abandon(key);
        throw error;
      });
    const ts = posted.ts as string;
    if (key) {
      // Slack has it: whatever fails from here on must not make it go again.
      try {
        this.journal.arrived(key, ts);
      } catch {
        // The history will tell, should anyone ask.
      }
    }
    if (message.question) this.onQuestion({ user, channel, ts, questionId: message.question.id, blocks });
    return { messageId: `${channel}:${ts}` };
  }

  async deliver(address: Address, message: Message, { key }: { key: string }): Promise<Delivered> {
    const user = userOf(address);
    let team: string | undefined;
    try {
      team = await this.client.workspace();
      // A message whose files are still to go is finished by post(); any other earlier attempt is looked up first.
      const earlier = this.filesPending.has(key) ? null : await this.earlierAttempt(address, key);
      if (earlier) return earlier;
      const channel = await this.channelFor(user);
      try {
        return await this.post(user, channel, message, key);
      } catch (error) {
        // A stored channel Slack no longer knows is opened again next time.
        if ((error as { data?: { error?: string } }).data?.error === 'channel_not_found') this.journal.forgetChannel(team, user);
        throw error;
      }
    } catch (error) {
      throw toDeliveryError(error, team ? `slack:${team}` : undefined);
    }
  }

  /**
   * Before posting: an earlier attempt of this key that arrived (the journal has its ts, or it went
   * unanswered and the history shows it), or null to post. When the history cannot tell now, this
   * attempt waits as rate-limited (not an attempt), rather than risk a second copy.
   */
  private async earlierAttempt(address: Address, key: string): Promise<Delivered | null> {
    const entry = this.journal.entry(key);
    if (!entry) return null;
    if (entry.ts) return { messageId: `${entry.channel}:${entry.ts}` };
    try {
      return await this.findDelivered(address, key);
    } catch (error) {
      if (!(error instanceof UnknownDeliveryError)) throw error;
      throw new DeliveryError(`an earlier attempt may have arrived; ${error.message}`, true, error.retryAfterMs ?? 60_000, { cause: error, failure: 'rateLimited', scope: 'message' });
    }
  }

  /**
   * Whether the message with this key arrived: from the journal when it knows (no row: never posted;
   * a ts: arrived), else from the channel's history since the last post the journal knows there, at
   * most 15 messages a request and within the shared one-a-minute budget. When the budget is spent,
   * the history has more than a page, or Slack cannot be asked, it throws UnknownDeliveryError.
   */
  async findDelivered(address: Address, key: string): Promise<Delivered | null> {
    const user = userOf(address);
    const entry = this.journal.entry(key);
    if (entry?.ts) return { messageId: `${entry.channel}:${entry.ts}` };
    if (!entry && !this.journal.unjournalled(user)) return null;
    const wait = this.client.limits.waitFor('conversations.history');
    if (wait > 0) throw new UnknownDeliveryError(`Slack's history budget is spent for ${Math.ceil(wait / 1000)} s`, Math.ceil(wait));
    try {
      const channel = entry?.channel ?? (await this.channelFor(user));
      const oldest = entry ? this.journal.searchFrom(key, channel, entry.startedAt) : null;
      const cursor = this.cursors.get(key);
      const history = await this.client.conversations.history({
        channel,
        limit: HISTORY_PAGE,
        include_all_metadata: true,
        ...(oldest ? { oldest } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const hit = ((history.messages ?? []) as HistoryMessage[]).find((m) => m.metadata?.event_type === METADATA_EVENT && m.metadata.event_payload?.key === key);
      if (hit?.ts) {
        this.cursors.delete(key);
        if (entry) this.journal.arrived(key, hit.ts);
        return { messageId: `${channel}:${hit.ts}` };
      }
      const next = history.has_more ? history.response_metadata?.next_cursor : undefined;
      if (next) {
        this.cursors.set(key, next);
        const again = Math.max(1, this.client.limits.waitFor('conversations.history'));
        throw new UnknownDeliveryError('more of the history to read than one request returns', again);
      }
      this.cursors.delete(key);
      // Not there: surely not posted. Said so in the journal, so the post that follows does not ask
      // again (it would find the minute's budget spent by this look-up, and wait, and ask, for ever).
      if (entry) this.journal.abandon(key);
      return null;
    } catch (error) {
      if (error instanceof UnknownDeliveryError) throw error;
      const retryAfterMs = error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : Math.max(60_000, this.client.limits.waitFor('conversations.history'));
      throw new UnknownDeliveryError(`could not read the Slack history: ${(error as Error).message ?? String(error)}`, retryAfterMs, { cause: error });
    }
  }
}
