/**
 * The durable send journal of planned Teams messages (table teams_journal). The nudge key is written
 * and committed just before the post leaves, the activity id just after Teams accepted it. A live
 * failure (Teams answered an error, or the connection failed) removes the row: the core tries again.
 * Only a process that died between the two writes leaves a row without an activity id.
 */
import type { Core } from '../../src/core';

export interface JournalEntry {
  conversationId: string;
  key: string;
  writtenAt: number;
  activityId: string | null;
}

interface Row {
  conversation_id: string;
  key: string;
  written_at: number;
  activity_id: string | null;
}

/** Accepted rows are kept this long (a nudge is never in doubt for longer), then swept. */
const KEEP_MS = 30 * 24 * 3_600_000;

export class SendJournal {
  private sweptAt = 0;

  constructor(private readonly core: Core) {}

  /** The latest entry for a key, in whichever conversation it was sent. */
  find(key: string): JournalEntry | null {
    const row = this.core.db
      .prepare('SELECT conversation_id, key, written_at, activity_id FROM teams_journal WHERE key = ? ORDER BY activity_id IS NULL, written_at DESC LIMIT 1')
      .get(key) as Row | undefined;
    return row ? { conversationId: row.conversation_id, key: row.key, writtenAt: row.written_at, activityId: row.activity_id } : null;
  }

  /** Writes the key before the post; false when an entry for it exists already (another send of it). */
  begin(conversationId: string, key: string): boolean {
    const now = this.core.clock.now();
    this.sweep(now);
    return this.core.db.prepare('INSERT INTO teams_journal (conversation_id, key, written_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(conversationId, key, now).changes === 1;
  }

  /** Teams accepted the post. */
  accepted(conversationId: string, key: string, activityId: string): void {
    this.core.db.prepare('UPDATE teams_journal SET activity_id = ?, recorded_at = ? WHERE conversation_id = ? AND key = ?').run(activityId, this.core.clock.now(), conversationId, key);
  }

  /** Teams did not accept the post (it answered an error): the key may be sent again. */
  abandon(conversationId: string, key: string): void {
    this.core.db.prepare('DELETE FROM teams_journal WHERE conversation_id = ? AND key = ? AND activity_id IS NULL').run(conversationId, key);
  }

  /**
   * The person submitted the card of a post whose acceptance was never recorded: it arrived, and
   * Teams named its activity id (the submission's replyToId). Only in the chat it was posted to.
   */
  confirm(conversationId: string, key: string, activityId: string): boolean {
    return (
      this.core.db
        .prepare('UPDATE teams_journal SET activity_id = ?, recorded_at = ? WHERE conversation_id = ? AND key = ? AND activity_id IS NULL')
        .run(activityId, this.core.clock.now(), conversationId, key).changes > 0
    );
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < 3_600_000) return;
    this.sweptAt = now;
    this.core.db.prepare('DELETE FROM teams_journal WHERE written_at < ?').run(now - KEEP_MS);
  }
}
