/**
 * What a failed Teams request means for the core (src/errors.ts DeliveryError):
 * - 429: 'rateLimited' after Retry-After. Teams does not say which limit was hit. The first 429 holds
 *   the conversation (scope 'conversation', `teams:<conversation id>`); a 429 for a second
 *   conversation while the first is still held means the bot's own budget is spent: scope 'platform'
 *   (`teams:bot`). Either way the pace holds it too, so replies in a turn wait as well.
 * - Our own pace said the turn is too far away: 'rateLimited' likewise, with that wait.
 * - 5xx, 401 (the bot's credentials) and a network failure: 'outage' of the platform.
 * - 403, 404 (app removed, user gone) and other 4xx: 'rejected', for good. 408 and 412 (which
 *   Microsoft asks bots to retry): 'failed', retried with backoff.
 */
import { DeliveryError } from '../../src/errors';
import { PaceExceeded, type TeamsPace } from './pace';

export const BOT_SCOPE = 'teams:bot';
export const conversationScope = (conversationId: string): string => `teams:${conversationId}`;

/** Without a Retry-After, a 429 waits this long. */
const DEFAULT_RETRY_AFTER_MS = 2_000;

function header(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: { get?(n: string): string | undefined } | Record<string, string> } }).response?.headers;
  if (!headers) return undefined;
  return typeof headers.get === 'function' ? headers.get(name) : (headers as Record<string, string>)[name];
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from `now`. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds > 0 ? Math.ceil(seconds * 1000) : undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) && at > now ? at - now : undefined;
}

export class TeamsFailures {
  /** The last conversation Teams answered 429 for, and until when it said to wait. */
  private throttled: { conversation: string; until: number } | null = null;

  constructor(
    private readonly pace: TeamsPace,
    private readonly now: () => number = Date.now,
  ) {}

  /** The DeliveryError for a request to `conversation` that failed with `error`. */
  classify(error: unknown, conversation: string): DeliveryError {
    if (error instanceof DeliveryError) return error;
    if (error instanceof PaceExceeded) {
      const scope = error.scope === 'bot' ? { scope: 'platform' as const, scopeKey: BOT_SCOPE } : { scope: 'conversation' as const, scopeKey: conversationScope(conversation) };
      return new DeliveryError(error.message, true, error.waitMs, { cause: error, failure: 'rateLimited', ...scope });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === undefined) {
      return new DeliveryError(`Teams could not be reached: ${(error as Error).message ?? String(error)}`, true, undefined, { cause: error, failure: 'outage', scope: 'platform', scopeKey: BOT_SCOPE });
    }
    const message = `Teams answered HTTP ${status}`;
    if (status === 429) return this.rateLimited(error, conversation, message);
    if (status >= 500 || status === 401) return new DeliveryError(message, true, undefined, { cause: error, failure: 'outage', scope: 'platform', scopeKey: BOT_SCOPE });
    if (status === 408 || status === 412) return new DeliveryError(message, true, undefined, { cause: error, failure: 'failed' });
    return new DeliveryError(message, false, undefined, { cause: error, failure: 'rejected' });
  }

  private rateLimited(error: unknown, conversation: string, message: string): DeliveryError {
    const now = this.now();
    const wait = retryAfterMs(header(error, 'retry-after'), now) ?? DEFAULT_RETRY_AFTER_MS;
    const other = this.throttled !== null && this.throttled.conversation !== conversation && this.throttled.until > now;
    this.throttled = { conversation, until: now + wait };
    if (other) {
      this.pace.hold('bot', now + wait);
      return new DeliveryError(message, true, wait, { cause: error, failure: 'rateLimited', scope: 'platform', scopeKey: BOT_SCOPE });
    }
    this.pace.hold({ conversation }, now + wait);
    return new DeliveryError(message, true, wait, { cause: error, failure: 'rateLimited', scope: 'conversation', scopeKey: conversationScope(conversation) });
  }
}
