/**
 * The local terminal chat: act as any participant, see what Sparring sends them, answer, and move
 * the programme's clock on (`advance 2d`) to see the nudges come due. Reads lines from any stream,
 * so a script can drive it; ends cleanly at the end of its input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Bot } from '../../src/bot';
import type { ShiftedClock } from '../../src/clock';
import type { Core } from '../../src/core';
import { attachmentBytes, type Message } from '../../src/message';
import { firstName, getPerson, type Person } from '../../src/people';
import { nextDueAt } from '../../src/scheduler/nudges';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { formatLocal, parseDuration } from '../../src/time';
import { attachmentPath, type InboxEntry, type LocalMessenger } from './messenger';
import { ansi, inline, plain, renderMessage, type Style } from './render';

export interface LocalChatOptions {
  core: Core;
  bot: Bot;
  scheduler: Scheduler;
  messenger: LocalMessenger;
  clock: ShiftedClock;
  input: Readable;
  output: Writable;
  databasePath: string;
  /** Colours and a "> " prompt, for a person at a terminal. */
  interactive: boolean;
  /** Where the messenger saves attachments (shown with each message); null: not saved. */
  attachmentsDir: string | null;
}

interface Listed {
  id: number;
  name: string;
  roles: string;
}

const CLOCK_KEY = 'local.clock_offset';
const PERSON_KEY = 'local.person';

export function saveClockOffset(core: Core, offset: number): void {
  core.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(CLOCK_KEY, String(offset));
}

export function savedClockOffset(core: Core): number {
  const row = core.db.prepare('SELECT value FROM kv WHERE key = ?').get(CLOCK_KEY) as { value: string } | undefined;
  return row ? Number(row.value) || 0 : 0;
}

export class LocalChat {
  private current: Person | null = null;
  /** People who got messages since the last notice, told in one line after each tick. */
  private readonly waiting = new Set<number>();
  private flushScheduled = false;
  private readonly style: Style;
  private readonly locale;

  constructor(private readonly o: LocalChatOptions) {
    this.style = o.interactive ? ansi : plain;
    this.locale = o.core.defaults.locale;
  }

  /** Runs until the input ends or the person types quit. */
  async run(): Promise<void> {
    this.banner();
    const saved = this.o.core.db.prepare('SELECT value FROM kv WHERE key = ?').get(PERSON_KEY) as { value: string } | undefined;
    if (saved) this.actAs(Number(saved.value));
    await this.tick();
    const rl = createInterface({ input: this.o.input, terminal: false });
    this.prompt();
    for await (const line of rl) {
      const keepGoing = await this.line(line);
      if (!keepGoing) break;
      await this.tick();
      this.prompt();
    }
    rl.close();
    this.say(this.t('local.bye', { database: this.o.databasePath }));
  }

  /** Called by the LocalMessenger for every new delivery. */
  delivered(entry: InboxEntry): void {
    if (this.current?.id === entry.personId) {
      this.o.messenger.markShown(entry.id);
      this.show(entry.message, this.t('local.from', { name: this.current.name, when: this.when(entry.deliveredAt, this.current) }), entry.id);
      return;
    }
    this.waiting.add(entry.personId);
    if (!this.flushScheduled) {
      // A delivery from the minute tick, between two lines typed, is told about as soon as the tick is done.
      this.flushScheduled = true;
      setImmediate(() => this.tellWaiting());
    }
  }

  /** One line for everyone else who has unread messages. */
  private tellWaiting(): void {
    this.flushScheduled = false;
    const people = [...this.waiting].map((id) => getPerson(this.o.core, id)).filter((p): p is Person => !!p && p.id !== this.current?.id);
    this.waiting.clear();
    const unread = people.map((p) => ({ p, count: this.o.messenger.countUnshown(p.id) })).filter((x) => x.count > 0);
    if (unread.length === 0) return;
    const list = unread.map(({ p, count }) => `${p.name} (${count})`).join(', ');
    this.say(this.style.dim(this.t('local.waiting', { list, first: firstName(unread[0]!.p.name) })));
  }

  private async tick(): Promise<void> {
    await this.o.scheduler.runOnce();
    this.tellWaiting();
  }

  private async line(raw: string): Promise<boolean> {
    const text = raw.trim();
    if (text === '') return true;
    const lower = text.toLowerCase();
    if (lower === 'quit' || lower === 'exit') return false;
    if (lower === 'people' || lower === 'who') return this.listPeople(), true;
    if (lower === 'time') return this.say(this.t('local.clock', { now: this.when(this.o.clock.now()), zone: this.o.core.defaults.timezone })), true;
    const advance = /^advance\s+(\S+)$/i.exec(text);
    if (advance) {
      const ms = parseDuration(advance[1]!);
      if (ms === null || ms === 0) return this.say(this.t('local.commands')), true;
      await this.advance(ms);
      return true;
    }
    const as = /^as\s+(.+)$/i.exec(text);
    const chosen = as ? this.find(as[1]!) : !this.current && /^\d+$/.test(text) ? this.find(text) : undefined;
    if (chosen) return this.actAs(chosen.id), true;
    if (chosen === null) return this.say(this.t('local.unknownPerson', { who: (as?.[1] ?? text).slice(0, 40) })), true;
    if (!this.current) {
      this.say(this.t(lower === 'help' ? 'local.commands' : 'local.noPerson'));
      return true;
    }
    if (lower === 'help') this.say(this.t('local.commands'));
    for (const reply of this.o.bot.handle(this.current.id, { type: 'text', text }).replies) this.show(reply, this.t('local.reply'));
    this.current = getPerson(this.o.core, this.current.id); // language or pause may have changed
    return true;
  }

