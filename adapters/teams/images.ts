/**
 * Images for Teams by link instead of inline: Teams refuses a message above about 28 KB, and the
 * report chart alone is more than that in base64. The image is kept in the database (served_images)
 * and the card shows it from PUBLIC_URL/teams/image?id=…&exp=…&sig=…, a link signed with HMAC-SHA256
 * under a key generated once per installation (kv images.secret) and good until it expires
 * (IMAGE_LINK_MS); an expired image is deleted. A link with a wrong signature is refused (403), an
 * expired one is gone (410). Nothing about a person is in these images: they are aggregates.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Db } from '../../src/store/database';
import type { Route } from '../http';

export const IMAGE_PATH = '/teams/image';
/** How long a link to an image works: a coordinator may scroll back to last week's report. */
export const IMAGE_LINK_MS = 14 * 24 * 60 * 60 * 1000;
const SECRET_KEY = 'images.secret';
const SERVED_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif']);

const query = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  exp: z.string().regex(/^\d{1,15}$/).transform(Number),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export class ServedImages {
  private secretKey: Buffer | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    /** PUBLIC_URL, without a trailing slash. */
    private readonly publicUrl: string,
    private readonly linkMs = IMAGE_LINK_MS,
  ) {}

  /** The installation's signing key, generated once (migration 0012, or here should it be missing). */
  private secret(): Buffer {
    if (this.secretKey) return this.secretKey;
    const read = () => (this.db.prepare('SELECT value FROM kv WHERE key = ?').get(SECRET_KEY) as { value: string } | undefined)?.value;
    if (!read()) this.db.prepare('INSERT OR IGNORE INTO kv (key, value) VALUES (?, ?)').run(SECRET_KEY, randomBytes(32).toString('hex'));
    this.secretKey = Buffer.from(read()!, 'hex');
    return this.secretKey;
  }

  private sign(id: string, expires: number): string {
    return createHmac('sha256', this.secret()).update(`${id}.${expires}`).digest('base64url');
  }

  /** Keeps the image and returns the signed link to it; images whose links expired are deleted. */
  put(mediaType: string, bytes: Buffer): string {
    if (!SERVED_TYPES.has(mediaType)) throw new Error(`cannot serve ${mediaType} as an image`);
    const now = this.now();
    const id = randomBytes(16).toString('hex');
    const expires = now + this.linkMs;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM served_images WHERE expires_at <= ?').run(now);
      this.db.prepare('INSERT INTO served_images (id, media_type, bytes, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(id, mediaType, bytes, now, expires);
    })();
    return `${this.publicUrl}${IMAGE_PATH}?id=${id}&exp=${expires}&sig=${this.sign(id, expires)}`;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const refuse = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    };
    const parsed = query.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
    if (!parsed.success) return refuse(404, 'not found');
    const { id, exp, sig } = parsed.data;
    const expected = Buffer.from(this.sign(id, exp));
    if (!timingSafeEqual(expected, Buffer.from(sig))) return refuse(403, 'the link is not valid');
    const now = this.now();
    if (exp <= now) return refuse(410, 'the link has expired; ask for the report again');
    const row = this.db.prepare('SELECT media_type, bytes FROM served_images WHERE id = ? AND expires_at > ?').get(id, now) as { media_type: string; bytes: Buffer } | undefined;
    if (!row) return refuse(410, 'the image is no longer kept; ask for the report again');
    res.writeHead(200, {
      'content-type': row.media_type,
      'content-length': String(row.bytes.length),
      'cache-control': `private, max-age=${Math.max(0, Math.floor((exp - now) / 1000))}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    });
    res.end(row.bytes);
  }

  route(): Route {
    return { method: 'GET', path: IMAGE_PATH, handler: (req, res) => this.serve(req, res) };
  }
}
