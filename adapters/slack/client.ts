/**
 * The Web API client the messenger and the identity look-ups share. Each call first waits for its
 * turn in the workspace's token buckets (limits.ts); @slack/web-api's own retries are off, so a 429
 * comes straight back as a rate-limited DeliveryError with Slack's Retry-After and its scope: the
 * channel when chat.postMessage had just posted there (Slack's per-channel limit), else the workspace.
 */
import { LogLevel, WebClient, type Logger as SlackLibraryLogger, type WebAPICallResult } from '@slack/web-api';
import { DeliveryError } from '../../src/errors';
import { SlackLimits } from './limits';

export interface SlackClientOptions {
  apiUrl?: string;
  limits?: SlackLimits;
  /** A request that takes longer than this counts as an outage. */
  timeoutMs?: number;
  /** Where the client's own lines go (adapters/slack/logger.ts cuts payloads); without it, errors only. */
  logger?: SlackLibraryLogger;
}

/**
 * At most this many posts under way at once. Slack's workspace pace (a few a second) needs no more,
 * and a post under way when the process dies is in doubt: settling it costs a read of the DM's
 * history, of which apps outside the Marketplace get one a minute for the whole workspace.
 */
export const POSTS_IN_FLIGHT = 2;

/** A 429 within this long after the channel's previous post is taken to be the per-channel limit. */
const CHANNEL_BURST_MS = 2000;

export class SlackClient extends WebClient {
  readonly limits: SlackLimits;
  private workspaceId: Promise<string> | null = null;
  private knownTeam = '?';

  constructor(token: string, options: SlackClientOptions = {}) {
    super(token, {
      slackApiUrl: options.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: options.timeoutMs ?? 30_000,
      // Failures come back as DeliveryErrors and are logged by whoever handles them.
      ...(options.logger ? { logger: options.logger, logLevel: LogLevel.DEBUG } : { logLevel: LogLevel.ERROR }),
    });
    this.limits = options.limits ?? new SlackLimits();
  }

  /** The workspace (team id) of the token, asked once. */
  workspace(): Promise<string> {
    this.workspaceId ??= this.auth.test().then(
      (r) => (this.knownTeam = String(r.team_id)),
      (error: unknown) => {
        this.workspaceId = null;
        throw error;
      },
    );
    return this.workspaceId;
  }

  scopeKeys(channel?: string): { platform: string; conversation?: string } {
    return { platform: `slack:${this.knownTeam}`, ...(channel ? { conversation: `slack:${this.knownTeam}:${channel}` } : {}) };
  }

  /** What to do once a call's turn has come, keyed by the call's arguments (see whenTurnComes). */
  private readonly atTurn = new WeakMap<object, () => void>();

  /**
   * Runs `then` when the call made with `args` has had its turn in the buckets, right before its
   * request goes out; a call that never gets its turn (refused by the budget) never runs it. What
   * `then` throws fails the call without sending it.
   */
  whenTurnComes<T extends object>(args: T, then: () => void): T {
    this.atTurn.set(args, then);
    return args;
  }

  /** Calls that may not wait for their turn (the history budget is one a minute) say so here. */
  readonly maxWaitMs = new Map<string, number>([['conversations.history', 0]]);

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    const channel = typeof options.channel === 'string' ? options.channel : undefined;
    // A post takes its place among those under way first, then its turn in the buckets: a turn taken
    // first and then kept waiting for a place would go out bunched with the ones behind it.
    const release = method === 'chat.postMessage' ? await this.postSlot() : null;
    try {
      await this.limits.take(method, options, this.scopeKeys(channel), this.maxWaitMs.get(method));
      this.atTurn.get(options)?.();
      return await super.apiCall(method, options);
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e.code !== 'slack_webapi_rate_limited_error') throw error;
      const retryAfterMs = Math.max(1, e.retryAfter ?? 1) * 1000;
      const perChannel = method === 'chat.postMessage' && channel !== undefined && this.limits.postedTwiceWithin(channel, CHANNEL_BURST_MS);
      const now = this.limits.timer.now();
      // Nobody else may use a budget that Slack says is spent; for the history budget that means findDelivered waits too.
      if (method === 'conversations.history') this.limits.method(method).pause(now + retryAfterMs);
      const keys = this.scopeKeys(channel);
      throw new DeliveryError(`Slack rate limit (429) on ${method}`, true, retryAfterMs, {
        cause: error,
        failure: 'rateLimited',
        scope: perChannel ? 'conversation' : 'platform',
        scopeKey: perChannel ? keys.conversation : keys.platform,
      });
    } finally {
      release?.();
    }
  }

  /** Free places for posts under way, and the posts waiting for one, in order. */
  private postsFree = POSTS_IN_FLIGHT;
  private readonly waitingToPost: (() => void)[] = [];

  /** Waits for a place among the posts under way; the function it resolves with gives the place back. */
  private async postSlot(): Promise<() => void> {
    if (this.postsFree > 0) this.postsFree -= 1;
    else await new Promise<void>((resolve) => this.waitingToPost.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waitingToPost.shift();
      if (next) next();
      else this.postsFree += 1;
    };
  }
}
