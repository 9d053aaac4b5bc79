/**
 * A fake Bot Framework connector on loopback, for the Teams adapter's end-to-end tests. Activities
 * carry its URL as their serviceUrl, so the bot's replies and proactive messages come here; it
 * records them and answers like the connector (including 429 with Retry-After when told to).
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
}

interface Canned {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeConnector {
  url: string;
  sent: Sent[];
  /** Accepted messages to one conversation (posts, not updates). */
  to(conversationId: string): Sent[];
  updates(conversationId: string): Sent[];
  failNext(answer: Canned): void;
  addMember(id: string, member: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const sent: Sent[] = [];
  const canned: Canned[] = [];
  const members = new Map<string, Record<string, unknown>>();
  let ids = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const raw = (await readBody(req, 50 * 1024 * 1024)).toString('utf8');
      const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const member = /^\/v3\/conversations\/([^/]+)\/members\/(.+)$/.exec(url);
      if (req.method === 'GET' && member) {
        const m = members.get(member[2]!);
        return m ? reply(200, m) : reply(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      }
      const activity = /^\/v3\/conversations\/([^/]+)\/activities(?:\/(.+))?$/.exec(url);
      if (!activity) return reply(404, { error: { code: 'NotFound' } });
      const next = req.method === 'GET' ? undefined : canned.shift();
      const record: Sent = { method: req.method ?? '', conversationId: activity[1]!, activityId: activity[2], activity: raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, ok: !next };
      sent.push(record);
      if (next) return reply(next.status, next.body ?? { error: { code: 'Throttled', message: 'slow down' } }, next.headers);
      return reply(200, { id: req.method === 'PUT' ? activity[2] : `act-${(ids += 1)}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    sent,
    to: (conversationId) => sent.filter((s) => s.ok && s.method === 'POST' && s.conversationId === conversationId),
    updates: (conversationId) => sent.filter((s) => s.ok && s.method === 'PUT' && s.conversationId === conversationId),
    failNext: (answer) => void canned.push(answer),
    addMember: (id, m) => void members.set(id, m),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