  /** Moves the clock on, stopping at each moment something falls due, as real time would. */
  private async advance(ms: number): Promise<void> {
    const { clock, core } = this.o;
    const target = clock.now() + ms;
    for (let guard = 0; guard < 10_000; guard += 1) {
      const due = nextDueAt(core.db);
      if (due === null || due > target) break;
      if (due > clock.now()) clock.advance(due - clock.now());
      await this.tick();
    }
    clock.advance(target - clock.now());
    await this.tick();
    saveClockOffset(core, clock.offset);
    this.say(this.t('local.advanced', { now: this.when(clock.now()) }));
  }

  private people(): Listed[] {
    return this.o.core.db
      .prepare(
        `SELECT p.id, p.name, group_concat(DISTINCT pa.role) AS roles FROM people p
           JOIN identities i ON i.person_id = p.id AND i.platform = 'local'
           LEFT JOIN participants pa ON pa.person_id = p.id
          GROUP BY p.id
          ORDER BY min(CASE pa.role WHEN 'mentee' THEN 0 WHEN 'mentor' THEN 1 ELSE 2 END), p.id`,
      )
      .all() as Listed[];
  }

  /** A person by list number or by (first) name; null when nothing matches. */
  private find(who: string): Listed | null {
    const list = this.people();
    const w = who.trim().toLowerCase();
    if (/^\d+$/.test(w)) return list[Number(w) - 1] ?? null;
    return list.find((p) => p.name.toLowerCase() === w) ?? list.find((p) => p.name.toLowerCase().startsWith(w)) ?? null;
  }

  private actAs(personId: number): void {
    const person = getPerson(this.o.core, personId);
    if (!person) return;
    this.current = person;
    this.o.core.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(PERSON_KEY, String(person.id));
    const roles = this.people().find((p) => p.id === person.id)?.roles ?? '';
    this.say(this.t('local.nowActing', { name: person.name, role: this.roleNames(roles) }));
    const waiting = this.o.messenger.takeUnshown(person.id);
    const held = this.o.core.db
      .prepare("SELECT count(*) AS n, min(due_at) AS at FROM nudges WHERE person_id = ? AND status = 'pending' AND outcome_note = 'quiet hours'")
      .get(person.id) as { n: number; at: number | null };
    if (held.n > 0 && held.at !== null) this.say(this.style.dim(this.t('local.held', { count: held.n, when: this.when(held.at, person) })));
    else if (waiting.length === 0) this.say(this.style.dim(this.t('local.hint')));
    for (const entry of waiting) this.show(entry.message, this.t('local.from', { name: person.name, when: this.when(entry.deliveredAt, person) }), entry.id);
  }

  private banner(): void {
    this.say(this.style.bold(this.t('local.banner', { database: this.o.databasePath })));
    this.say(this.t('local.clock', { now: this.when(this.o.clock.now()), zone: this.o.core.defaults.timezone }));
    this.say('');
    this.listPeople();
    this.say('');
    this.say(this.t('local.commands'));
  }

  private listPeople(): void {
    this.say(this.t('local.choose'));
    this.people().forEach((p, i) => this.say(`  ${this.t('local.personLine', { number: i + 1, name: p.name, role: this.roleNames(p.roles ?? '') })}`));
  }

  private roleNames(roles: string): string {
    return roles
      .split(',')
      .filter(Boolean)
      .map((r) => this.o.core.text.t(this.locale, `common.role.${r}`))
      .join(', ');
  }

  private show(message: Message, header: string, inboxId?: number): void {
    const reader = this.current?.locale ?? this.locale;
    this.say('');
    this.say(this.style.bold(`── ${header}`));
    const hints = {
      choice: this.o.core.text.t(reader, 'local.choiceHint'),
      text: this.o.core.text.t(reader, 'local.textHint'),
      why: (why: string) => this.o.core.text.t(reader, 'local.why', { why }),
    };
    for (const l of renderMessage(message, this.style, hints)) this.say(l);
    for (const a of message.attachments ?? []) {
      let file = a.filename;
      if (this.o.attachmentsDir && inboxId !== undefined) file = attachmentPath(this.o.attachmentsDir, inboxId, a.filename);
      else if (this.o.attachmentsDir) {
        // A reply's attachment (a report, an export) is saved here; a delivered one was saved by the messenger.
        mkdirSync(this.o.attachmentsDir, { recursive: true });
        file = join(this.o.attachmentsDir, `${this.o.clock.now()}-${a.filename}`);
        writeFileSync(file, attachmentBytes(a));
      }
      this.say(`  📎 ${this.o.core.text.t(reader, 'local.attachment', { file })}`);
    }
  }

  private when(at: number, person?: Person): string {
    return formatLocal(at, person?.timezone ?? this.o.core.defaults.timezone, person?.locale ?? this.locale);
  }

  private t(key: string, vars: Record<string, string | number> = {}): string {
    return inline(this.o.core.text.t(this.locale, key, vars), this.style);
  }

  private say(line: string): void {
    this.o.output.write(line + '\n');
  }

  private prompt(): void {
    if (this.o.interactive) this.o.output.write(`${this.current ? this.current.name.split(' ')[0] : ''}> `);
  }
}
