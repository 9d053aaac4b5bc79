/**
 * The one HTTP server on PORT that every platform adapter shares: Slack's `POST /slack/events`,
 * Bot Framework's `POST /api/messages`, `GET /healthz` (alive), `GET /readyz` (ready, given checks)
 * and whatever else the caller routes (`GET /metrics`). Anything else is 404, a known path with the
 * wrong method 405.
 * - Every request gets an id: its `x-request-id` when that is a short safe token, else a new one. It
 *   is sent back as `x-request-id` and is on every log line written while the request is handled.
 * - Each request's route (never its raw path) and status are counted, with its duration.
 * - Stopping (`stopping()`): /healthz and /readyz answer 503, a new request elsewhere gets 503 with
 *   `connection: close`, and requests under way finish — their response and the work their handler
 *   does after it — before `close` shuts the listener; past the grace period what is left is cut.
 * - A POST body is read here, before any route sees it (and so before any signature check), at most
 *   `maxBodyBytes` (default 1 MB): a larger one is refused with 413 as soon as it is known to be too
 *   large, without buffering it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { describeError } from '../src/errors';
import { withLogContext, type Logger } from '../src/log';
import type { RequestMetrics } from '../src/metrics/recorder';
import type { ReadinessCheck } from '../src/metrics/readiness';

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
  /** From now on /healthz and /readyz answer 503 and new requests elsewhere are refused; those under way go on. */
  stopping(): void;
  /** Resolves true once every request under way has finished (response and handler), or false after `ms`. */
  drain(ms: number): Promise<boolean>;
  /** Stops: lets requests under way finish for up to `graceMs` (default 0), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export interface HttpOptions {
  /** What /readyz checks (cheap, no network); without it /readyz answers ready while the server is not stopping. */
  readiness?: () => ReadinessCheck[];
  /** Where each request's route, status and duration are counted. */
  requests?: RequestMetrics;
}

/** The label of a request that matched no route: a raw path would let anyone make up labels. */
export const UNMATCHED = 'unmatched';

/** What a caller's `x-request-id` must look like to be taken over: a short token of safe characters. */
const requestIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);

/** The request's own id when it is a short safe token, else a new one. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = requestIdSchema.safeParse(header);
  return given.success ? given.data : randomUUID();
}

const noStore = { 'cache-control': 'no-store' };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...noStore });
  res.end(JSON.stringify(body));
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

/** /readyz: every check and its state; 503 when one fails or the server is stopping. */
function readyz(checks: () => ReadinessCheck[], isStopping: () => boolean, log: Logger): Handler {
  return (_req, res) => {
    let list: ReadinessCheck[];
    try {
      list = checks();
    } catch (error) {
      list = [{ name: 'readiness', ok: false, state: `the checks failed: ${describeError(error)}` }];
    }
    const stopping = isStopping();
    const ok = !stopping && list.every((c) => c.ok);
    if (!ok) log.debug('not ready', { failing: list.filter((c) => !c.ok).map((c) => c.name).join(','), stopping });
    const body = Object.fromEntries(list.map((c) => [c.name, { ok: c.ok, state: c.state }]));
    sendJson(res, ok ? 200 : 503, { status: stopping ? 'stopping' : ok ? 'ready' : 'not ready', checks: body });
  };
}

export async function startHttpServer(port: number, routes: Route[], log: Logger, host?: string, options: HttpOptions = {}): Promise<HttpServer> {
  let stopping = false;
  const healthz: Handler = (_req, res) => (stopping ? send(res, 503, 'stopping', noStore) : send(res, 200, 'ok', noStore));
  const all: Route[] = [
    { method: 'GET', path: '/healthz', handler: healthz },
    { method: 'GET', path: '/readyz', handler: readyz(options.readiness ?? (() => []), () => stopping, log) },
    ...routes,
  ];
  const probes = new Set(['/healthz', '/readyz']);

  /** Requests under way: each ends when its response is done and its handler has settled. */
  let inFlight = 0;
  let drained: (() => void)[] = [];
  const finished = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const resolve of drained.splice(0)) resolve();
  };

  function serve(req: IncomingMessage, res: ServerResponse, started: number): Promise<unknown> {
    const path = (req.url ?? '/').split('?')[0]!;
    const matching = all.filter((r) => r.path === path);
    const route = matching.find((r) => r.method === req.method);
    const label = matching.length > 0 ? path : UNMATCHED;
    res.once('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      options.requests?.request(label, status, (performance.now() - started) / 1000);
    });
    if (!route) {
      send(res, matching.length > 0 ? 405 : 404, matching.length > 0 ? 'method not allowed' : 'not found');
      return Promise.resolve();
    }
    if (stopping && !probes.has(path)) {
      send(res, 503, 'stopping; try again shortly', { connection: 'close', 'retry-after': '5' });
      return Promise.resolve();
    }
    const limit = route.maxBodyBytes ?? MAX_BODY_BYTES;
    return (route.method === 'POST' ? buffer(req, limit) : Promise.resolve())
      .then(() => route.handler(req, res))
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) {
          log.warn('a request body was too large; refused', { path, limit });
          return refuseTooLarge(req, res);
        }
        log.error('an HTTP request failed', { path, error: describeError(error) });
        if (!res.headersSent) send(res, 500, 'internal error');
      });
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    if (stopping) res.setHeader('connection', 'close');
    inFlight += 1;
    const responded = new Promise<void>((resolve) => res.once('close', resolve));
    const handled = withLogContext({ requestId }, () => serve(req, res, started));
    void Promise.allSettled([responded, handled]).then(finished);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

  const drain = (ms: number): Promise<boolean> => {
    if (inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        drained = drained.filter((d) => d !== done);
        resolve(false);
      }, Math.max(0, ms));
      drained.push(done);
    });
  };

  return {
    server,
    port: (server.address() as AddressInfo).port,
    stopping: () => {
      stopping = true;
      // Idle keep-alive connections go now; busy ones are closed after their response.
      server.closeIdleConnections();
    },
    drain,
    async close(graceMs = 0) {
      stopping = true;
      const all = await drain(graceMs);
      if (!all && graceMs > 0) log.warn('requests still under way when the grace period ended; their connections are cut', { requests: inFlight });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
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
