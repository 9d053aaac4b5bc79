/**
 * Teams' documented limits, kept before Teams has to say so. Per bot and conversation: 7 requests a
 * second, 8 in 2 seconds, 60 in 30 seconds and 1,800 an hour; per bot (per tenant) across every
 * conversation: 50 a second. Every request the bot makes (planned deliveries, replies in a turn,
 * card updates, member look-ups) takes its turn here, so they share one budget.
 *
 * Each limit is a sliding window of the moments requests finished: exact for "N in T", where a token
 * bucket refilled at N/T would let up to 2N through in some window of T. A conversation has one
 * request in flight at a time (Teams asks bots not to send to one chat in parallel), so its windows
 * hold even when a request is slow. A request whose turn is further away than the caller may wait
 * is not made: it fails with the wait, and the caller plans it for then. A 429's Retry-After holds
 * the conversation or the whole bot here too, so replies in a turn respect it as well.
 */
export interface Limit {
  count: number;
  ms: number;
}

export const CONVERSATION_LIMITS: Limit[] = [
  { count: 7, ms: 1_000 },
  { count: 8, ms: 2_000 },
  { count: 60, ms: 30_000 },
  { count: 1_800, ms: 3_600_000 },
];

export const BOT_LIMITS: Limit[] = [{ count: 50, ms: 1_000 }];

/** The moments requests finished, oldest first, and the earliest moment the next may start. */
class Window {
  private readonly times: number[] = [];
  private readonly longest: number;

  constructor(private readonly limits: Limit[]) {
    this.longest = Math.max(...limits.map((l) => l.ms));
  }

  earliest(now: number): number {
    while (this.times.length > 0 && this.times[0]! <= now - this.longest) this.times.shift();
    let at = now;
    for (const { count, ms } of this.limits) if (this.times.length >= count) at = Math.max(at, this.times[this.times.length - count]! + ms);
    return at;
  }

  add(at: number): void {
    let i = this.times.length;
    while (i > 0 && this.times[i - 1]! > at) i -= 1;
    this.times.splice(i, 0, at);
  }

  remove(at: number): void {
    const i = this.times.lastIndexOf(at);
    if (i >= 0) this.times.splice(i, 1);
  }

  get empty(): boolean {
    return this.times.length === 0;
  }
}

/** The request was not made: its turn is `waitMs` away, more than the caller may wait. */
export class PaceExceeded extends Error {
  constructor(
    readonly waitMs: number,
    readonly scope: 'conversation' | 'bot',
  ) {
    super(`Teams' limit for this ${scope} leaves room in ${waitMs} ms`);
  }
}

export interface PaceOptions {
  conversationLimits?: Limit[];
  botLimits?: Limit[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TeamsPace {
  private readonly conversations = new Map<string, Window>();
  private readonly bot: Window;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly held = new Map<string, number>();
  private readonly conversationLimits: Limit[];
  readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: PaceOptions = {}) {
    this.conversationLimits = options.conversationLimits ?? CONVERSATION_LIMITS;
    this.bot = new Window(options.botLimits ?? BOT_LIMITS);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Teams said to wait (a 429's Retry-After): nothing goes to the conversation, or to any conversation, before `until`. */
  hold(scope: { conversation: string } | 'bot', until: number): void {
    const name = scope === 'bot' ? BOT : scope.conversation;
    this.held.set(name, Math.max(this.held.get(name) ?? 0, until));
  }

  /** How long a request to `conversation` would wait now (0: it may go). */
  delay(conversation: string): number {
    const now = this.now();
    return Math.max(this.conversationTurn(conversation, now), this.botTurn(now)) - now;
  }

  /**
   * Runs `request` at the conversation's next turn, after the requests queued before it. Throws a
   * PaceExceeded, without running it, when that turn is more than `maxWaitMs` away.
   */
  run<T>(conversation: string, request: () => Promise<T>, maxWaitMs: number): Promise<T> {
    const before = this.queues.get(conversation) ?? Promise.resolve();
    const mine = before.then(() => this.take(conversation, request, maxWaitMs));
    const tail = mine.catch(() => undefined);
    this.queues.set(conversation, tail);
    void tail.then(() => {
      if (this.queues.get(conversation) === tail) this.queues.delete(conversation);
    });
    return mine;
  }

  private async take<T>(conversation: string, request: () => Promise<T>, maxWaitMs: number): Promise<T> {
    // The conversation's turn first (exact: one request at a time), then the bot's (shared with other conversations).
    const wait = this.conversationTurn(conversation, this.now()) - this.now();
    if (wait > maxWaitMs) throw new PaceExceeded(wait, 'conversation');
    if (wait > 0) await this.sleep(wait);
    const botWait = this.botTurn(this.now()) - this.now();
    if (botWait > maxWaitMs - Math.max(wait, 0)) throw new PaceExceeded(botWait, 'bot');
    if (botWait > 0) await this.sleep(botWait);

    const window = this.windowOf(conversation);
    const started = this.now();
    window.add(started);
    this.bot.add(started);
    try {
      return await request();
    } finally {
      // Counted from when the request finished: a slow answer cannot squeeze the next ones together.
      const finished = Math.max(this.now(), started);
      window.remove(started);
      window.add(finished);
      this.bot.remove(started);
      this.bot.add(finished);
    }
  }

  private conversationTurn(conversation: string, now: number): number {
    const window = this.conversations.get(conversation);
    const turn = window ? window.earliest(now) : now;
    if (window?.empty) this.conversations.delete(conversation);
    const held = this.held.get(conversation);
    if (held !== undefined && held <= now) this.held.delete(conversation);
    return Math.max(turn, held ?? 0);
  }

  private botTurn(now: number): number {
    return Math.max(this.bot.earliest(now), this.held.get(BOT) ?? 0);
  }

  private windowOf(conversation: string): Window {
    let window = this.conversations.get(conversation);
    if (!window) this.conversations.set(conversation, (window = new Window(this.conversationLimits)));
    return window;
  }
}

const BOT = '\u0000bot';
