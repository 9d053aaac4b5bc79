/**
 * What the core reports for /metrics, as a small port: the scheduler and the bot call these, and the
 * server plugs in Prometheus (prometheus.ts). Until then (the CLI, the local chat, most tests) they
 * do nothing, so a command that never serves /metrics never loads prom-client.
 *
 * Every label is a word from a short fixed list — a platform, a kind of nudge, a flow, a reason —
 * never a person's id, name or words.
 */
import { DeliveryError, UnknownDeliveryError } from '../errors';

/** Why a message was not accepted, as a metric label. */
export type FailureReason = 'rate_limited' | 'outage' | 'rejected' | 'failed' | 'unknown' | 'unreachable';

export interface CoreMetrics {
  /** A platform accepted a planned message (one per message, however many nudges it bundles). */
  delivered(platform: string): void;
  /** A platform did not accept a planned message, or it could not be sent anywhere ('unreachable'). */
  deliveryFailed(platform: string, reason: FailureReason): void;
  /** A platform answered 429; the scheduler holds its scope for `waitMs`. */
  rateLimited(platform: string, waitMs: number): void;
  /** One scheduler tick took this long (wall-clock seconds). */
  tick(seconds: number): void;
  /** A dialogue took an answer (its step moved on). */
  dialogueAnswered(flow: string): void;
}

/** The inbound HTTP side: one call per request once its response is finished (or the client left). */
export interface RequestMetrics {
  request(route: string, status: string, seconds: number): void;
}

export const noMetrics: CoreMetrics = {
  delivered: () => {},
  deliveryFailed: () => {},
  rateLimited: () => {},
  tick: () => {},
  dialogueAnswered: () => {},
};

/** The reason label for what a delivery threw, as the scheduler treats it. */
export function failureReason(error: unknown): FailureReason {
  if (error instanceof UnknownDeliveryError) return 'unknown';
  if (!(error instanceof DeliveryError)) return 'outage';
  return error.failure === 'rateLimited' ? 'rate_limited' : error.failure;
}

/** A label value from code (a platform, a kind, a flow): kept when it looks like one, else "other". */
export function safeLabel(value: string): string {
  return /^[a-z][a-z0-9_.-]{0,39}$/i.test(value) ? value : 'other';
}
