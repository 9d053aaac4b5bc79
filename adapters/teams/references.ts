/**
 * Who a Teams user is, and how to reach them. A user maps to a person by the teams_id of the
 * participants file (their Teams user id or their Entra ID object id), or by the e-mail Teams has for
 * them. The conversation reference of their personal chat with the bot is kept in SQLite; only then
 * is the person reachable (until then the coordinator sees "has not installed the app").
 */
import type { ConversationReference } from 'botbuilder';
import type { Core } from '../../src/core';
import { addIdentity, findPersonByEmail, findPersonByIdentity } from '../../src/people';

export interface TeamsUser {
  id: string;
  aadObjectId?: string;
  tenantId?: string;
}

export class TeamsDirectory {
  constructor(private readonly core: Core) {}

  /** The person behind a Teams user, by user id, Entra ID object id, or (if given) e-mail. */
  personFor(user: TeamsUser, email?: string): number | null {
    const byId = findPersonByIdentity(this.core, 'teams', user.id) ?? (user.aadObjectId ? findPersonByIdentity(this.core, 'teams', user.aadObjectId) : null);
    if (byId !== null) return byId;
    return email ? findPersonByEmail(this.core, email) : null;
  }

  /** Keeps the personal chat's reference and makes the person reachable through it. */
  remember(user: TeamsUser, reference: Partial<ConversationReference>, personId: number | null): void {
    this.core.db
      .prepare(
        `INSERT INTO teams_conversations (user_id, aad_object_id, tenant_id, reference, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET aad_object_id = coalesce(excluded.aad_object_id, aad_object_id), tenant_id = coalesce(excluded.tenant_id, tenant_id),
           reference = excluded.reference, updated_at = excluded.updated_at`,
      )
      .run(user.id, user.aadObjectId ?? null, user.tenantId ?? null, JSON.stringify(reference), this.core.clock.now());
    if (personId === null) return;
    addIdentity(this.core, personId, 'teams', user.id, `teams:${user.id}`);
    // An identity imported by Entra ID object id becomes reachable too.
    if (user.aadObjectId) this.core.db.prepare("UPDATE identities SET address = ? WHERE platform = 'teams' AND platform_id = ? AND person_id = ?").run(`teams:${user.id}`, user.aadObjectId, personId);
    this.core.wake();
  }

  /** The app was removed: the person cannot be reached until it is installed again. */
  forget(userId: string): void {
    this.core.db.prepare('DELETE FROM teams_conversations WHERE user_id = ?').run(userId);
    this.core.db.prepare("UPDATE identities SET address = NULL WHERE platform = 'teams' AND address = ?").run(`teams:${userId}`);
  }

  reference(userId: string): Partial<ConversationReference> | null {
    const row = this.core.db.prepare('SELECT reference FROM teams_conversations WHERE user_id = ?').get(userId) as { reference: string } | undefined;
    return row ? (JSON.parse(row.reference) as Partial<ConversationReference>) : null;
  }
}
