/**
 * Who a Slack user is. A person is found by the slack_id of the participants file, or else by the
 * e-mail address Slack has for the user (users.info); people imported with only an e-mail are looked
 * up in the workspace (users.lookupByEmail) so that planned nudges can reach them. The workspace a
 * person was seen in is recorded with the identity, and the time zone Slack has for the user (`tz`)
 * becomes the person's zone unless an import gave one. users.info answers, found or not, are kept
 * for a while, so a busy day asks Slack once per user; every call waits for the workspace's buckets.
 */
import type { Core } from '../../src/core';
import { DeliveryError, describeError } from '../../src/errors';
import type { Logger } from '../../src/log';
import { addIdentity, findPersonByEmail, findPersonByIdentity, setTimezoneFromPlatform } from '../../src/people';
import type { SlackClient } from './client';

interface SlackUser {
  id?: string;
  team_id?: string;
  tz?: string;
  profile?: { email?: string };
}

const emailOf = (user: SlackUser | null) => user?.profile?.email?.trim().toLowerCase();

/** How long a users.info answer is kept: a user found, and a user Slack does not know (or could not say). */
export const USER_CACHE_MS = { found: 24 * 60 * 60 * 1000, missing: 60 * 60 * 1000 };

/** A look-up that would wait longer than this for the users.info budget is left for later. */
const LOOKUP_PATIENCE_MS = 2000;

export class SlackPeople {
  private readonly users = new Map<string, { user: SlackUser | null; until: number }>();

  constructor(
    private readonly core: Core,
    private readonly client: SlackClient,
    private readonly log: Logger,
  ) {}

  /** (person, user, workspace) already linked by this process: a known user's every message writes nothing. */
  private readonly linked = new Set<string>();

  private link(personId: number, userId: string, workspace: string | undefined): void {
    const key = `${personId}:${userId}:${workspace ?? ''}`;
    if (this.linked.has(key)) return;
    addIdentity(this.core, personId, 'slack', userId, `slack:${userId}`);
    if (workspace) this.core.db.prepare("UPDATE identities SET workspace = ? WHERE platform = 'slack' AND platform_id = ? AND workspace IS NOT ?").run(workspace, userId, workspace);
    this.linked.add(key);
  }

  /** users.info through the cache; null for a user Slack does not know, or when it could not say now. */
  async userInfo(userId: string): Promise<SlackUser | null> {
    const now = this.core.clock.now();
    const cached = this.users.get(userId);
    if (cached && cached.until > now) return cached.user;
    if (this.client.limits.waitFor('users.info') > LOOKUP_PATIENCE_MS) return null;
    const user = await this.client.users.info({ user: userId }).then(
      (r) => (r.user as SlackUser | undefined) ?? null,
      (error: unknown) => {
        this.log.warn('users.info failed', { userId, error: describeError(error) });
        return null;
      },
    );
    this.users.set(userId, { user, until: now + (user ? USER_CACHE_MS.found : USER_CACHE_MS.missing) });
    return user;
  }

  /** Takes Slack's zone for the person, unless an import set one (people.ts decides). */
  private adoptZone(personId: number, user: SlackUser | null): void {
    if (user?.tz && setTimezoneFromPlatform(this.core, personId, user.tz)) this.log.info('time zone taken from Slack', { personId, zone: user.tz });
  }

  private zoneFromImport(personId: number): boolean {
    const row = this.core.db.prepare('SELECT timezone_source FROM people WHERE id = ?').get(personId) as { timezone_source: string | null } | undefined;
    return row?.timezone_source === 'import';
  }

  /** The person behind a Slack user, or null for someone Sparring does not know. */
  async personFor(userId: string, workspace?: string): Promise<number | null> {
    const known = findPersonByIdentity(this.core, 'slack', userId);
    if (known !== null) {
      if (workspace) this.link(known, userId, workspace);
      if (!this.zoneFromImport(known)) this.adoptZone(known, await this.userInfo(userId));
      return known;
    }
    const info = await this.userInfo(userId);
    const email = emailOf(info);
    const personId = email ? findPersonByEmail(this.core, email) : null;
    if (personId === null) return null;
    this.link(personId, userId, workspace);
    this.adoptZone(personId, info);
    return personId;
  }

  /**
   * Looks up, one by one, every participant known only by e-mail, at the pace of the method's tier
   * (Tier 3, about 50 a minute); a 429 waits as long as Slack asks. Returns how many were found.
   */
  async resolveByEmail(signal?: AbortSignal): Promise<number> {
    const people = this.core.db
      .prepare(
        `SELECT DISTINCT p.id, p.email FROM people p JOIN participants pa ON pa.person_id = p.id
          WHERE p.email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id AND i.platform = 'slack')`,
      )
      .all() as { id: number; email: string }[];
    let found = 0;
    for (let i = 0; i < people.length; i += 1) {
      const person = people[i]!;
      if (signal?.aborted) break;
      try {
        const result = await this.client.users.lookupByEmail({ email: person.email });
        const user = result.user as SlackUser | undefined;
        if (user?.id) {
          this.link(person.id, user.id, user.team_id);
          this.users.set(user.id, { user, until: this.core.clock.now() + USER_CACHE_MS.found });
          this.adoptZone(person.id, user);
          found += 1;
        }
      } catch (error) {
        if (error instanceof DeliveryError && error.failure === 'rateLimited') {
          await this.client.limits.timer.sleep(error.retryAfterMs ?? 30_000);
          i -= 1; // the same person again
          continue;
        }
        const e = error as { data?: { error?: string } };
        if (e.data?.error !== 'users_not_found') this.log.warn('users.lookupByEmail failed', { personId: person.id, error: describeError(error) });
      }
    }
    if (found > 0) this.core.wake();
    return found;
  }
}
