/**
 * Seeds a database for the process tests and the crash test: `count` people reachable on Slack or
 * Teams (Teams through a stored conversation reference at `serviceUrl`), each with one reply nudge
 * due now. Slack DM channels are stored as already opened (D<user>, as the fake Slack opens them),
 * so the run is not paced by conversations.open. A reply is prompted, so quiet hours do not hold it back; one per person means nothing is
 * bundled, so every message the fake records belongs to exactly one nudge.
 */
import { systemClock } from '../src/clock';
import type { Core } from '../src/core';
import { silentLogger } from '../src/log';
import { addIdentity, createPerson } from '../src/people';
import { REPLY } from '../src/replies';
import { planNudge } from '../src/scheduler/nudges';
import { openCore } from '../src/sparring';
import { inTransaction } from '../src/store/database';

export interface Seeded {
  /** The nudge key planned for each recipient, by the recipient's platform user id. */
  keys: Map<string, string>;
  /** The same, by where the message lands: the Slack DM channel or the Teams conversation. */
  byConversation: Map<string, string>;
}

export type SeedPlatform = { platform: 'slack' } | { platform: 'teams'; serviceUrl: string };

/** The workspace the fake Slack's auth.test names. */
export const SLACK_TEAM = 'T1';

export const slackUser = (i: number) => `U${String(i).padStart(5, '0')}`;
export const teamsUser = (i: number) => `29:user-${i}`;
export const teamsConversation = (i: number) => `a:conv-${i}`;

export function seedDeliveries(databasePath: string, count: number, target: SeedPlatform, options: { dueAt?: number; expiresAt?: number | null; text?: string } = {}): Seeded {
  const core: Core = openCore({ databasePath, clock: systemClock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  const keys = new Map<string, string>();
  const byConversation = new Map<string, string>();
  try {
    inTransaction(core.db, () => {
      const now = Date.now();
      for (let i = 1; i <= count; i += 1) {
        const personId = createPerson(core, { name: `Deltager ${i}` });
        const user = target.platform === 'slack' ? slackUser(i) : teamsUser(i);
        addIdentity(core, personId, target.platform, user, `${target.platform}:${user}`);
        if (target.platform === 'slack') {
          core.db.prepare('INSERT INTO slack_channels (user_id, team_id, channel_id, opened_at) VALUES (?, ?, ?, ?)').run(user, SLACK_TEAM, `D${user}`, now);
        }
        if (target.platform === 'teams') {
          const reference = {
            channelId: 'msteams',
            serviceUrl: target.serviceUrl,
            conversation: { id: teamsConversation(i), conversationType: 'personal', tenantId: 'tenant-1' },
            user: { id: user },
            bot: { id: '28:bot' },
          };
          core.db
            .prepare('INSERT INTO teams_conversations (user_id, tenant_id, reference, updated_at) VALUES (?, ?, ?, ?)')
            .run(user, 'tenant-1', JSON.stringify(reference), now);
        }
        const key = `${REPLY}:${personId}:faults:${i}`;
        const text = options.text ?? `Besked ${i} til deltager ${i}.`;
        planNudge(core.db, { key, kind: REPLY, personId, payload: { message: { text } }, dueAt: options.dueAt ?? now, expiresAt: options.expiresAt ?? null, maxAttempts: 50 }, now);
        keys.set(user, key);
        byConversation.set(target.platform === 'slack' ? `D${user}` : teamsConversation(i), key);
      }
    });
  } finally {
    core.db.close();
  }
  return { keys, byConversation };
}
