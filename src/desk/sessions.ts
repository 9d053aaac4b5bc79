/**
 * A desk session: opened by a one-time link, held in an HttpOnly cookie, ended by signing out, by
 * its expiry (eight hours after it opened) or by an hour without a request. Only the hash of its
 * token is stored; the CSRF token of its forms is derived from the token (secrets.ts).
 */
import type { Core } from '../core';
import { isLocale, type Locale } from '../text/locale';
import { HOUR, MINUTE } from '../time';
import { csrfFor, hashToken, newToken, TOKEN } from './secrets';

export const SESSION_MS = 8 * HOUR;
export const IDLE_MS = HOUR;
/** A request refreshes `last_seen_at` at most this often, so reading pages does not write on every click. */
const TOUCH_MS = MINUTE;

export interface DeskSession {
  id: number;
  personId: number;
  /** The language the coordinator chose on the desk; null: their own. */
  locale: Locale | null;
  expiresAt: number;
  /** The token every form of this session carries. */
  csrf: string;
}

/** Opens a session for the person; the token goes into the cookie and nowhere else. */
export function createSession(core: Core, personId: number): { token: string; session: DeskSession } {
  const token = newToken();
  const now = core.clock.now();
  const { lastInsertRowid } = core.db
    .prepare('INSERT INTO desk_sessions (person_id, token_hash, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
    .run(personId, hashToken(token), now, now + SESSION_MS, now);
  return { token, session: { id: Number(lastInsertRowid), personId, locale: null, expiresAt: now + SESSION_MS, csrf: csrfFor(token) } };
}

interface SessionRow {
  id: number;
  person_id: number;
  locale: string | null;
  expires_at: number;
  last_seen_at: number;
}

/** The live session a cookie's token belongs to, or null (unknown, expired or idle too long: then it is removed). */
export function findSession(core: Core, token: string | undefined): DeskSession | null {
  if (!token || !TOKEN.test(token)) return null;
  const row = core.db.prepare('SELECT id, person_id, locale, expires_at, last_seen_at FROM desk_sessions WHERE token_hash = ?').get(hashToken(token)) as SessionRow | undefined;
  if (!row) return null;
  const now = core.clock.now();
  if (row.expires_at <= now || row.last_seen_at + IDLE_MS <= now) {
    core.db.prepare('DELETE FROM desk_sessions WHERE id = ?').run(row.id);
    return null;
  }
  if (now - row.last_seen_at >= TOUCH_MS) core.db.prepare('UPDATE desk_sessions SET last_seen_at = ? WHERE id = ?').run(now, row.id);
  return { id: row.id, personId: row.person_id, locale: row.locale && isLocale(row.locale) ? row.locale : null, expiresAt: row.expires_at, csrf: csrfFor(token) };
}

export function endSession(core: Core, sessionId: number): void {
  core.db.prepare('DELETE FROM desk_sessions WHERE id = ?').run(sessionId);
}

export function setSessionLocale(core: Core, sessionId: number, locale: Locale): void {
  core.db.prepare('UPDATE desk_sessions SET locale = ? WHERE id = ?').run(locale, sessionId);
}

/** Forgets links and sessions that can no longer be used (run at each sign-in; the tables stay small). */
export function forgetExpired(core: Core): void {
  const now = core.clock.now();
  core.db.prepare('DELETE FROM desk_sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, now - IDLE_MS);
  // A used or expired link is kept for a day, so opening it again says why it no longer works.
  core.db.prepare('DELETE FROM desk_links WHERE expires_at <= ?').run(now - 24 * HOUR);
}
