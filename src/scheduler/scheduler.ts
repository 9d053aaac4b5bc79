/**
 * The worker: every minute (node-cron), whenever woken, and at the next due time, it claims what is
 * due under a lease, delivers it through the Messenger and records the outcome.
 * - Once a platform accepted a message nothing sends it again: recording is retried on its own (kept
 *   in memory while the database cannot be written), and the tasks' `delivered` hooks run afterwards
 *   as a separate, guarded step.
 * - A person's messages go out one at a time, in order; what falls due for them together is bundled.
 * - A 429 pauses its scope for everyone and is not an attempt; an outage opens the platform's circuit.
 * - A row taken over from a stopped process asks the platform first whether it arrived.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import cron, { type ScheduledTask } from 'node-cron';
import type { Core } from '../core';
import { DeliveryError, describeError, UnknownDeliveryError } from '../errors';
import type { Messenger } from '../messenger';
import { platformOf, type Address, type Message } from '../message';
import { currentDialogue } from '../dialogues';
import { addressFor, getPerson, type Person } from '../people';
import { quietHoursFor } from '../programme/attention';
import { HOUR, MINUTE, SECOND, nextAllowedMoment } from '../time';
import { BackPressure } from './backpressure';
import { bundle } from './bundle';
import { applyRetention } from '../privacy/retention';
import { housekeep } from './housekeeping';
import {
  claimDue,
  markDropped,
  markFailed,
  markRetry,
  nextDueAt,
  postpone,
  release,
  renewLeases,
  setBundleKey,
  WAITING_FOR_DIALOGUE,
  type ClaimedNudge,
} from './nudges';
import { isDrop, isSilent, type NudgeTask, type TaskContext, type TaskRegistry } from './task';
import { failureReason } from '../metrics/recorder';
import { inTransaction } from '../store/database';
import { DeliveryRecorder, type Delivered } from './recorder';

export interface SchedulerOptions {
  /** Rows claimed per transaction. */
  batchSize: number;
  /** Deliveries under way at once (each to a different person). */
  concurrency: number;
  /** Who this process is, for the leases: process id and start. */
  owner: string;
  /** How long a claim holds; renewed while a delivery is still running. */
  leaseMs: number;
  /** A person's further nudges due within this window go out in the same message. */
  bundleMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A dialogue untouched this long counts as abandoned: a new question may be asked over it. */
  dialogueIdleMs: number;
  /** How long a dialogue-opening nudge waits before looking again (it is released early when the dialogue closes). */
  dialogueWaitMs: number;
  /**
   * A question with a deadline (a meeting to confirm) waits for another question only while this
   * much time to answer it is left; then it is asked even over an unanswered one.
   */
  answerTimeMs: number;
  /** Outage failures in a row that open a platform's circuit, and its first cool-down. */
  circuitThreshold: number;
  circuitCooldownMs: number;
  /** When a platform cannot tell whether a message arrived, ask again after this long. */
  unknownRetryMs: number;
}

