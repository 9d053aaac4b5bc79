/**
 * The desk's HTTP details: the headers every response carries (a strict Content-Security-Policy, no
 * framing, no referrer, no caching), the session cookie, and reading forms (URL-encoded, and
 * multipart for the participants file).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Html } from './html';

/** Nothing but our own stylesheet and images; no script at all; forms only to ourselves; never in a frame. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function securityHeaders(secure: boolean): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

export interface Reply {
  status: number;
  body: Html | Buffer | string;
  type?: string;
  headers?: Record<string, string | string[]>;
}

export function send(res: ServerResponse, secure: boolean, reply: Reply): void {
  const body = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : reply.body.value;
  res.writeHead(reply.status, {
    'content-type': reply.type ?? 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...securityHeaders(secure),
    ...reply.headers,
  });
  res.end(body);
}

export const redirect = (location: string, headers: Record<string, string | string[]> = {}): Reply => ({ status: 303, body: '', type: 'text/plain; charset=utf-8', headers: { location, ...headers } });

/** The session cookie: HttpOnly, SameSite=Strict, Secure (and __Host-) on https; Max-Age only, never a date from the programme's clock. */
export function sessionCookie(secure: boolean): { name: string; set(token: string, maxAgeSeconds: number): string; clear(): string } {
  const name = secure ? '__Host-sparring-desk' : 'sparring-desk';
  const attributes = `Path=${secure ? '/' : '/desk'}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  return {
    name,
    set: (token, maxAge) => `${name}=${token}; ${attributes}; Max-Age=${Math.max(0, Math.floor(maxAge))}`,
    clear: () => `${name}=; ${attributes}; Max-Age=0`,
  };
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface UploadedFile {
  field: string;
  filename: string;
  content: Buffer;
}

export interface Form {
  fields: Map<string, string[]>;
  files: UploadedFile[];
}

export const field = (form: Form, name: string): string | undefined => form.fields.get(name)?.[0];

/** A form's fields (and files), from a URL-encoded or multipart body; null when it is neither or cannot be read. */
export function parseForm(contentType: string | undefined, body: Buffer): Form | null {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields = new Map<string, string[]>();
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) fields.set(k, [...(fields.get(k) ?? []), v]);
    return { fields, files: [] };
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
    const b = boundary?.[1] ?? boundary?.[2];
    return b ? parseMultipart(body, b.trim()) : null;
  }
  return null;
}

/** RFC 7578 multipart/form-data: each part's name (and filename) from its Content-Disposition. */
function parseMultipart(body: Buffer, boundary: string): Form | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const form: Form = { fields: new Map(), files: [] };
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return form; // the closing delimiter
    if (body.subarray(at, at + 2).toString() !== '\r\n') return null;
    at += 2;
    const headersEnd = body.indexOf('\r\n\r\n', at);
    if (headersEnd < 0) return null;
    const headers = body.subarray(at, headersEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next < 0) return null;
    const content = body.subarray(headersEnd + 4, next);
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) form.files.push({ field: name, filename: filename.replace(/^.*[\\/]/, ''), content: Buffer.from(content) });
      else form.fields.set(name, [...(form.fields.get(name) ?? []), content.toString('utf8')]);
    }
    at = next + 2;
  }
}
