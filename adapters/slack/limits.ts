/**
 * Slack's documented rate limits, and the token buckets that keep the adapter inside them. Limits
 * apply per method and workspace (one bot token is one workspace); chat.postMessage also allows only
 * about one message a second per channel. Every Web API call the adapter makes takes its place in
 * the buckets first, so deliveries and replies share one budget. A bucket is a GCRA (virtual
 * scheduling): `burst` calls may go at once, then one every 60 000 / perMinute ms, in arrival order.
 */
import { DeliveryError } from '../../src/errors';

/** The time the buckets run on: real, or accelerated for a benchmark. */
export interface Timer {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A clock that runs `speed` times faster than the wall clock, from `start`. */
export function acceleratedTimer(speed: number, start = Date.now()): Timer {
  const origin = Date.now();
  return {
    now: () => start + (Date.now() - origin) * speed,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / speed))),
  };
}

export interface Rate {
  perMinute: number;
  /** Calls that may go at once before the pace applies. */
  burst: number;
}

/**
 * What Slack documents (docs.slack.dev/apis/web-api/rate-limits): Tier 2 20+/min, Tier 3 50+/min,
 * Tier 4 100+/min, chat.postMessage about 1/s per channel with short bursts and a workspace-wide
 * limit of several hundred a minute, conversations.history for non-Marketplace apps 1/min and at
 * most 15 messages a request. The bursts are not documented; these are modest guesses.
 */
export const SLACK_LIMITS = {
  postPerChannel: { perMinute: 60, burst: 3 },
  postPerWorkspace: { perMinute: 300, burst: 20 },
  tier2: { perMinute: 20, burst: 3 },
  tier3: { perMinute: 50, burst: 5 },
  tier4: { perMinute: 100, burst: 10 },
  history: { perMinute: 1, burst: 1 },
  /** auth.test and the like: generous. */
  special: { perMinute: 600, burst: 50 },
} as const satisfies Record<string, Rate>;

/** conversations.history for non-Marketplace apps returns at most this many messages. */
export const HISTORY_PAGE = 15;

/** The tier of each method the adapter calls (unlisted: Tier 3). */
export const METHOD_TIER: Record<string, keyof typeof SLACK_LIMITS> = {
  'chat.postMessage': 'postPerWorkspace',
  'conversations.open': 'tier3',
  'conversations.history': 'history',
  'users.info': 'tier4',
  'users.lookupByEmail': 'tier3',
  'chat.update': 'tier3',
  'files.getUploadURLExternal': 'tier4',
  'files.completeUploadExternal': 'tier4',
  'views.open': 'tier4',
  'views.publish': 'tier4',
  'auth.test': 'special',
};

/** The adapter keeps this share of each documented rate, so network jitter does not cross the line. */
const MARGIN = 0.95;

/** A token bucket in GCRA form: reservations are made in order and never overtake each other. */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  /** The theoretical arrival time of the next call. */
  private tat = -Infinity;
  private pausedUntil = -Infinity;

  constructor(rate: Rate) {
    this.intervalMs = 60_000 / rate.perMinute;
    this.toleranceMs = (Math.max(1, rate.burst) - 1) * this.intervalMs;
  }

  /** The earliest moment a call arriving at `now` may go. */
  earliest(now: number): number {
    return Math.max(now, this.pausedUntil, this.tat - this.toleranceMs);
  }

  /** Books a call at `at` (not before earliest()). */
  commit(at: number): void {
    this.tat = Math.max(this.tat, at) + this.intervalMs;
  }

  /** No call before `until`. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}

/** Names the buckets a call takes from. */
export interface BucketKey {
  bucket: TokenBucket;
  /** What a wait on this bucket holds up: one conversation or the whole workspace. */
  scope: 'conversation' | 'platform';
}

/** The buckets of one workspace (one bot token). */
export class SlackLimits {
  private readonly methods = new Map<string, TokenBucket>();
  private readonly channels = new Map<string, TokenBucket>();
  /** When the last two posts to each channel went (paced or not). */
  private readonly posts = new Map<string, [number, number]>();

