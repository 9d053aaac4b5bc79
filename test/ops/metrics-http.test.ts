/**
 * GET /metrics on a real server (startServer, on loopback) with the fake Slack: three planned
 * messages go out, a few requests come in, and the exposition — parsed with a Prometheus text
 * parser — counts both: deliveries by platform, nudges by state and kind, inbound requests by route
 * (never a raw path) and status with their durations, and the process metrics. Two servers in one
 * process keep their counts apart (each has its own registry).
 */
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../../bin/server';
import { seedDeliveries } from '../../scripts/seed-deliveries';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { sendSigned, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { until } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

jest.setTimeout(30_000);

/** What parse-prometheus-text-format returns (prom2json's shape). */
interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; count?: string }[];
}
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Family[];

async function serve(slack: FakeSlack, databasePath = tempDatabasePath()): Promise<{ server: RunningServer; url: string }> {
  const config = { ...loadConfig({ DATABASE_PATH: databasePath, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl }), port: 0 };
  const server = await startServer(config, silentLogger, { owner: `metrics:${process.pid}`, host: '127.0.0.1' });
  return { server, url: `http://127.0.0.1:${server.port}` };
}

async function scrape(url: string): Promise<{ contentType: string; families: Family[]; text: string }> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { contentType: response.headers.get('content-type') ?? '', families: parsePrometheus(text), text };
}

function value(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hit = families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return hit ? Number(hit.value ?? hit.count) : undefined;
}

describe('/metrics', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => slack.close());

  it('counts the deliveries, the nudges and the inbound requests by route and status, naming nobody', async () => {
    const databasePath = tempDatabasePath();
    seedDeliveries(databasePath, 3, { platform: 'slack' }, { text: 'Hej Astrid, velkommen til Sparring.' });
    const { server, url } = await serve(slack, databasePath);
    const reader = new Database(databasePath, { readonly: true });
    try {
      await until(() => (reader.prepare("SELECT count(*) AS n FROM nudges WHERE status = 'delivered'").get() as { n: number }).n === 3, 'three deliveries recorded');

      await fetch(`${url}/healthz`);
      await fetch(`${url}/healthz`);
      await fetch(`${url}/readyz`);
      await fetch(`${url}/healthz`, { method: 'POST' });
      await fetch(`${url}/desk/U00001/secret-looking-path?x=1`);
      expect((await sendSigned(`${url}/slack/events`, 'not-the-secret', JSON.stringify({ type: 'url_verification', challenge: 'c' }))).status).toBe(401);

      const { contentType, families, text } = await scrape(url);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(value(families, 'sparring_deliveries_total', { platform: 'slack' })).toBe(3);
      expect(slack.of('chat.postMessage').filter((c) => c.ok)).toHaveLength(3);
      expect(value(families, 'sparring_nudges', { state: 'delivered', kind: 'reply' })).toBe(3);

      const requests = families.find((f) => f.name === 'sparring_http_requests_total')!;
      expect(requests.type).toBe('COUNTER');
      expect(requests.metrics.map((m) => [m.labels!.route, m.labels!.status, Number(m.value)]).sort()).toEqual(
        [
          ['/healthz', '200', 2],
          ['/readyz', '200', 1],
          ['/healthz', '405', 1],
          ['unmatched', '404', 1],
          ['/slack/events', '401', 1],
        ].sort(),
      );
      expect(families.find((f) => f.name === 'sparring_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
      // (The parser loses a histogram's labels, so its count per route is read from the text.)
      expect(text).toContain('sparring_http_request_duration_seconds_count{route="/healthz"} 3\n');

      // prom-client's process metrics, from this server's own registry.
      expect(value(families, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(value(families, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

      // Neither the people's Slack ids nor what was sent to them, nor the raw path asked for.
      expect(text).not.toMatch(/U0000\d|Astrid|velkommen|secret-looking-path/);
      // The scrape itself is counted once its answer is sent.
      expect(value((await scrape(url)).families, 'sparring_http_requests_total', { route: '/metrics', status: '200' })).toBe(1);
    } finally {
      reader.close();
      await server.stop(2000);
    }
  });

  it('keeps the counts of two servers in one process apart', async () => {
    const first = await serve(slack);
    const second = await serve(slack);
    try {
      await fetch(`${first.url}/healthz`);
      await fetch(`${first.url}/healthz`);
      await fetch(`${second.url}/healthz`);
      expect(value((await scrape(first.url)).families, 'sparring_http_requests_total', { route: '/healthz', status: '200' })).toBe(2);
      expect(value((await scrape(second.url)).families, 'sparring_http_requests_total', { route: '/healthz', status: '200' })).toBe(1);
    } finally {
      await first.server.stop(1000);
      await second.server.stop(1000);
    }
  });
});
