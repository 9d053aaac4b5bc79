/**
 * A fake Bot Framework connector on loopback, for the Teams adapter's end-to-end tests. Activities
 * carry its URL as their serviceUrl, so the bot's replies and proactive messages come here; it
 * records them and answers like the connector. It keeps Teams' documented limits (per conversation:
 * 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour; per bot: 50 a second) as sliding windows and
 * answers 429 with Retry-After when a request would break one; it can be told to fail for a while
 * (5xx) or to answer the next requests as given. Like the real one, it takes no idempotency key and
 * assigns activity ids itself, and it has no way to read a conversation's activities back.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../adapters/http';

export interface Sent {
  method: string;
  conversationId: string;
  activityId?: string;
  activity: Record<string, unknown>;
  ok: boolean;
  status: number;
  /** The activity id the connector answered with, when it accepted. */
  id?: string;
  /** When it arrived, on the connector's clock. */
  at: number;
}

interface Canned {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ConnectorLimit {
  count: number;
  ms: number;
}

export const CONNECTOR_LIMITS = {
  conversation: [
    { count: 7, ms: 1_000 },
    { count: 8, ms: 2_000 },
    { count: 60, ms: 30_000 },
    { count: 1_800, ms: 3_600_000 },
  ] as ConnectorLimit[],
  bot: [{ count: 50, ms: 1_000 }] as ConnectorLimit[],
};

export interface FakeConnector {
  url: string;
  sent: Sent[];
  /** Accepted messages to one conversation (posts, not updates). */
  to(conversationId: string): Sent[];
  updates(conversationId: string): Sent[];
  /** Requests answered 429. */
  throttled(): Sent[];
  /** POST /v3/conversations: the bot asked to create a conversation. */
  creates: Record<string, unknown>[];
  failNext(answer: Canned): void;
  /** Answers every request with `status` (default 503) for `ms` on the connector's clock. */
  failFor(ms: number, status?: number): void;
  addMember(id: string, member: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** The first limit a request at `now` would break, and when it would fit; null when it fits now. */
function breaks(times: number[], limits: ConnectorLimit[], now: number): number | null {
  let until: number | null = null;
  for (const { count, ms } of limits) {
    const recent = times.filter((t) => t > now - ms);
    if (recent.length >= count) until = Math.max(until ?? 0, recent[recent.length - count]! + ms);
  }
  return until;
}

export async function startFakeConnector(options: { now?: () => number; limits?: typeof CONNECTOR_LIMITS; /** Bodies larger than this are refused with 413, as Teams refuses messages over about 28 KB. */ maxBodyBytes?: number } = {}): Promise<FakeConnector> {
  const now = options.now ?? Date.now;
  const limits = options.limits ?? CONNECTOR_LIMITS;
  const sent: Sent[] = [];
  const creates: Record<string, unknown>[] = [];
  const canned: Canned[] = [];
  const members = new Map<string, Record<string, unknown>>();
  const byConversation = new Map<string, number[]>();
  const byBot: number[] = [];
  let failing: { until: number; status: number } | null = null;
  let ids = 0;

  /** Counts the request against the limits, or says how long to wait (in whole seconds, as Retry-After). */
  function admit(conversationId: string, at: number): number | null {
    const times = byConversation.get(conversationId) ?? [];
    const until = Math.max(breaks(times, limits.conversation, at) ?? 0, breaks(byBot, limits.bot, at) ?? 0);
    if (until > 0) return Math.max(1, Math.ceil((until - at) / 1000));
    times.push(at);
    byConversation.set(conversationId, times);
    byBot.push(at);
    return null;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const raw = (await readBody(req, 50 * 1024 * 1024)).toString('utf8');
      const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
      const at = now();
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const down = failing && at < failing.until ? failing.status : null;
      const unavailable = { error: { code: 'ServiceError', message: 'unavailable' } };
      if (req.method === 'POST' && /^\/v3\/conversations\/?$/.test(url)) {
        creates.push(raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
        return reply(200, { id: `a:created-${creates.length}` });
      }
      const member = /^\/v3\/conversations\/([^/]+)\/members\/(.+)$/.exec(url);
      if (req.method === 'GET' && member) {
        if (down !== null) return reply(down, unavailable);
        const wait = admit(member[1]!, at);
        if (wait !== null) return reply(429, { error: { code: 'Throttled', message: 'slow down' } }, { 'retry-after': String(wait) });
        const m = members.get(member[2]!);
        return m ? reply(200, m) : reply(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      }
      const activity = /^\/v3\/conversations\/([^/]+)\/activities(?:\/(.+))?$/.exec(url);
      if (!activity || req.method === 'GET') return reply(404, { error: { code: 'NotFound' } });
      const record: Sent = { method: req.method ?? '', conversationId: activity[1]!, activityId: activity[2], activity: raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, ok: false, status: 200, at };
      sent.push(record);
      if (down !== null) {
        record.status = down;
        return reply(down, unavailable);
      }
      if (options.maxBodyBytes !== undefined && Buffer.byteLength(raw) > options.maxBodyBytes) {
        record.status = 413;
        return reply(413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } });
      }
      const next = canned.shift();
      if (next) {
        record.status = next.status;
        return reply(next.status, next.body ?? { error: { code: 'Throttled', message: 'slow down' } }, next.headers);
      }
      const wait = admit(record.conversationId, at);
      if (wait !== null) {
        record.status = 429;
        return reply(429, { error: { code: 'Throttled', message: 'slow down' } }, { 'retry-after': String(wait) });
      }
      record.ok = true;
      // The connector assigns the id; an id the bot put in the activity changes nothing.
      record.id = req.method === 'PUT' ? activity[2] : `act-${(ids += 1)}`;
      return reply(200, { id: record.id });
    })();
  });
  // Idle connections stay open for minutes, as Azure's front ends keep them (Node's 5 s would cut a slow turn's reply).
  server.keepAliveTimeout = 240_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    sent,
    creates,
    to: (conversationId) => sent.filter((s) => s.ok && s.method === 'POST' && s.conversationId === conversationId),
    updates: (conversationId) => sent.filter((s) => s.ok && s.method === 'PUT' && s.conversationId === conversationId),
    throttled: () => sent.filter((s) => s.status === 429),
    failNext: (answer) => void canned.push(answer),
    failFor: (ms, status = 503) => void (failing = { until: now() + ms, status }),
    addMember: (id, m) => void members.set(id, m),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
