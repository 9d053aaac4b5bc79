/**
 * The desk's secrets: sign-in link tokens and session tokens are 32 random bytes written as hex (no
 * character a chat platform's markdown could take for formatting). Only their SHA-256 is stored, so
 * a copy of the database signs nobody in.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const newToken = (): string => randomBytes(32).toString('hex');

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** What a token must look like before it is looked up at all. */
export const TOKEN = /^[0-9a-f]{64}$/;

/** The CSRF token of a session: derived from the session's own token, so nothing more is stored. */
export function csrfFor(sessionToken: string): string {
  return createHash('sha256').update(`sparring desk csrf\0${sessionToken}`, 'utf8').digest('hex');
}

/** Compares in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
