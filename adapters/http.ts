/**
 * The one HTTP server on PORT that every platform adapter shares: Slack's `POST /slack/events`,
 * Bot Framework's `POST /api/messages`, and `GET /healthz`. Each adapter brings its routes; anything
 * else is 404, a known path with the wrong method 405. Given a health check, /healthz answers
 * `{ status: 'ok' }` or 503 `{ status: 'degraded', problems }`; the check must not block. Closing lets
 * requests under way finish (up to a grace period), then cuts what is left. A POST body is read here,
 * before any route sees it (and so before any signature check), at most `maxBodyBytes` (default 1 MB):
 * a larger one is refused with 413 as soon as it is known to be too large, without buffering it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../src/errors';
import type { Logger } from '../src/log';

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: Handler;
  /** The largest body this route takes (default `MAX_BODY_BYTES`). */
  maxBodyBytes?: number;
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** A request whose body has been read by the server; `rawBody` is also where Bolt's receiver looks. */
type Buffered = IncomingMessage & { rawBody?: Buffer };

class BodyTooLarge extends Error {}

export interface HttpServer {
  server: Server;
  port: number;
  /** Stops accepting, lets requests under way finish for up to `graceMs` (default 0), then closes. */
  close(graceMs?: number): Promise<void>;
}

export interface Health {
  ok: boolean;
  problems: string[];
}

function healthz(check: () => Health, log: Logger): Handler {
  return (_req, res) => {
    let health: Health;
    try {
      health = check();
    } catch (error) {
      health = { ok: false, problems: [`the health check failed: ${describeError(error)}`] };
    }
    if (!health.ok) log.debug('degraded', { problems: health.problems.join('; ') });
    res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(health.ok ? { status: 'ok' } : { status: 'degraded', problems: health.problems }));
  };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

export async function startHttpServer(
  port: number,
  routes: Route[],
  log: Logger,
  host?: string,
  options: { health?: () => Health } = {},
): Promise<HttpServer> {
  const health: Handler = options.health ? healthz(options.health, log) : (_req, res) => send(res, 200, 'ok');
  const all: Route[] = [{ method: 'GET', path: '/healthz', handler: health }, ...routes];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const matching = all.filter((r) => r.path === path);
    const route = matching.find((r) => r.method === req.method);
    if (!route) return send(res, matching.length > 0 ? 405 : 404, matching.length > 0 ? 'method not allowed' : 'not found');
    const limit = route.maxBodyBytes ?? MAX_BODY_BYTES;
    (route.method === 'POST' ? buffer(req, limit) : Promise.resolve())
      .then(() => route.handler(req, res))
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) {
          log.warn('a request body was too large; refused', { path, limit });
          return refuseTooLarge(req, res);
        }
        log.error('an HTTP request failed', { path, error: describeError(error) });
        if (!res.headersSent) send(res, 500, 'internal error');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: (graceMs = 0) =>
      new Promise((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
        if (graceMs <= 0) server.closeAllConnections();
      }),
  };
}

/** Reads the body into `rawBody` while counting; past `limit` bytes it stops reading and rejects. */
function buffer(req: Buffered, limit: number): Promise<void> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData).off('end', onEnd).pause();
        chunks.length = 0;
        return reject(new BodyTooLarge());
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      req.rawBody = Buffer.concat(chunks);
      resolve();
    };
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/** 413, then the connection is cut: the rest of the body is never read. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return void req.socket.destroy();
  res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end('request body too large', () => setTimeout(() => req.socket.destroy(), 50));
}

/** A request's body, at most `limit` bytes (a larger one rejects); the server's copy if it read it. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const read = (req as Buffered).rawBody;
  if (read) {
    if (read.length > limit) throw new Error(`request body larger than ${limit} bytes`);
    return read;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
