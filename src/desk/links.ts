/**
 * One-time sign-in links to the desk. The `desk` command plans a direct message; the token is made
 * when that message is composed, just before it is sent, so it exists only in the message: the
 * database keeps its hash, which link it was, whom it signs in and until when (ten minutes). Opening
 * the link once opens a session; a second time, or too late, it is refused and says why.
 */
import type { Core } from '../core';
import { inTransaction } from '../store/database';
import { MINUTE } from '../time';
import { coordinatedProgrammes } from './access';
import { hashToken, newToken, TOKEN } from './secrets';
import { createSession, forgetExpired, type DeskSession } from './sessions';

export const LINK_MS = 10 * MINUTE;
export const SIGN_IN_PATH = '/desk/sign-in';

const served = new WeakMap<Core, () => string>();

/**
 * Tells the core where the desk is served (PUBLIC_URL, or the local chat's http://localhost:PORT),
 * so that `desk` can hand out links. A function, for a server whose port is known once it listens.
 */
export function serveDeskAt(core: Core, baseUrl: string | (() => string)): void {
  served.set(core, typeof baseUrl === 'string' ? () => baseUrl : baseUrl);
}

/** The desk's base URL without a trailing slash, or null when no desk is served by this process. */
export function deskBaseUrl(core: Core): string | null {
  const url = served.get(core)?.();
  return url ? url.replace(/\/+$/, '') : null;
}

/**
 * Makes the link a message carries (composing the same message again replaces its token, so only
 * the copy that was sent works). Null when no desk is served.
 */
export function issueLink(core: Core, personId: number, messageKey: string, programmeId: number | null): string | null {
  const base = deskBaseUrl(core);
  if (!base) return null;
  const token = newToken();
  const now = core.clock.now();
  core.db
    .prepare(
      `INSERT INTO desk_links (person_id, programme_id, message_key, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (message_key) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, expires_at = excluded.expires_at
       WHERE used_at IS NULL`,
    )
    .run(personId, programmeId, messageKey, hashToken(token), now, now + LINK_MS);
  return `${base}${SIGN_IN_PATH}?token=${token}`;
}

export type SignIn =
  | { ok: true; token: string; session: DeskSession; programmeId: number | null }
  | { ok: false; problem: 'unknown' | 'used' | 'expired' | 'refused'; personId: number | null };

interface LinkRow {
  id: number;
  person_id: number;
  programme_id: number | null;
  expires_at: number;
  used_at: number | null;
}

/** Opens a session with a link's token, once; a used, expired or unknown token opens nothing. */
export function signIn(core: Core, token: string | undefined): SignIn {
  if (!token || !TOKEN.test(token)) return { ok: false, problem: 'unknown', personId: null };
  return inTransaction(core.db, () => {
    const link = core.db.prepare('SELECT id, person_id, programme_id, expires_at, used_at FROM desk_links WHERE token_hash = ?').get(hashToken(token)) as LinkRow | undefined;
    if (!link) return { ok: false, problem: 'unknown', personId: null };
    const now = core.clock.now();
    if (link.used_at !== null) return { ok: false, problem: 'used', personId: link.person_id };
    if (link.expires_at <= now) return { ok: false, problem: 'expired', personId: link.person_id };
    core.db.prepare('UPDATE desk_links SET used_at = ? WHERE id = ?').run(now, link.id);
    // The role may have gone since the link was sent.
    if (coordinatedProgrammes(core, link.person_id).length === 0) return { ok: false, problem: 'refused', personId: link.person_id };
    forgetExpired(core);
    const opened = createSession(core, link.person_id);
    return { ok: true, ...opened, programmeId: link.programme_id };
  });
}