export const defaultSchedulerOptions: SchedulerOptions = {
  batchSize: 200,
  concurrency: 8,
  owner: `${process.pid}:${Date.now()}`,
  leaseMs: 2 * MINUTE,
  bundleMs: 15 * MINUTE,
  backoffBaseMs: MINUTE,
  backoffMaxMs: 6 * HOUR,
  dialogueIdleMs: 24 * HOUR,
  dialogueWaitMs: 2 * HOUR,
  answerTimeMs: 24 * HOUR,
  circuitThreshold: 5,
  circuitCooldownMs: 30 * SECOND,
  unknownRetryMs: MINUTE,
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

export interface Health {
  ok: boolean;
  problems: string[];
}

/** A claimed row whose task and payload checked out. */
type Checked = { n: ClaimedNudge; task: NudgeTask<unknown>; ctx: TaskContext<unknown> };
/** A row whose message is composed and may go now. */
type Ready = Delivered & { message: Message };
/** One person's claimed rows after checking and composing: what may go now, and the outcomes of the rest. */
type Composed = { group: ClaimedNudge[]; person: Person | null; ready: Ready[]; address: Address | null; outcomes: Outcome[] };

/** Someone who wrote to their open question this recently is taken to be in the middle of answering it. */
const WRITING_MS = 15 * MINUTE;

/** What the platform said of a row taken over in doubt: arrived (its message id), surely not (null), or ask again later. */
type Earlier = string | null | { askAgainInMs: number };

export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly log;
  private readonly pressure: BackPressure;
  private cronTask: ScheduledTask | null = null;
  private running: Promise<TickReport> | null = null;
  private again = false;
  private stopping = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private nextTimer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<number>();
  private readonly recorder: DeliveryRecorder;
  private dbProblem: { message: string; since: number; reportedAt: number } | null = null;
  private lastHousekeeping = -Infinity;
  private recoveryTimer: NodeJS.Timeout | null = null;
  /** Runs a function outside any inbound request's log context: wake() is called while one is handled, and a tick is not part of it. */
  private readonly detached = AsyncLocalStorage.snapshot();
  /** Counters for metrics and health. */
  readonly counters = { delivered: 0, retried: 0, failed: 0, dropped: 0, rateLimited: 0, outages: 0, recordRetries: 0, hookFailures: 0 };

  constructor(
    private readonly core: Core,
    private readonly messenger: Messenger,
    private readonly tasks: TaskRegistry,
    options: Partial<SchedulerOptions> = {},
  ) {
    this.options = { ...defaultSchedulerOptions, ...options };
    this.log = core.log.child('scheduler');
    this.pressure = new BackPressure({ threshold: this.options.circuitThreshold, cooldownMs: this.options.circuitCooldownMs, maxCooldownMs: 10 * MINUTE });
    this.recorder = new DeliveryRecorder({ core, tasks, owner: this.options.owner, log: this.log, counters: this.counters, write: (what, work) => this.write(what, work) });
  }

  get owner(): string {
    return this.options.owner;
  }

  /** Starts the minute tick and catches up on what fell due while the bot was down. */
  start(): void {
    this.stopping = false;
    this.cronTask = cron.schedule('* * * * *', () => this.tickSoon(), { noOverlap: true, name: 'sparring-scheduler' });
    this.renewTimer = setInterval(() => this.renew(), Math.max(1_000, Math.floor(this.options.leaseMs / 3)));
    this.renewTimer.unref?.();
    this.tickSoon();
  }

  /** Asks for a tick soon (coalesced), e.g. after a message to another person was planned for now. */
  wake(): void {
    if (this.wakeTimer || !this.cronTask || this.stopping) return;
    this.wakeTimer = this.detached(() =>
      setTimeout(() => {
        this.wakeTimer = null;
        this.tickSoon();
      }, 0),
    );
  }

  /**
   * Stops claiming, lets the deliveries in flight finish within `deadlineMs` and records them. What
   * is still in flight after the deadline keeps its lease and is asked about after the next start.
   */
  async stop(options: { deadlineMs?: number } = {}): Promise<void> {
    this.stopping = true;
    for (const t of [this.wakeTimer, this.nextTimer, this.recoveryTimer]) if (t) clearTimeout(t);
    this.recoveryTimer = null;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.wakeTimer = this.nextTimer = this.renewTimer = null;
    await this.cronTask?.stop();
    await this.cronTask?.destroy();
    this.cronTask = null;
    const deadline = options.deadlineMs ?? 10 * SECOND;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running ?? Promise.resolve(), new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline)))]);
    if (timer) clearTimeout(timer);
    this.recorder.flush();
    this.recorder.flushUnrecorded();
    if (this.inFlight.size > 0) this.log.warn('stopped with deliveries still in flight; they will be checked after the next start', { inFlight: this.inFlight.size });
  }

  /** Whether deliveries are going well: open circuits, rate limits, and deliveries not yet recorded. */
  health(): Health {
    const now = this.core.clock.now();
    const problems = this.pressure.problems(now);
    const unrecorded = this.recorder.unrecordedCount;
    if (unrecorded > 0) problems.push(`${unrecorded} accepted deliveries not yet recorded (the database cannot be written)`);
    if (this.dbProblem) problems.push(`database: ${this.dbProblem.message}`);
    return { ok: unrecorded === 0 && !this.dbProblem, problems };
  }

  private tickSoon(): void {
    void this.runOnce().catch((e) => this.log.error('tick failed', { error: describeError(e) }));
  }

  /**
   * One tick: drains everything due now. Concurrent calls share the running tick (and ask for one
   * more pass), so a row is never handled twice by this process.
   */
  runOnce(): Promise<TickReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const started = performance.now();
    this.running = this.drain().finally(() => {
      this.core.metrics.tick((performance.now() - started) / 1000);
      this.running = null;
      this.planNextWake();
    });
    return this.running;
  }

  private async drain(): Promise<TickReport> {
    const report: TickReport = { claimed: 0, delivered: 0, retried: 0, failed: 0, dropped: 0, postponed: 0 };
    this.recorder.flushUnrecorded();
    this.housekeepHourly();
    do {
      this.again = false;
      while (!this.stopping) {
        let groups: ClaimedNudge[][];
        try {
          groups = claimDue(this.core.db, this.core.clock.now(), {
            limit: this.options.batchSize,
            owner: this.options.owner,
            leaseMs: this.options.leaseMs,
            bundleMs: this.options.bundleMs,
          });
          this.databaseRecovered();
        } catch (error) {
          this.databaseProblem(error);
          break;
        }
        const count = groups.reduce((n, g) => n + g.length, 0);
        report.claimed += count;
        await this.deliverClaimed(groups, (outcome) => (report[outcome] += 1));
        // Recorded before anything more is claimed: the person's next message waits for this one.
        this.recorder.flush();
        if (count < this.options.batchSize) break;
      }
    } while (this.again && !this.stopping);
    if (report.claimed > 0) this.log.info('tick', { ...report });
    return report;
  }

  /**
   * At most once an hour: deletes old delivered rows and clears delivered replies' text, and deletes
   * the free text of programmes whose retention ran out.
   */
  private housekeepHourly(): void {
    const now = this.core.clock.now();
    if (now - this.lastHousekeeping < HOUR) return;
    this.lastHousekeeping = now;
    this.write('housekeeping', () => {
      const done = housekeep(this.core);
      if (done.deleted + done.cleared > 0) this.log.info('housekeeping', { ...done });
    });
    this.write('retention', () => {
      const expired = applyRetention(this.core);
      if (expired.programmes.length > 0) this.log.info('retention: free text and contact data deleted', { programmes: expired.programmes.length, people: expired.people, rows: expired.rows });
    });
  }

  /** Wakes at the next due time (or when a pause or circuit ends), not only on the minute. */
  private planNextWake(): void {
    if (!this.cronTask || this.stopping) return;
    if (this.nextTimer) clearTimeout(this.nextTimer);
    const now = this.core.clock.now();
    let next: number | null = null;
    try {
      next = nextDueAt(this.core.db);
    } catch {
      next = null;
    }
    const change = this.pressure.nextChange(now);
    const at = Math.min(next ?? Infinity, change ?? Infinity);
    if (!Number.isFinite(at)) return;
    // Something due now that the tick just left (it waits for an earlier message of the same person):
    // the minute tick will look again; no busy loop.
    const wait = at <= now ? MINUTE : Math.max(50, Math.min(at - now, MINUTE));
    this.nextTimer = setTimeout(() => {
      this.nextTimer = null;
      this.tickSoon();
    }, wait);
    this.nextTimer.unref?.();
  }

  /** Renews the leases of rows still being delivered (a slow platform must not let another process take them). */
  private renew(): void {
    const ids = [...this.inFlight, ...this.recorder.ids()];
    if (ids.length === 0) return;
    try {
      renewLeases(this.core.db, this.options.owner, ids, this.core.clock.now() + this.options.leaseMs);
    } catch (error) {
      this.databaseProblem(error);
    }
  }

  /** Runs one database write; a failure (busy, full, read-only) is reported and the write returns false. */
  private write(what: string, work: () => boolean | void): boolean {
    try {
      const done = work();
      this.databaseRecovered();
      return done !== false;
    } catch (error) {
      this.databaseProblem(error, what);
      return false;
    }
  }

  private databaseProblem(error: unknown, what = 'claiming'): void {
    const now = this.core.clock.now();
    const message = `${what}: ${describeError(error)}`;
    if (!this.dbProblem) this.dbProblem = { message, since: now, reportedAt: 0 };
    this.dbProblem.message = message;
    // Look again in a second: deliveries kept in memory are recorded, and health turns ok, soon after the database is back.
    if (this.cronTask && !this.stopping && !this.recoveryTimer) {
      this.recoveryTimer = setTimeout(() => {
        this.recoveryTimer = null;
        this.tickSoon();
      }, SECOND);
      this.recoveryTimer.unref?.();
    }
    if (now - this.dbProblem.reportedAt >= MINUTE) {
      this.dbProblem.reportedAt = now;
      this.log.error('the database cannot be written; deliveries wait', { error: message, sinceMs: now - this.dbProblem.since, unrecorded: this.recorder.unrecordedCount });
    }
  }

  private databaseRecovered(): void {
    if (this.dbProblem) this.log.info('the database can be written again', { afterMs: this.core.clock.now() - this.dbProblem.since });
    this.dbProblem = null;
  }

  /**
   * Delivers the claimed groups, `concurrency` people at a time. Groups are checked and composed
   * `concurrency` at a time in one transaction (composing reads the same rows many times, and a commit
   * is much of the cost of a small transaction) when a worker is free and none is waiting, so a message
   * is composed at most one round of sends before it goes. Ends when every worker has ended; then no
   * claimed row is left counted as in flight (one a failure left unsent keeps its lease until it runs
   * out, and is then taken back and asked about, as after a crash).
   */
  private async deliverClaimed(groups: ClaimedNudge[][], count: (outcome: Outcome) => void): Promise<void> {
    const composed: Composed[] = [];
    let next = 0;
    let composing: Promise<void> | null = null;
    const take = async (): Promise<Composed | undefined> => {
      for (;;) {
        const ready = composed.shift();
        if (ready) return ready;
        if (composing) {
          await composing;
          continue;
        }
        if (next >= groups.length) return undefined;
        const batch = groups.slice(next, next + this.options.concurrency);
        next += batch.length;
        for (const group of batch) for (const n of group) this.inFlight.add(n.id);
        // The worker that started it awaits it next round, so a failure reaches the tick.
        composing = this.compose(batch)
          .then((done) => void composed.push(...done))
          .finally(() => (composing = null));
      }
    };
    const worker = async () => {
      for (let c = await take(); c; c = await take()) {
        try {
          for (const outcome of [...c.outcomes, ...(await this.send(c))]) count(outcome);
        } finally {
          for (const n of c.group) this.inFlight.delete(n.id);
        }
      }
    };
    try {
      const ended = await Promise.allSettled(Array.from({ length: Math.min(this.options.concurrency, groups.length) }, worker));
      const failed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      for (const group of groups) for (const n of group) this.inFlight.delete(n.id);
    }
  }

  /**
   * Checks and composes a batch of groups in one transaction. Rows taken over from a stopped process
   * may have arrived already: the platform is asked about them first (outside the transaction). When
   * the batch's transaction fails, each group is composed on its own, so one that cannot be costs only
   * itself: its rows stay claimed until their lease runs out.
   */
  private async compose(groups: ClaimedNudge[][]): Promise<Composed[]> {
    const earlier = new Map<number, Earlier>();
    const inDoubt = groups.flatMap((group) => group.filter((n) => n.inDoubt));
    for (let i = 0; i < inDoubt.length; i += this.options.concurrency) {
      await Promise.all(
        inDoubt.slice(i, i + this.options.concurrency).map(async (n) => {
          const person = getPerson(this.core, n.personId);
          earlier.set(n.id, person ? await this.askWhetherDelivered(n, person) : null);
        }),
      );
    }
    const now = this.core.clock.now();
    // What a failed attempt recorded (rows with nothing to send) was undone with it: forget it too.
    const attempt = <T>(work: () => T): T => {
      const mark = this.recorder.mark();
      try {
        return this.inOneTransaction(work);
      } catch (error) {
        this.recorder.forgetSince(mark);
        throw error;
      }
    };
    try {
      return attempt(() => groups.map((group) => this.composeGroup(group, now, earlier)));
    } catch (error) {
      if (groups.length === 1) throw error;
      const done: Composed[] = [];
      for (const group of groups) {
        try {
          done.push(attempt(() => this.composeGroup(group, now, earlier)));
        } catch (failure) {
          for (const n of group) this.inFlight.delete(n.id);
          this.log.error('composing failed; the rows wait for their lease to run out', { nudges: group.map((n) => n.key), error: describeError(failure) });
        }
      }
      return done;
    }
  }

  /** One person's claimed rows: checked, and composed unless settled already (dropped, failed, postponed). */
  private composeGroup(group: ClaimedNudge[], now: number, earlier: Map<number, Earlier>): Composed {
    const outcomes: Outcome[] = [];
    const person = getPerson(this.core, group[0]!.personId);
    const checked: Checked[] = [];
    for (const n of group) {
      const task = this.tasks.get(n.kind);
      if (!task) {
        outcomes.push(this.fail(n, `no task handles the kind ${n.kind}`));
        continue;
      }
      if (!person) {
        outcomes.push(this.fail(n, 'the person is gone'));
        continue;
      }
      if (n.expiresAt !== null && n.expiresAt <= now) {
        outcomes.push(this.drop(n, 'expired'));
        continue;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(n.payload);
      } catch {
        outcomes.push(this.fail(n, `payload is not JSON`));
        continue;
      }
      const payload = task.payload.safeParse(raw);
      if (!payload.success) {
        outcomes.push(this.fail(n, `payload does not fit ${n.kind}: ${payload.error.issues[0]?.message}`));
        continue;
      }
      const ctx: TaskContext<unknown> = { core: this.core, nudge: n, payload: payload.data, person };
      const arrived = earlier.get(n.id);
      if (arrived && typeof arrived === 'object') {
        outcomes.push(this.releaseRow(n, now + arrived.askAgainInMs, 'the platform could not say whether it arrived'));
        continue;
      }
      if (arrived) {
        this.recorder.record([{ n, ctx }], arrived);
        outcomes.push('delivered');
        continue;
      }
      checked.push({ n, task, ctx });
    }
    const ready = person && checked.length > 0 ? this.composeAll(checked, person, now, outcomes) : [];
    const address = person && ready.length > 0 ? addressFor(this.core, person.id, this.messenger.platforms) : null;
    return { group, person, ready, address, outcomes };
  }

  /** Sends one person's composed rows as one message and records it (or what the platform said). */
  private async send({ person, ready, address }: Composed): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    if (ready.length === 0 || !person) return outcomes;
    const now = this.core.clock.now();
    const owner = this.options.owner;
    if (!address) {
      this.core.metrics.deliveryFailed('none', 'unreachable');
      for (const r of ready) outcomes.push(this.retry(r.n, now, new DeliveryError('the person cannot be reached on any running platform yet', true)));
      return outcomes;
    }
    const platform = platformOf(address);
    const held = this.pressure.pausedUntil(this.scopesOf(address), now) ?? this.pressure.blockedUntil(platform, now);
    if (held !== null) {
      for (const r of ready) outcomes.push(this.releaseRow(r.n, held, 'the platform asked us to wait'));
      return outcomes;
    }

    // One question per message: the first one goes now with everything else; later questions wait their turn.
    const firstQuestion = ready.findIndex((r) => r.message.question);
    const sending = ready.filter((r, i) => !r.message.question || i === firstQuestion);
    // Later questions are released: their turn comes when the dialogue opened now is answered (the busy check).
    const later = ready.filter((r, i) => r.message.question && i !== firstQuestion);
    for (const r of later) outcomes.push(this.releaseRow(r.n, now, 'asked after the question before it'));
    const { message } = bundle(this.core, person, sending.map((r) => ({ message: r.message })), later.length);
    const key = sending.length === 1 ? sending[0]!.n.key : `bundle:${sending.map((r) => r.n.key).join(' + ')}`;
    if (sending.length > 1 && !this.write('bundling', () => setBundleKey(this.core.db, owner, sending.map((r) => r.n.id), key))) {
      for (const r of sending) outcomes.push(this.releaseRow(r.n, now + SECOND, 'the database could not be written'));
      return outcomes;
    }

    try {
      const delivered = await this.messenger.deliver(address, message, { key });
      this.pressure.success(platform);
      this.pressure.accepted(this.scopesOf(address));
      this.core.metrics.delivered(platform);
      // Accepted: from here on nothing may send it again. Hooks open the question's dialogue last, so it is current.
      const ordered = [...sending.filter((r) => !r.message.question), ...sending.filter((r) => r.message.question)];
      this.recorder.record(ordered, delivered.messageId);
      for (const _ of sending) outcomes.push('delivered');
      return outcomes;
    } catch (error) {
      this.core.metrics.deliveryFailed(platform, failureReason(error));
      if (error instanceof DeliveryError && error.failure === 'rateLimited') this.core.metrics.rateLimited(platform, error.retryAfterMs ?? SECOND);
      if (!(error instanceof DeliveryError && error.failure === 'rateLimited')) this.pressure.probeEnded(this.scopesOf(address));
      for (const r of sending) outcomes.push(this.failed(r.n, now, address, error));
      return outcomes;
    }
  }

  /** Composes each checked row's message, and drops, postpones or records what is not to be sent now. */
  private composeAll(
    checked: Checked[],
    person: Person,
    now: number,
    outcomes: Outcome[],
  ): Ready[] {
    const ready: Ready[] = [];
    for (const { n, task, ctx } of checked) {
      let message: ReturnType<typeof task.compose>;
      try {
        message = task.compose(ctx);
      } catch (error) {
        this.log.error('compose failed', { nudge: n.key, error: describeError(error) });
        outcomes.push(this.fail(n, `compose failed: ${describeError(error)}`));
        continue;
      }
      if (isDrop(message)) {
        outcomes.push(this.drop(n, message.drop));
        continue;
      }
      if (isSilent(message)) {
        this.recorder.record([{ n, ctx }], `silent: ${message.silent}`);
        outcomes.push('delivered');
        continue;
      }

      if (!task.prompted) {
        const allowedAt = this.allowedAt(person, now);
        if (allowedAt > now) {
          if (n.expiresAt !== null && allowedAt >= n.expiresAt) outcomes.push(this.drop(n, 'would be too late after quiet hours or pause'));
          else outcomes.push(this.postponeRow(n, allowedAt, person.pausedUntil && person.pausedUntil > now ? 'paused' : 'quiet hours'));
          continue;
        }
      }
      const busyUntil = task.opensDialogue ? this.busyUntil(person.id, now, task.promised === true) : null;
      if (busyUntil !== null) {
        // A question with a deadline waits only while it leaves a day to answer it; then only while the
        // person is writing to the question they have open (never past the deadline).
        const latest = task.urgent ? now : n.expiresAt === null ? Infinity : n.expiresAt - this.options.answerTimeMs;
        const writing = latest > now ? null : this.writingUntil(person.id, now);
        const until = latest > now ? Math.min(busyUntil, latest) : writing !== null && (n.expiresAt === null || writing < n.expiresAt) ? writing : null;
        if (until !== null) {
          outcomes.push(this.postponeRow(n, until, WAITING_FOR_DIALOGUE));
          continue;
        }
      }
      ready.push({ n, ctx, message });
    }
    return ready;
  }

  /**
   * Runs synchronous work in one IMMEDIATE transaction (its writes are each guarded by `write`, so a
   * failed one does not undo the others); when the transaction cannot begin or end, the work runs
   * without one, each write on its own, as it would anyway.
   */
  private inOneTransaction<T>(work: () => T): T {
    let started = false;
    let done = false;
    let result: T | undefined;
    try {
      inTransaction(this.core.db, () => {
        started = true;
        result = work();
        done = true;
      });
      return result as T;
    } catch (error) {
      if (done) {
        this.databaseProblem(error, 'committing');
        return result as T;
      }
      if (started) throw error;
      return work();
    }
  }

  /** The scopes an address belongs to, for pauses: the platform, and what the messenger knows more. */
  private scopesOf(address: Address): string[] {
    return [platformOf(address), address, ...(this.messenger.scopesOf?.(address) ?? [])];
  }

  private async askWhetherDelivered(n: ClaimedNudge, person: Person): Promise<Earlier> {
    const address = addressFor(this.core, person.id, this.messenger.platforms);
    if (!address || !this.messenger.findDelivered) return null;
    try {
      return (await this.messenger.findDelivered(address, n.bundleKey ?? n.key))?.messageId ?? null;
    } catch (error) {
      this.log.warn('could not ask whether a message arrived; asking again later, not sending', {
        nudge: n.key,
        error: describeError(error),
        unknown: error instanceof UnknownDeliveryError,
      });
      // As soon as the platform can say (Slack's history: one look-up a minute for all), not a moment before.
      return { askAgainInMs: (error instanceof UnknownDeliveryError ? error.retryAfterMs : undefined) ?? this.options.unknownRetryMs };
    }
  }

  /** A delivery the platform did not accept: wait, back off, or give up, by what the platform said. */
  private failed(n: ClaimedNudge, now: number, address: Address, error: unknown): Outcome {
    if (error instanceof UnknownDeliveryError) return this.releaseRow(n, now + (error.retryAfterMs ?? this.options.unknownRetryMs), describeError(error));
    if (error instanceof DeliveryError && error.failure === 'rateLimited') {
      const until = now + (error.retryAfterMs ?? SECOND);
      // The pause is kept under a scope this address is known to belong to, so it holds back everyone in it.
      const known = this.scopesOf(address);
      const scope =
        error.scope === 'message' ? null : error.scopeKey && known.includes(error.scopeKey) ? error.scopeKey : error.scope === 'conversation' ? address : platformOf(address);
      if (scope) this.pressure.pause(scope, until);
      this.counters.rateLimited += 1;
      return this.releaseRow(n, until, describeError(error));
    }
    if (!(error instanceof DeliveryError) || error.failure === 'outage') {
      this.counters.outages += 1;
      if (this.pressure.outage(platformOf(address), now)) {
        const until = this.pressure.blockedUntil(platformOf(address), now) ?? now + this.options.circuitCooldownMs;
        return this.releaseRow(n, until, `platform unreachable: ${describeError(error)}`);
      }
    }
    return this.retry(n, now, error);
  }

  /**
   * When to look again if the person has a question open that they were asked or wrote to within the
   * idle window; else null. A new question then waits (it is released as soon as that one closes), so
   * two questions never arrive on top of each other; one untouched for the whole window no longer holds
   * the next back, and waits behind it instead. A promised re-ask waits only for a question the person
   * wrote to: they chose its time, and one merely asked since then does not break the promise. A
   * question put off is not one the person is in the middle of.
   */
  private busyUntil(personId: number, now: number, promised: boolean): number | null {
    const open = currentDialogue(this.core, personId);
    if (!open || open.snoozedUntil !== null) return null;
    const since = promised ? open.touchedAt : Math.max(open.updatedAt, open.touchedAt ?? 0);
    if (since === null || since <= now - this.options.dialogueIdleMs) return null;
    return Math.min(now + this.options.dialogueWaitMs, open.expiresAt ?? Infinity, since + this.options.dialogueIdleMs);
  }

  /** While the person is writing to their open question (they wrote to it within the last minutes): until when; else null. */
  private writingUntil(personId: number, now: number): number | null {
    const touched = currentDialogue(this.core, personId)?.touchedAt ?? null;
    return touched !== null && touched + WRITING_MS > now ? touched + WRITING_MS : null;
  }

  /** The first moment the person may get an unprompted message: after quiet hours and any pause. */
  private allowedAt(person: Person, now: number): number {
    const from = Math.max(now, person.pausedUntil ?? 0);
    return nextAllowedMoment(from, person.timezone, quietHoursFor(this.core, person.id));
  }

  private drop(n: ClaimedNudge, note: string): Outcome {
    this.write('dropping', () => markDropped(this.core.db, n.id, this.options.owner, note));
    this.counters.dropped += 1;
    this.log.debug('dropped', { nudge: n.key, note });
    return 'dropped';
  }

  private fail(n: ClaimedNudge, reason: string): Outcome {
    this.write('failing', () => markFailed(this.core.db, n.id, this.options.owner, reason));
    this.counters.failed += 1;
    this.log.warn('delivery failed for good', { nudge: n.key, error: reason });
    return 'failed';
  }

  private postponeRow(n: ClaimedNudge, at: number, note: string): Outcome {
    this.write('postponing', () => postpone(this.core.db, n.id, this.options.owner, at, note));
    return 'postponed';
  }

  private releaseRow(n: ClaimedNudge, at: number, note: string): Outcome {
    this.write('releasing', () => release(this.core.db, n.id, this.options.owner, at, note));
    return 'postponed';
  }

  private retry(n: ClaimedNudge, now: number, error: unknown): Outcome {
    const message = describeError(error);
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    if (!retryable || n.attempts >= n.maxAttempts) return this.fail(n, message);
    const backoff = Math.min(this.options.backoffBaseMs * 2 ** (n.attempts - 1), this.options.backoffMaxMs);
    const jitter = ((n.id * 7919) % 1000) / 1000 / 5; // 0–20 %, fixed per nudge so tests can predict it
    const wait = error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : Math.round(backoff * (1 + jitter));
    this.write('retrying', () => markRetry(this.core.db, n.id, this.options.owner, now + wait, message));
    this.counters.retried += 1;
    this.log.info('delivery will be retried', { nudge: n.key, inMs: wait, error: message });
    return 'retried';
  }
}
