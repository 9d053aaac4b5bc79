/**
 * What the Slack messenger keeps in the database: each user's DM channel id (so a restart opens no
 * conversation again) and the send journal (a nudge key before its post, the message's ts after).
 */
import type Database from 'better-sqlite3';

export interface JournalEntry {
  channel: string;
  startedAt: number;
  ts: string | null;
}

/** How far (s) a post may have landed before one started earlier in the same channel. */
const OVERTAKE_S = 300;

/** Entries older than this are forgotten (the in-doubt window is minutes). */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

export class SlackJournal {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  channelOf(team: string, user: string): string | null {
    const row = this.db.prepare('SELECT channel_id FROM slack_channels WHERE team_id = ? AND user_id = ?').get(team, user) as { channel_id: string } | undefined;
    return row?.channel_id ?? null;
  }

  rememberChannel(team: string, user: string, channel: string): void {
    this.db
      .prepare(
        `INSERT INTO slack_channels (user_id, team_id, channel_id, opened_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (team_id, user_id) DO UPDATE SET channel_id = excluded.channel_id, opened_at = excluded.opened_at`,
      )
      .run(user, team, channel, this.now());
  }

  forgetChannel(team: string, user: string): void {
    this.db.prepare('DELETE FROM slack_channels WHERE team_id = ? AND user_id = ?').run(team, user);
  }

  /** Written before a post: from here on, the key may have arrived. */
  starting(key: string, team: string, channel: string): void {
    const now = this.now();
    this.db.prepare('DELETE FROM slack_sends WHERE started_at < ? AND ts IS NOT NULL').run(now - KEEP_MS);
    this.db
      .prepare(
        `INSERT INTO slack_sends (key, team_id, channel_id, started_at, ts) VALUES (?, ?, ?, ?, NULL)
         ON CONFLICT (key) DO UPDATE SET team_id = excluded.team_id, channel_id = excluded.channel_id, started_at = excluded.started_at, ts = NULL`,
      )
      .run(key, team, channel, now);
  }

  /** The post surely did not arrive (Slack answered, and said no): the key is as if never posted. */
  abandon(key: string): void {
    this.db.prepare('DELETE FROM slack_sends WHERE key = ? AND ts IS NULL').run(key);
  }

  arrived(key: string, ts: string): void {
    this.db.prepare('UPDATE slack_sends SET ts = ? WHERE key = ?').run(ts, key);
  }

  entry(key: string): JournalEntry | null {
    const row = this.db.prepare('SELECT channel_id, started_at, ts FROM slack_sends WHERE key = ?').get(key) as { channel_id: string; started_at: number; ts: string | null } | undefined;
    return row ? { channel: row.channel_id, startedAt: row.started_at, ts: row.ts } : null;
  }

  /**
   * Where a look-up for the key's post may start in the channel's history: a margin before the newest
   * ts the journal knows there from a post started no later than the key's (another delivery to the
   * same person may have overtaken it by a little), or null to read from the newest message back.
   */
  searchFrom(key: string, channel: string, startedAt: number): string | null {
    const row = this.db
      .prepare('SELECT max(CAST(ts AS REAL)) AS newest FROM slack_sends WHERE channel_id = ? AND ts IS NOT NULL AND started_at <= ? AND key <> ?')
      .get(channel, startedAt, key) as { newest: number | null };
    return row.newest === null ? null : (row.newest - OVERTAKE_S).toFixed(6);
  }

  /** Whether a Sparring from before the journal may have posted to this user. */
  unjournalled(user: string): boolean {
    return this.db.prepare('SELECT 1 FROM slack_unjournalled_users WHERE user_id = ?').get(user) !== undefined;
  }
}
