/**
 * Who a Slack user is. A person is found by the slack_id of the participants file, or else by the
 * e-mail address Slack has for the user (users.info); people imported with only an e-mail are looked
 * up in the workspace (users.lookupByEmail) so that planned nudges can reach them. The workspace a
 * person was seen in is recorded with the identity.
 */
import type { WebClient } from '@slack/web-api';
import type { Core } from '../../src/core';
import { describeError } from '../../src/errors';
import type { Logger } from '../../src/log';
import { addIdentity, findPersonByEmail, findPersonByIdentity } from '../../src/people';

const emailOf = (user: unknown) => (user as { profile?: { email?: string } } | undefined)?.profile?.email?.trim().toLowerCase();

export class SlackPeople {
  constructor(
    private readonly core: Core,
    private readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  private link(personId: number, userId: string, workspace: string | undefined): void {
    addIdentity(this.core, personId, 'slack', userId, `slack:${userId}`);
    if (workspace) this.core.db.prepare("UPDATE identities SET workspace = ? WHERE platform = 'slack' AND platform_id = ? AND workspace IS NOT ?").run(workspace, userId, workspace);
  }

  /** The person behind a Slack user, or null for someone Sparring does not know. */
  async personFor(userId: string, workspace?: string): Promise<number | null> {
    const known = findPersonByIdentity(this.core, 'slack', userId);
    if (known !== null) {
      if (workspace) this.link(known, userId, workspace);
      return known;
    }
    const info = await this.client.users.info({ user: userId }).catch((error: unknown) => {
      this.log.warn('users.info failed', { userId, error: describeError(error) });
      return null;
    });
    const email = emailOf(info?.user);
    const personId = email ? findPersonByEmail(this.core, email) : null;
    if (personId === null) return null;
    this.link(personId, userId, workspace);
    return personId;
  }

  /**
   * Looks up, one by one, every participant known only by e-mail. Slack's pace for this method is
   * about 50 a minute; a 429 waits as long as Slack asks. Returns how many were found.
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
        const user = result.user as { id?: string; team_id?: string } | undefined;
        if (user?.id) {
          this.link(person.id, user.id, user.team_id);
          found += 1;
        }
      } catch (error) {
        const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
        if (e.code === 'slack_webapi_rate_limited_error') {
          await new Promise((resolve) => setTimeout(resolve, (e.retryAfter ?? 30) * 1000));
          i -= 1; // the same person again
          continue;
        }
        if (e.data?.error !== 'users_not_found') this.log.warn('users.lookupByEmail failed', { personId: person.id, error: describeError(error) });
      }
    }
    if (found > 0) this.core.wake();
    return found;
  }
}
