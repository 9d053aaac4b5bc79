/**
 * The worker: every minute (node-cron) and whenever woken, it claims what is due, delivers it
 * through the Messenger and records the outcome. Nothing is marked delivered before the platform
 * accepted it; a failure is retried with backoff; a nudge that lost its point is dropped; one that
 * falls in the person's quiet hours or pause waits, unless it would be too late by then.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Core } from '../core';
import { DeliveryError, describeError } from '../errors';
import type { Messenger } from '../messenger';
import { openDialogueOf } from '../dialogues';
import { addressFor, getPerson, type Person } from '../people';
import { quietHoursFor } from '../programme/attention';
import { inTransaction } from '../store/database';
import { HOUR, MINUTE, nextAllowedMoment } from '../time';
import {
  claimDue,
  markDelivered,
  markDropped,
  markFailed,
  markRetry,
  postpone,
  WAITING_FOR_DIALOGUE,
  type ClaimedNudge,
} from './nudges';
import { isDrop, isSilent, type TaskContext, type TaskRegistry } from './task';

export interface SchedulerOptions {
  /** Rows claimed per transaction. */
  batchSize: number;
  /** Deliveries under way at once. */
  concurrency: number;
  /** A row left 'sending' this long is taken to belong to a process that stopped. */
  staleMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A dialogue untouched this long counts as abandoned: a new one may take its place. */
  dialogueIdleMs: number;
  /** How long a dialogue-opening nudge waits before looking again (it is released early when the dialogue closes). */
  dialogueWaitMs: number;
}

export const defaultSchedulerOptions: SchedulerOptions = {
  batchSize: 200,
  concurrency: 8,
  staleMs: 10 * MINUTE,
  backoffBaseMs: MINUTE,
  backoffMaxMs: 6 * HOUR,
  dialogueIdleMs: 24 * HOUR,
  dialogueWaitMs: 2 * HOUR,
};

export interface TickReport {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  dropped: number;
  postponed: number;
}

type Outcome = Exclude<keyof TickReport, 'claimed'>;

