/**
 * /metrics in Prometheus' text format, on prom-client with a registry of its own (not the global
 * default), so several servers can run in one process. What it holds:
 * - `sparring_nudges{state,kind}`: the nudges table by state and kind, read at scrape time (one
 *   grouped count; housekeeping keeps the table small) and reused for `nudgeCacheMs`;
 * - deliveries, failures by reason, 429s and the Retry-After waited, each by platform;
 * - scheduler tick duration; inbound HTTP requests by route and status, and their duration;
 * - dialogue answers by flow; and prom-client's default process metrics.
 * No label carries a person's id, name or words (see recorder.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../store/database';
import { safeLabel, type CoreMetrics, type FailureReason, type RequestMetrics } from './recorder';

export interface Metrics {
  registry: Registry;
  core: CoreMetrics;
  requests: RequestMetrics;
  /** Adds `sparring_nudges`, counted in this database at scrape time (at most once per `nudgeCacheMs`). */
  countNudges(db: Db): void;
  /** The exposition: content type and text. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Scrapes within this long of the last count reuse it (default 10 s). */
  nudgeCacheMs?: number;
  /** prom-client's default process metrics (default true). */
  processMetrics?: boolean;
}

interface NudgeCount {
  state: string;
  kind: string;
  n: number;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const delivered = new Counter({ name: 'sparring_deliveries_total', help: 'Planned messages a platform accepted (a bundle counts once).', labelNames: ['platform'], registers });
  const failures = new Counter({
    name: 'sparring_delivery_failures_total',
    help: 'Planned messages a platform did not accept, by reason (rate_limited, outage, rejected, failed, unknown, unreachable).',
    labelNames: ['platform', 'reason'],
    registers,
  });
  const rateLimited = new Counter({ name: 'sparring_rate_limited_total', help: 'Answers 429 (slow down) from a platform to a delivery.', labelNames: ['platform'], registers });
  const waited = new Counter({
    name: 'sparring_retry_after_milliseconds_total',
    help: 'Milliseconds of Retry-After the platform asked for, summed; deliveries in its scope wait that long.',
    labelNames: ['platform'],
    registers,
  });
  const tick = new Histogram({
    name: 'sparring_scheduler_tick_duration_seconds',
    help: 'How long one scheduler tick took (claiming, delivering and recording what was due).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const requests = new Counter({ name: 'sparring_http_requests_total', help: 'Inbound HTTP requests by route and status.', labelNames: ['route', 'status'], registers });
  const requestSeconds = new Histogram({
    name: 'sparring_http_request_duration_seconds',
    help: 'Inbound HTTP requests: from arrival until the response was sent.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const answers = new Counter({ name: 'sparring_dialogue_answers_total', help: 'Answers dialogues took, by flow.', labelNames: ['flow'], registers });

  const countNudges = (db: Db) => {
    const cacheMs = options.nudgeCacheMs ?? 10_000;
    let counted: { at: number; rows: NudgeCount[] } | null = null;
    new Gauge({
      name: 'sparring_nudges',
      help: 'Nudges in the database by state (pending, sending, delivered, dropped, failed, cancelled) and kind.',
      labelNames: ['state', 'kind'],
      registers,
      collect() {
        const now = Date.now();
        if (!counted || now - counted.at >= cacheMs) {
          if (!db.open) return;
          try {
            counted = { at: now, rows: db.prepare('SELECT status AS state, kind, count(*) AS n FROM nudges GROUP BY status, kind').all() as NudgeCount[] };
          } catch {
            // A locked or closed database: keep the last counts (readiness reports the database).
            if (!counted) return;
          }
        }
        this.reset();
        for (const row of counted.rows) this.inc({ state: row.state, kind: safeLabel(row.kind) }, row.n);
      },
    });
  };

  return {
    registry,
    core: guarded({
      delivered: (platform) => delivered.inc({ platform: safeLabel(platform) }),
      deliveryFailed: (platform, reason: FailureReason) => failures.inc({ platform: safeLabel(platform), reason }),
      rateLimited: (platform, waitMs) => {
        rateLimited.inc({ platform: safeLabel(platform) });
        waited.inc({ platform: safeLabel(platform) }, Math.max(0, waitMs));
      },
      tick: (seconds) => tick.observe(seconds),
      dialogueAnswered: (flow) => answers.inc({ flow: safeLabel(flow) }),
    }),
    requests: {
      request(route, status, seconds) {
        requests.inc({ route, status });
        requestSeconds.observe({ route }, seconds);
      },
    },
    countNudges,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** Counting never breaks what is counted: a failing counter is skipped (a delivery must not look failed because of it). */
function guarded(metrics: CoreMetrics): CoreMetrics {
  const out = {} as Record<keyof CoreMetrics, (...args: never[]) => void>;
  for (const [name, fn] of Object.entries(metrics) as [keyof CoreMetrics, (...args: unknown[]) => void][]) {
    out[name] = (...args: unknown[]) => {
      try {
        fn(...args);
      } catch {
        // skipped
      }
    };
  }
  return out as unknown as CoreMetrics;
}
