/** A real Sparring core on a temporary SQLite file, with a fake clock and a fake messenger. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bot } from '../../src/bot';
import type { Core } from '../../src/core';
import { silentLogger } from '../../src/log';
import { bookMeeting, type Meeting } from '../../src/meetings';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { createProgramme, type NewProgramme } from '../../src/programme/programmes';
import { nextDueAt } from '../../src/scheduler/nudges';
import type { Scheduler, SchedulerOptions } from '../../src/scheduler/scheduler';
import type { TaskRegistry } from '../../src/scheduler/task';
import { assemble, openCore } from '../../src/sparring';
import type { Locale } from '../../src/text/locale';
import { createFakeClock, type FakeClock } from './fake-clock';
import { createFakeMessenger, type FakeMessenger } from './fake-messenger';

export interface TestSparring {
  core: Core;
  bot: Bot;
  scheduler: Scheduler;
  clock: FakeClock;
  messenger: FakeMessenger;
  databasePath: string;
  /** Closes this "process" and opens a new one on the same file (a restart). */
  restart(options?: { messenger?: FakeMessenger }): TestSparring;
  close(): void;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

export function tempDatabasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-test-'));
  dirs.push(dir);
  return join(dir, 'sparring.db');
}

export function createTestSparring(
  options: {
    start?: string;
    databasePath?: string;
    clock?: FakeClock;
    messenger?: FakeMessenger;
    scheduler?: Partial<SchedulerOptions>;
    tasks?: TaskRegistry;
  } = {},
): TestSparring {
  const clock = options.clock ?? createFakeClock(options.start ?? '2026-09-14T08:00:00Z');
  const messenger = options.messenger ?? createFakeMessenger();
  const databasePath = options.databasePath ?? tempDatabasePath();
  const core = openCore({ databasePath, clock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  const { bot, scheduler } = assemble(core, messenger, options.scheduler, options.tasks);
  const self: TestSparring = {
    core,
    bot,
    scheduler,
    clock,
    messenger,
    databasePath,
    restart: (o = {}) => {
      core.db.close();
      return createTestSparring({ ...options, databasePath, clock, messenger: o.messenger ?? messenger });
    },
    close: () => core.db.close(),
  };
  return self;
}

export interface TestPair {
  programmeId: number;
  pairId: number;
  menteeId: number;
  mentorId: number;
  mentee: string;
  mentor: string;
}

let programmes = 0;

/** A programme with one matched pair whose people are reachable on the 'test' platform. */
export function seedPair(
  s: TestSparring,
  o: { programme?: Partial<NewProgramme>; menteeLocale?: Locale; mentorLocale?: Locale; menteeZone?: string } = {},
): TestPair {
  programmes += 1;
  const programme = createProgramme(s.core, { name: `Programme ${programmes}`, startsOn: '2026-09-01', endsOn: '2026-12-18', ...o.programme });
  const person = (name: string, role: Role, locale?: Locale, timezone?: string) => {
    const id = createPerson(s.core, { name, locale: locale ?? null, timezone: timezone ?? null });
    addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    addParticipant(s.core, programme.id, id, role);
    return id;
  };
  const menteeId = person('Astrid Holm', 'mentee', o.menteeLocale, o.menteeZone);
  const mentorId = person('Jonas Berg', 'mentor', o.mentorLocale);
  const pairId = createPair(s.core, programme.id, menteeId, mentorId);
  return { programmeId: programme.id, pairId, menteeId, mentorId, mentee: `test:${menteeId}`, mentor: `test:${mentorId}` };
}

export function book(s: TestSparring, pair: TestPair, startsAt: string, durationMin = 60): Meeting {
  return bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse(startsAt), durationMin });
}

/** The bot's replies to a text, joined, for assertions. */
export function say(s: TestSparring, personId: number, text: string): string {
  return s.bot
    .handle(personId, { type: 'text', text })
    .replies.map((m) => m.text)
    .join('\n');
}

/** The mentee answers the expectation alignment that booking the first meeting opens (skipping the texts). */
export function answerAlignment(s: TestSparring, menteeId: number): void {
  for (const answer of ['spring over', 'spring over', 'spring over', 'spring over', '4', 'spring over', 'spring over']) say(s, menteeId, answer);
}

/** Lets time pass until `iso`, running the scheduler at every moment something falls due. */
export async function runUntil(s: TestSparring, iso: string): Promise<void> {
  const target = Date.parse(iso);
  for (let guard = 0; guard < 10_000; guard += 1) {
    const due = nextDueAt(s.core.db);
    if (due === null || due > target) break;
    if (due > s.clock.now()) s.clock.set(due);
    await s.scheduler.runOnce();
  }
  s.clock.set(target);
  await s.scheduler.runOnce();
}

/** Cancels every planned nudge but those of `kind`, so a test sees that one flow alone. */
export function keepOnlyNudges(core: Core, kind: string): void {
  core.db.prepare("UPDATE nudges SET status = 'cancelled' WHERE kind != ? AND status = 'pending'").run(kind);
}

/** A meeting on Wednesday 7 October 2026 at 17:00 in Copenhagen, with only its prep prompt left planned. */
export function bookWithOnlyPrep(core: Core, pairId: number): Meeting {
  const meeting = bookMeeting(core, { pairId, startsAt: Date.parse('2026-10-07T15:00:00Z'), durationMin: 60 });
  keepOnlyNudges(core, 'prep.prompt');
  return meeting;
}