  /**
   * @param perChannelMs at least this far apart per channel (Slack: about 1 000); 0 turns the channel pace off.
   * @param maxQueueMs a call that would wait longer than this for its turn is refused at once as rate-limited.
   */
  constructor(
    readonly timer: Timer = realTimer,
    private readonly perChannelMs = 1000,
    private readonly maxQueueMs = 60_000,
  ) {}

  private static scaled(rate: Rate): Rate {
    return { perMinute: rate.perMinute * MARGIN, burst: Math.max(1, rate.burst - 1) };
  }

  method(name: string): TokenBucket {
    let bucket = this.methods.get(name);
    if (!bucket) {
      bucket = new TokenBucket(SlackLimits.scaled(SLACK_LIMITS[METHOD_TIER[name] ?? 'tier3']));
      this.methods.set(name, bucket);
    }
    return bucket;
  }

  channel(id: string): TokenBucket | null {
    if (this.perChannelMs <= 0) return null;
    let bucket = this.channels.get(id);
    if (!bucket) {
      const rate = { perMinute: 60_000 / this.perChannelMs, burst: SLACK_LIMITS.postPerChannel.burst };
      bucket = new TokenBucket(SlackLimits.scaled(rate));
      this.channels.set(id, bucket);
    }
    return bucket;
  }

  /** The buckets a call takes from: its method's, and for a post its channel's as well. */
  bucketsFor(method: string, args: Record<string, unknown> | undefined): BucketKey[] {
    const keys: BucketKey[] = [{ bucket: this.method(method), scope: 'platform' }];
    const channel = typeof args?.channel === 'string' ? args.channel : typeof args?.channel_id === 'string' ? args.channel_id : null;
    if (channel && (method === 'chat.postMessage' || method === 'files.completeUploadExternal')) {
      const bucket = this.channel(channel);
      if (bucket) keys.push({ bucket, scope: 'conversation' });
    }
    return keys;
  }

  /** Whether the latest post to `channel` followed another one there within `withinMs`. */
  postedTwiceWithin(channel: string, withinMs: number): boolean {
    const [before, last] = this.posts.get(channel) ?? [-Infinity, -Infinity];
    return last - before <= withinMs;
  }

  /** How long a call of `method` would wait now (0: it could go at once). */
  waitFor(method: string, args?: Record<string, unknown>): number {
    const now = this.timer.now();
    return Math.max(0, ...this.bucketsFor(method, args).map((k) => k.bucket.earliest(now) - now));
  }

  /**
   * Waits for the call's turn in every bucket it takes from. When the turn is further away than
   * `maxWaitMs` (default: the queue limit), nothing is booked and a rate-limited DeliveryError says
   * when to come back, naming the bucket that holds it up.
   */
  async take(method: string, args: Record<string, unknown> | undefined, scopeKeys: { platform: string; conversation?: string }, maxWaitMs = this.maxQueueMs): Promise<void> {
    const keys = this.bucketsFor(method, args);
    const now = this.timer.now();
    let at = now;
    let holding: BucketKey = keys[0]!;
    for (const k of keys) {
      const earliest = k.bucket.earliest(now);
      if (earliest > at) [at, holding] = [earliest, k];
    }
    if (at - now > maxWaitMs) {
      const scope = holding.scope === 'conversation' && scopeKeys.conversation ? 'conversation' : 'platform';
      throw new DeliveryError(`Slack ${method}: over the adapter's own budget for ${Math.ceil((at - now) / 1000)} s`, true, Math.ceil(at - now), {
        failure: 'rateLimited',
        scope,
        scopeKey: scope === 'conversation' ? scopeKeys.conversation : scopeKeys.platform,
      });
    }
    for (const k of keys) k.bucket.commit(at);
    const channel = method === 'chat.postMessage' && typeof args?.channel === 'string' ? args.channel : null;
    if (channel) this.posts.set(channel, [this.posts.get(channel)?.[1] ?? -Infinity, at]);
    if (at > now) await this.timer.sleep(at - now);
  }
}
