/**
 * Delivering to Slack. A person's address is "slack:U0123"; the DM channel is opened on demand.
 * Each message carries its nudge key in message metadata, so after a crash the adapter can look in
 * the DM's history whether it already arrived. Failures become DeliveryErrors: a 429 or an outage is
 * retried by the core (after Retry-After), a refusal such as user_not_found is not. Messages to one
 * conversation keep about one a second, without holding back anyone else's.
 */
import type { WebClient } from '@slack/web-api';
import { DeliveryError } from '../../src/errors';
import { attachmentBytes, type Address, type Message } from '../../src/message';
import type { Delivered, Messenger } from '../../src/messenger';
import { toBlocks, type Block, type Hints } from './blocks';

/** A message with buttons, posted to a user: remembered so the buttons can give way to the answer. */
export interface PostedQuestion {
  user: string;
  channel: string;
  ts: string;
  questionId: string;
  blocks: Block[];
}

const RETRYABLE = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_access_not_granted_yet']);
export const METADATA_EVENT = 'sparring_nudge';

export function userOf(address: Address): string {
  if (!address.startsWith('slack:')) throw new Error(`not a Slack address: ${address}`);
  return address.slice('slack:'.length);
}

export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  if (e.code === 'slack_webapi_rate_limited_error') return new DeliveryError('Slack rate limit (429)', true, (e.retryAfter ?? 1) * 1000, { cause: error });
  if (e.code === 'slack_webapi_platform_error') {
    const reason = e.data?.error ?? 'unknown_error';
    return new DeliveryError(`Slack refused: ${reason}`, RETRYABLE.has(reason), undefined, { cause: error });
  }
  if (e.code === 'slack_webapi_http_error') return new DeliveryError(`Slack answered HTTP ${e.statusCode}`, (e.statusCode ?? 500) >= 500, undefined, { cause: error });
  return new DeliveryError(`Slack could not be reached: ${e.message ?? String(error)}`, true, undefined, { cause: error });
}

export class SlackMessenger implements Messenger {
  readonly platforms = ['slack'] as const;
  private readonly channels = new Map<string, string>();
  private readonly lastPost = new Map<string, number>();
  /** Messages that arrived but whose files did not yet (by nudge key): a retry sends only the files. */
  private readonly filesPending = new Map<string, Delivered>();

  constructor(
    private readonly client: WebClient,
    private readonly hints: (user: string) => Hints,
    private readonly onQuestion: (posted: PostedQuestion) => void = () => {},
    private readonly paceMs = 1000,
  ) {}

  async channelFor(user: string): Promise<string> {
    const known = this.channels.get(user);
    if (known) return known;
    const opened = await this.client.conversations.open({ users: user });
    const id = (opened.channel as { id: string }).id;
    this.channels.set(user, id);
    return id;
  }

  /** Waits so that one conversation gets at most about one message a second. */
  private async pace(channel: string): Promise<void> {
    const wait = (this.lastPost.get(channel) ?? 0) + this.paceMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastPost.set(channel, Date.now());
  }

  /** Posts a message (and its files) to a user's DM channel. */
  async post(user: string, channel: string, message: Message, key?: string): Promise<Delivered> {
    const pending = key ? this.filesPending.get(key) : undefined;
    const delivered = pending ?? (await this.postText(user, channel, message, key));
    if (key && !pending && message.attachments?.length) this.filesPending.set(key, delivered);
    for (const file of message.attachments ?? []) {
      await this.pace(channel);
      await this.client.files.uploadV2({ channel_id: channel, file: attachmentBytes(file), filename: file.filename, title: file.filename });
    }
    if (key) this.filesPending.delete(key);
    return delivered;
  }

  private async postText(user: string, channel: string, message: Message, key?: string): Promise<Delivered> {
    const { text, blocks } = toBlocks(message, this.hints(user));
    await this.pace(channel);
    const posted = await this.client.chat.postMessage({
      channel,
      text,
      blocks,
      ...(key ? { metadata: { event_type: METADATA_EVENT, event_payload: { key } } } : {}),
    });
    const ts = posted.ts as string;
    if (message.question) this.onQuestion({ user, channel, ts, questionId: message.question.id, blocks });
    return { messageId: `${channel}:${ts}` };
  }

  async deliver(address: Address, message: Message, { key }: { key: string }): Promise<Delivered> {
    try {
      const user = userOf(address);
      return await this.post(user, await this.channelFor(user), message, key);
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  async findDelivered(address: Address, key: string): Promise<Delivered | null> {
    const channel = await this.channelFor(userOf(address));
    const history = await this.client.conversations.history({ channel, limit: 30, include_all_metadata: true });
    const hit = (history.messages ?? []).find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
      return meta?.event_type === METADATA_EVENT && meta.event_payload?.key === key;
    });
    return hit ? { messageId: `${channel}:${hit.ts}` } : null;
  }
}
