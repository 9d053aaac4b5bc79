/**
 * A fake Slack on loopback, for the Slack adapter's end-to-end tests. It stands in for the Web API
 * (reached through SLACK_API_URL), for response_url and for file hosting; it records every call
 * and answers the way Slack does, including `ok: false` errors and 429 with Retry-After. The bot
 * under test talks to it through the real @slack/web-api client. Asked to (`enforceLimits`), it keeps
 * Slack's documented rate limits itself, on its own clock: chat.postMessage about 1/s per channel with
 * short bursts and several hundred a minute per workspace, the method tiers (conversations.open and
 * users.lookupByEmail Tier 3, users.info Tier 4) and, for non-Marketplace apps, conversations.history
 * at 1 request a minute and 15 messages a page; over a limit it answers 429 with Retry-After. It can
 * also be told to answer 503 for a while, or to rate-limit the history.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { readBody } from '../../adapters/http';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  /** Whether the fake answered ok (a canned error or 429 is not). */
  ok: boolean;
  /** The HTTP status it answered with. */
  status: number;
  /** When it arrived, on the fake's clock. */
  at: number;
}

export interface FakeSlackOptions {
  /** Keep Slack's documented limits and answer 429 with Retry-After beyond them (default: off). */
  enforceLimits?: boolean;
  /** The fake's clock for its limits (default: the wall clock); a benchmark may run it faster. */
  now?: () => number;
  /** Per-minute limits and bursts, where a test wants other numbers than Slack documents. */
  rates?: Partial<Record<FakeRateName, { perMinute: number; burst: number }>>;
}

export type FakeRateName = 'postPerChannel' | 'postPerWorkspace' | 'tier3' | 'tier4' | 'history';

/**
 * Slack's documented limits (docs.slack.dev/apis/web-api/rate-limits; the changelog of 2025-05-29 for
 * non-Marketplace apps). Slack documents no burst sizes; these are the fake's.
 */
export const FAKE_SLACK_RATES: Record<FakeRateName, { perMinute: number; burst: number }> = {
  postPerChannel: { perMinute: 60, burst: 3 },
  postPerWorkspace: { perMinute: 300, burst: 20 },
  tier3: { perMinute: 50, burst: 5 },
  tier4: { perMinute: 100, burst: 10 },
  history: { perMinute: 1, burst: 1 },
};

const FAKE_TIERS: Record<string, FakeRateName> = {
  'conversations.open': 'tier3',
  'users.lookupByEmail': 'tier3',
  'users.info': 'tier4',
  'conversations.history': 'history',
  'chat.postMessage': 'postPerWorkspace',
};

/** The non-Marketplace page size of conversations.history. */
export const FAKE_HISTORY_PAGE = 15;

/** One limit in GCRA form: null when a call at `at` conforms (and is counted), else the seconds to wait. */
function limiter(rate: { perMinute: number; burst: number }) {
  const interval = 60_000 / rate.perMinute;
  const tolerance = (rate.burst - 1) * interval;
  let tat = -Infinity;
  return {
    check(at: number): number | null {
      if (at < tat - tolerance) return Math.max(1, Math.ceil((tat - tolerance - at) / 1000));
      return null;
    },
    count(at: number): void {
      tat = Math.max(tat, at) + interval;
    },
  };
}

