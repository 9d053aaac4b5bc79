/**
 * A fake Slack on loopback, for the Slack adapter's end-to-end tests. It stands in for the Web API
 * (reached through SLACK_API_URL), for response_url and for file hosting; it records every call
 * and answers the way Slack does, including `ok: false` errors and 429 with Retry-After. The bot
 * under test talks to it through the real @slack/web-api client.
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
  /** Answer the next call of `method` with this instead. */
  failNext(method: string, answer: Canned): void;
  /** A Slack user the fake knows (users.info, users.lookupByEmail). */
  addUser(id: string, email: string, tz?: string): void;
  /** A file the bot may download with its token. */
  hostFile(name: string, content: Buffer | string): string;
  /** The messages in a DM channel, newest first, as conversations.history returns them. */
  history(channel: string): Record<string, unknown>[];
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

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const responses: Record<string, unknown>[] = [];
  const uploads: string[] = [];
  const canned = new Map<string, Canned[]>();
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
      case 'conversations.history':
        return { ok: true, messages: (channels.get(String(args.channel)) ?? []).slice(0, Number(args.limit ?? 100)), has_more: false };
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
      const next = canned.get(method)?.shift();
      const body = next?.body ?? answer(method, args);
      calls.push({ method, args, token, ok: (next?.status ?? 200) === 200 && body.ok === true });
      return send(next?.status ?? 200, body, next?.headers);
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${root}/api/`,
    root,
    calls,
    responses,
    uploads,
    of: (method) => calls.filter((c) => c.method === method),
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