export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly log;
  private cronTask: ScheduledTask | null = null;
  private running: Promise<TickReport> | null = null;
  private again = false;
  private recovered = false;
  private wakeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly core: Core,
    private readonly messenger: Messenger,
    private readonly tasks: TaskRegistry,
    options: Partial<SchedulerOptions> = {},
  ) {
    this.options = { ...defaultSchedulerOptions, ...options };
    this.log = core.log.child('scheduler');
  }

  /** Starts the minute tick and catches up on what fell due while the bot was down. */
  start(): void {
    this.cronTask = cron.schedule('* * * * *', () => void this.runOnce().catch((e) => this.log.error('tick failed', { error: describeError(e) })), {
      noOverlap: true,
      name: 'sparring-scheduler',
    });
    void this.runOnce().catch((e) => this.log.error('catch-up failed', { error: describeError(e) }));
  }

  /** Asks for a tick soon (coalesced), e.g. after a message to another person was planned for now. */
  wake(): void {
    if (this.wakeTimer || !this.cronTask) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.runOnce().catch((e) => this.log.error('tick failed', { error: describeError(e) }));
    }, 0);
  }

  async stop(): Promise<void> {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    await this.cronTask?.stop();
    await this.cronTask?.destroy();
    this.cronTask = null;
    await this.running;
  }

  /**
   * One tick: drains everything due now. Concurrent calls share the running tick (and ask for
   * one more pass), so a row is never handled twice. The first tick of a process also takes back
   * rows the previous process left in flight.
   */
  runOnce(): Promise<TickReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<TickReport> {
    const report: TickReport = { claimed: 0, delivered: 0, retried: 0, failed: 0, dropped: 0, postponed: 0 };
    do {
      this.again = false;
      for (;;) {
        const staleMs = this.recovered ? this.options.staleMs : 0;
        const claimed = claimDue(this.core.db, this.core.clock.now(), { limit: this.options.batchSize, staleMs });
        this.recovered = true;
        report.claimed += claimed.length;
        await this.pool(claimed, async (n) => {
          report[await this.process(n)] += 1;
        });
        if (claimed.length < this.options.batchSize) break;
      }
    } while (this.again);
    if (report.claimed > 0) this.log.info('tick', { ...report });
    return report;
  }

  private async pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await work(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, items.length) }, worker));
  }

  private async process(n: ClaimedNudge): Promise<Outcome> {
    const { db } = this.core;
    const now = this.core.clock.now();
    const task = this.tasks.get(n.kind);
    if (!task) {
      markFailed(db, n.id, `no task handles the kind ${n.kind}`);
      return 'failed';
    }
    const person = getPerson(this.core, n.personId);
    if (!person) return this.drop(n, 'the person is gone');
    if (n.expiresAt !== null && n.expiresAt <= now) return this.drop(n, 'expired');
    const payload = task.payload.safeParse(JSON.parse(n.payload));
    if (!payload.success) {
      markFailed(db, n.id, `payload does not fit ${n.kind}: ${payload.error.issues[0]?.message}`);
      return 'failed';
    }

    const ctx: TaskContext<unknown> = { core: this.core, nudge: n, payload: payload.data, person };
    // A row left in flight by a stopped process may have arrived already: ask before anything else.
    if (n.inDoubt) {
      const earlier = await this.findEarlierDelivery(n, person.id);
      if (earlier) {
        this.recordDelivered(n, ctx, earlier);
        return 'delivered';
      }
    }
    let message;
    try {
      message = task.compose(ctx);
    } catch (error) {
      markFailed(db, n.id, `compose failed: ${describeError(error)}`);
      this.log.error('compose failed', { nudge: n.key, error: describeError(error) });
      return 'failed';
    }
    if (isDrop(message)) return this.drop(n, message.drop);
    if (isSilent(message)) {
      this.recordDelivered(n, ctx, `silent: ${message.silent}`);
      return 'delivered';
    }

    const allowedAt = task.prompted ? now : this.allowedAt(person, now);
    if (allowedAt > now) {
      if (n.expiresAt !== null && allowedAt >= n.expiresAt) return this.drop(n, 'would be too late after quiet hours or pause');
      postpone(db, n.id, allowedAt, person.pausedUntil && person.pausedUntil > now ? 'paused' : 'quiet hours');
      return 'postponed';
    }

    const busyUntil = task.opensDialogue ? this.busyUntil(person.id, now) : null;
    if (busyUntil !== null) {
      if (n.expiresAt !== null && busyUntil >= n.expiresAt) {
        // Waiting would make it pointless; it takes the place of the other dialogue instead.
      } else {
        postpone(db, n.id, busyUntil, WAITING_FOR_DIALOGUE);
        return 'postponed';
      }
    }

    const address = addressFor(this.core, person.id, this.messenger.platforms);
    if (!address) return this.retry(n, now, new DeliveryError('the person cannot be reached on any running platform yet', true));

    try {
      const delivered = await this.messenger.deliver(address, message, { key: n.key });
      this.recordDelivered(n, ctx, delivered.messageId);
      return 'delivered';
    } catch (error) {
      return this.retry(n, now, error);
    }
  }

  private async findEarlierDelivery(n: ClaimedNudge, personId: number): Promise<string | null> {
    const address = addressFor(this.core, personId, this.messenger.platforms);
    if (!address || !this.messenger.findDelivered) return null;
    try {
      return (await this.messenger.findDelivered(address, n.key))?.messageId ?? null;
    } catch (error) {
      this.log.warn('could not ask whether a message arrived; sending it again', { nudge: n.key, error: describeError(error) });
      return null;
    }
  }

  private recordDelivered(n: ClaimedNudge, ctx: TaskContext<unknown>, messageId: string): void {
    inTransaction(this.core.db, () => {
      markDelivered(this.core.db, n.id, messageId, this.core.clock.now());
      this.tasks.get(n.kind)?.delivered?.(ctx);
    });
  }

  /** When to look again if the person is in the middle of a dialogue they touched recently; else null. */
  private busyUntil(personId: number, now: number): number | null {
    const open = openDialogueOf(this.core, personId);
    if (!open || (open.updatedAt ?? 0) <= now - this.options.dialogueIdleMs) return null;
    return Math.min(now + this.options.dialogueWaitMs, open.expiresAt ?? Infinity, (open.updatedAt ?? now) + this.options.dialogueIdleMs);
  }

  /** The first moment the person may get an unprompted message: after quiet hours and any pause. */
  private allowedAt(person: Person, now: number): number {
    const from = Math.max(now, person.pausedUntil ?? 0);
    return nextAllowedMoment(from, person.timezone, quietHoursFor(this.core, person.id));
  }

  private drop(n: ClaimedNudge, note: string): Outcome {
    markDropped(this.core.db, n.id, note);
    this.log.debug('dropped', { nudge: n.key, note });
    return 'dropped';
  }

  private retry(n: ClaimedNudge, now: number, error: unknown): Outcome {
    const message = describeError(error);
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    if (!retryable || n.attempts + 1 >= n.maxAttempts) {
      markFailed(this.core.db, n.id, message);
      this.log.warn('delivery failed for good', { nudge: n.key, attempts: n.attempts + 1, error: message });
      return 'failed';
    }
    const backoff = Math.min(this.options.backoffBaseMs * 2 ** n.attempts, this.options.backoffMaxMs);
    const jitter = ((n.id * 7919) % 1000) / 1000 / 5; // 0–20 %, fixed per nudge so tests can predict it
    // When the platform said when (a 429's Retry-After), that is when; otherwise back off.
    const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    const wait = retryAfter ?? Math.round(backoff * (1 + jitter));
    markRetry(this.core.db, n.id, now + wait, message);
    this.log.info('delivery will be retried', { nudge: n.key, inMs: wait, error: message });
    return 'retried';
  }
}