interface Canned {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

export interface FakeSlack {
  /** The base URL for SLACK_API_URL. */
  apiUrl: string;
  /** The server's root, for response_url and file URLs. */
  root: string;
  calls: SlackCall[];
  /** What the bot posted to response_url, in order. */
  responses: Record<string, unknown>[];
  /** Raw bodies uploaded to the file upload URL. */
  uploads: string[];
  of(method: string): SlackCall[];
  /** Calls answered 429. */
  rateLimited(): SlackCall[];
  /** Answer every Web API call with 503 for this long (on the fake's clock). */
  outage(forMs: number): void;
  /** Answer conversations.history with 429 (Retry-After in seconds) for this long. */
  limitHistory(forMs: number, retryAfterSeconds?: number): void;
  /** Answer the next call of `method` with this instead. */
  failNext(method: string, answer: Canned): void;
  /** Hang up on the next call of `method` without answering; `afterDoing`: only once it was carried out. */
  hangUpNext(method: string, options?: { afterDoing?: boolean }): void;
  /** Keeps the answers to calls of `method` back until released: how many are kept back now, and at most at once. */
  hold(method: string): { release(): void; held(): number; peak(): number };
  /** A Slack user the fake knows (users.info, users.lookupByEmail). */
  addUser(id: string, email: string, tz?: string): void;
  /** A file the bot may download with its token. */
  hostFile(name: string, content: Buffer | string): string;
  /** The messages in a DM channel, newest first, as conversations.history returns them. */
  history(channel: string): Record<string, unknown>[];
  /** A person writes in a DM channel (it shows in the history, after what the bot posted). */
  userWrites(channel: string, user: string, text: string): void;
  /** Socket Mode: resolves once the bot has connected (apps.connections.open, then the WebSocket). */
  socketConnected(): Promise<void>;
  /** Socket Mode: sends an envelope to the connected bot and resolves with its acknowledgement. */
  socketSend(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Form fields that carry JSON (blocks, metadata, view) come back as objects. */
function parseArgs(raw: Buffer, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    try {
      args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      args[k] = v;
    }
  }
  return args;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? (() => Date.now());
  const rates = { ...FAKE_SLACK_RATES, ...options.rates };
  const limiters = new Map<string, ReturnType<typeof limiter>>();
  const limiterOf = (key: string, rate: FakeRateName) => {
    let l = limiters.get(key);
    if (!l) limiters.set(key, (l = limiter(rates[rate])));
    return l;
  };
  let outageUntil = -Infinity;
  let historyLimited = { until: -Infinity, retryAfter: 30 };

  /** Whether Slack would refuse this call now: the seconds to wait, or null. Counts the call when it goes. */
  function overLimit(method: string, args: Record<string, unknown>, at: number): number | null {
    if (method === 'conversations.history' && at < historyLimited.until) return historyLimited.retryAfter;
    if (!options.enforceLimits) return null;
    const tier = FAKE_TIERS[method];
    if (!tier) return null;
    const applied = [limiterOf(method, tier)];
    if (method === 'chat.postMessage') applied.push(limiterOf(`channel:${String(args.channel)}`, 'postPerChannel'));
    const waits = applied.map((l) => l.check(at)).filter((w): w is number => w !== null);
    if (waits.length > 0) return Math.max(...waits);
    for (const l of applied) l.count(at);
    return null;
  }

  const calls: SlackCall[] = [];
  const responses: Record<string, unknown>[] = [];
  const uploads: string[] = [];
  const canned = new Map<string, Canned[]>();
  const hangUps = new Map<string, { afterDoing: boolean }>();
  const holds = new Map<string, { released: Promise<void>; held: number; peak: number }>();
  const users = new Map<string, { email: string; tz: string }>();
  const files = new Map<string, Buffer>();
  const channels = new Map<string, Record<string, unknown>[]>();
  let ts = 1_700_000_000;
  let root = '';

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'apps.connections.open':
        return { ok: true, url: `${root.replace('http', 'ws')}/socket` };
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'Test', url: 'https://test.slack.com/' };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case 'chat.postMessage': {
        const message = { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: `${(ts += 1)}.000100`, text: args.text, blocks: args.blocks, metadata: args.metadata };
        const channel = String(args.channel);
        channels.set(channel, [message, ...(channels.get(channel) ?? [])]);
        return { ok: true, channel, ts: message.ts, message };
      }
      case 'chat.update':
      case 'chat.postEphemeral':
        return { ok: true, channel: args.channel, ts: args.ts ?? `${(ts += 1)}.000200` };
      case 'conversations.history': {
        const oldest = args.oldest === undefined ? -Infinity : Number(args.oldest);
        const all = (channels.get(String(args.channel)) ?? []).filter((m) => Number(m.ts) > oldest);
        const limit = Math.min(Number(args.limit ?? 100), options.enforceLimits ? FAKE_HISTORY_PAGE : 999);
        const from = args.cursor ? Number(String(args.cursor).replace(/^next:/, '')) : 0;
        const page = all.slice(from, from + limit);
        const more = from + limit < all.length;
        return { ok: true, messages: page, has_more: more, ...(more ? { response_metadata: { next_cursor: `next:${from + limit}` } } : {}) };
      }
      case 'users.info': {
        const user = users.get(String(args.user));
        return user ? { ok: true, user: { id: args.user, tz: user.tz, profile: { email: user.email } } } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const hit = [...users].find(([, u]) => u.email === String(args.email).toLowerCase());
        return hit ? { ok: true, user: { id: hit[0], tz: hit[1].tz, profile: { email: hit[1].email } } } : { ok: false, error: 'users_not_found' };
      }
      case 'views.publish':
      case 'views.open':
      case 'views.update':
        return { ok: true, view: { id: `V${(ts += 1)}`, ...(args.view as object) } };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${root}/upload/F${(ts += 1)}`, file_id: `F${ts}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: (args.files as { id: string }[]).map((f) => ({ id: f.id })) };
      case 'files.info':
        return { ok: true, file: { id: args.file } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req, 50 * 1024 * 1024);
      const url = req.url ?? '/';
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.startsWith('/respond/')) {
        responses.push(JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
        return send(200, { ok: true });
      }
      if (url.startsWith('/upload/')) {
        uploads.push(raw.toString('utf8'));
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('OK - 1');
      }
      if (url.startsWith('/files/')) {
        const file = files.get(url.slice('/files/'.length));
        if (!file || req.headers.authorization !== 'Bearer xoxb-test') return send(404, { ok: false });
        res.writeHead(200, { 'content-type': 'text/csv' });
        return res.end(file);
      }
      const method = url.replace(/^\/api\//, '').split('?')[0]!;
      const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || (args.token as string | undefined);
      const at = now();
      if (at < outageUntil) {
        calls.push({ method, args, token, ok: false, status: 503, at });
        return send(503, { ok: false, error: 'service_unavailable' });
      }
      const holding = holds.get(method);
      if (holding) {
        holding.held += 1;
        holding.peak = Math.max(holding.peak, holding.held);
        await holding.released;
        holding.held -= 1;
      }
      const hangUp = hangUps.get(method);
      if (hangUp) {
        hangUps.delete(method);
        if (hangUp.afterDoing) answer(method, args);
        calls.push({ method, args, token, ok: hangUp.afterDoing, status: 0, at });
        return req.socket.destroy();
      }
      const next = canned.get(method)?.shift();
      const wait = next ? null : overLimit(method, args, at);
      if (wait !== null) {
        calls.push({ method, args, token, ok: false, status: 429, at });
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
      }
      const body = next?.body ?? answer(method, args);
      const status = next?.status ?? 200;
      calls.push({ method, args, token, ok: status === 200 && body.ok === true, status, at });
      return send(status, body, next?.headers);
    })();
  });
  const sockets = new WebSocketServer({ noServer: true });
  let socket: WebSocket | null = null;
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const acks = new Map<string, (ack: Record<string, unknown>) => void>();
  server.on('upgrade', (req, raw, head) => {
    sockets.handleUpgrade(req, raw, head, (ws) => {
      socket = ws;
      ws.on('message', (data: Buffer) => {
        const ack = JSON.parse(data.toString('utf8')) as { envelope_id?: string };
        if (ack.envelope_id) acks.get(ack.envelope_id)?.(ack);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'fake' } }));
      onConnected();
    });
  });
  let envelopes = 0;
  // Node's default of five seconds for idle connections made a busy test machine reuse a socket the
  // fake had just closed (ECONNRESET) in the launch test; the fake is not the place to test that race.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${root}/api/`,
    root,
    calls,
    responses,
    uploads,
    of: (method) => calls.filter((c) => c.method === method),
    rateLimited: () => calls.filter((c) => c.status === 429),
    outage(forMs) {
      outageUntil = now() + forMs;
    },
    limitHistory(forMs, retryAfterSeconds = 30) {
      historyLimited = { until: now() + forMs, retryAfter: retryAfterSeconds };
    },
    hold(method) {
      let release = () => {};
      const holding = { released: new Promise<void>((resolve) => (release = resolve)), held: 0, peak: 0 };
      holds.set(method, holding);
      return {
        release: () => {
          holds.delete(method);
          release();
        },
        held: () => holding.held,
        peak: () => holding.peak,
      };
    },
    hangUpNext(method, o = {}) {
      hangUps.set(method, { afterDoing: o.afterDoing ?? false });
    },
    failNext(method, c) {
      canned.set(method, [...(canned.get(method) ?? []), c]);
    },
    addUser(id, email, tz = 'Europe/Copenhagen') {
      users.set(id, { email: email.toLowerCase(), tz });
    },
    hostFile(name, content) {
      files.set(name, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
      return `${root}/files/${name}`;
    },
    history: (channel) => channels.get(channel) ?? [],
    userWrites(channel, user, text) {
      channels.set(channel, [{ type: 'message', user, text, ts: `${(ts += 1)}.000300` }, ...(channels.get(channel) ?? [])]);
    },
    socketConnected: () => connected,
    socketSend(type, payload) {
      const envelope_id = `env-${(envelopes += 1)}`;
      return new Promise((resolve) => {
        acks.set(envelope_id, resolve);
        socket!.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a request to the bot as Slack would, signed with `secret` (or forged/stale on request). */
export async function sendSigned(
  url: string,
  secret: string,
  body: string,
  options: { contentType?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** The payloads Slack sends, built the way Slack builds them. */
export const slackPayload = {
  dm(user: string, text: string, eventId: string): string {
    return JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel_type: 'im', channel: `D${user}`, user, text, ts: `${Date.now() / 1000}`, event_ts: `${Date.now() / 1000}` },
    });
  },
  event(event: Record<string, unknown>, eventId: string): string {
    return JSON.stringify({ token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event });
  },
  command(user: string, text: string, responseUrl: string): string {
    return new URLSearchParams({
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'test',
      channel_id: `D${user}`,
      channel_name: 'directmessage',
      user_id: user,
      user_name: user.toLowerCase(),
      command: '/mentor',
      text,
      api_app_id: 'A1',
      response_url: responseUrl,
      trigger_id: `trigger-${user}-${Date.now()}`,
    }).toString();
  },
  interaction(payload: Record<string, unknown>): string {
    return new URLSearchParams({ payload: JSON.stringify({ team: { id: 'T1' }, api_app_id: 'A1', token: 'legacy', ...payload }) }).toString();
  },
};
