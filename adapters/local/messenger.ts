/**
 * The local adapter's Messenger: a delivery lands in the person's inbox (a table in the same
 * SQLite file), keyed by the nudge key, so it is stored once and survives a restart. The chat is
 * told, and shows it now if that person is the one at the keyboard.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../src/core';
import { attachmentBytes, type Address, type Message } from '../../src/message';
import type { Delivered, Messenger } from '../../src/messenger';

export interface InboxEntry {
  id: number;
  personId: number;
  message: Message;
  deliveredAt: number;
}

export function personIdOf(address: Address): number {
  const id = Number(address.slice('local:'.length));
  if (!address.startsWith('local:') || !Number.isInteger(id)) throw new Error(`not a local address: ${address}`);
  return id;
}

/** Where an inbox entry's attachment is saved. */
export function attachmentPath(dir: string, entryId: number, filename: string): string {
  return join(dir, `${entryId}-${filename}`);
}

export class LocalMessenger implements Messenger {
  readonly platforms = ['local'] as const;
  constructor(
    private readonly core: Core,
    private readonly onDelivery: (entry: InboxEntry) => void = () => {},
    /** Attachments (calendar invitations) are written here as files; null: not saved. */
    private readonly attachmentsDir: string | null = null,
  ) {}

  async deliver(address: Address, message: Message, { key }: { key: string }): Promise<Delivered> {
    const personId = personIdOf(address);
    const deliveredAt = this.core.clock.now();
    const inserted = this.core.db
      .prepare('INSERT INTO local_inbox (person_id, key, message, delivered_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING')
      .run(personId, key, JSON.stringify(message), deliveredAt);
    const found = (await this.findDelivered(address, key))!;
    if (inserted.changes === 1) {
      const id = Number(found.messageId);
      if (this.attachmentsDir && message.attachments?.length) {
        mkdirSync(this.attachmentsDir, { recursive: true });
        for (const a of message.attachments) writeFileSync(attachmentPath(this.attachmentsDir, id, a.filename), attachmentBytes(a));
      }
      this.onDelivery({ id, personId, message, deliveredAt });
    }
    return found;
  }

  async findDelivered(_address: Address, key: string): Promise<Delivered | null> {
    const row = this.core.db.prepare('SELECT id FROM local_inbox WHERE key = ?').get(key) as { id: number } | undefined;
    return row ? { messageId: String(row.id) } : null;
  }

  /** Messages not yet shown to the person, oldest first; they count as shown from now on. */
  takeUnshown(personId: number): InboxEntry[] {
    const rows = this.core.db
      .prepare('SELECT id, message, delivered_at FROM local_inbox WHERE person_id = ? AND shown_at IS NULL ORDER BY id')
      .all(personId) as { id: number; message: string; delivered_at: number }[];
    this.core.db.prepare('UPDATE local_inbox SET shown_at = ? WHERE person_id = ? AND shown_at IS NULL').run(this.core.clock.now(), personId);
    return rows.map((r) => ({ id: r.id, personId, message: JSON.parse(r.message) as Message, deliveredAt: r.delivered_at }));
  }

  countUnshown(personId: number): number {
    return (this.core.db.prepare('SELECT count(*) AS n FROM local_inbox WHERE person_id = ? AND shown_at IS NULL').get(personId) as { n: number }).n;
  }

  markShown(id: number): void {
    this.core.db.prepare('UPDATE local_inbox SET shown_at = ? WHERE id = ?').run(this.core.clock.now(), id);
  }
}
