/** The desk served on 127.0.0.1 (port 0) for a test's Sparring, and a coordinator's way in: the `desk` command's DM. */
import { deskRoutes } from '../../adapters/desk';
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { createLogger, type Logger } from '../../src/log';
import type { TestSparring } from '../helpers/sparring';

export interface ServedDesk {
  /** Where the server listens, e.g. http://127.0.0.1:51234. */
  local: string;
  http: HttpServer;
  /** Every line the desk logged. */
  logs: string[];
  /** A page, with a session cookie, not following redirects. */
  get(path: string, cookie: string): Promise<Response>;
  /** A form posted as a browser does, with a session cookie, not following redirects. */
  post(path: string, cookie: string, fields: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function serveDesk(s: TestSparring, options: { publicUrl?: string } = {}): Promise<ServedDesk> {
  const logs: string[] = [];
  const log: Logger = createLogger('debug', (line) => logs.push(line));
  let local = '';
  const http = await startHttpServer(0, deskRoutes(s.core, { publicUrl: options.publicUrl ?? (() => local), log }), log, '127.0.0.1');
  local = `http://127.0.0.1:${http.port}`;
  return {
    local,
    http,
    logs,
    get: (path, cookie) => fetch(local + path, { headers: { cookie }, redirect: 'manual' }),
    post: (path, cookie, fields) =>
      fetch(local + path, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' }),
    close: () => http.close(),
  };
}

/** The CSRF token of a page's form. */
export const csrfOf = (page: string) => /name="csrf" value="([0-9a-f]{64})"/.exec(page)?.[1];

/** Opens a sign-in link as a browser would (on the local server); returns the response and the session cookie. */
export async function openLink(desk: ServedDesk, link: string, headers: Record<string, string> = {}) {
  const res = await fetch(link.replace(/^https?:\/\/[^/]+/, desk.local), { redirect: 'manual', headers });
  const setCookie = res.headers.getSetCookie()[0] ?? '';
  return { res, body: await res.text(), setCookie, cookie: setCookie.split(';')[0]! };
}

/** A session cookie for the person, signed in through the link the desk command sends. */
export async function signIn(s: TestSparring, desk: ServedDesk, personId: number): Promise<string> {
  const { link } = await askForLink(s, personId);
  return (await openLink(desk, link!)).cookie;
}

/** The link the coordinator gets in a direct message after typing `skrivebord`: the scheduler delivers it. */
export async function askForLink(s: TestSparring, personId: number, words = 'skrivebord'): Promise<{ reply: string; link: string | null }> {
  const before = s.messenger.deliveries.length;
  const reply = s.bot
    .handle(personId, { type: 'text', text: words })
    .replies.map((r) => r.text)
    .join('\n');
  await s.scheduler.runOnce();
  const sent = s.messenger.deliveries.slice(before).find((d) => d.address === `test:${personId}` && d.key.startsWith('desk.link:'));
  const link = sent ? (/(https?:\/\/\S+\/desk\/sign-in\?token=[0-9a-f]{64})/.exec(sent.message.text)?.[1] ?? null) : null;
  return { reply, link };
}
