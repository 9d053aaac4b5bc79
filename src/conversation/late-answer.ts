/**
 * "Was that for the question that closed?": a person who answers late may be answering a question that
 * expired unanswered meanwhile, not the one asked since. Each expired question is looked at once, at the
 * first text the person writes after it closed. When it closed within the last three days (people who
 * read their messages every few days answer late) and the text would be taken as the answer to another
 * free-text question, the bot asks which was meant before storing anything; the text waits in this short
 * dialogue and is gone when it closes or expires after an hour.
 */
import type { Core } from '../core';
import { getDialogue, type Dialogue } from '../dialogues';
import type { Flow } from '../flows/flow';
import type { Message } from '../message';
import type { Person } from '../people';
import { DAY } from '../time';
import { isAside, LATE } from './aside';
import { choiceAside } from './choice-aside';
import type { ConversationPorts } from './ports';

interface LateState {
  text: string;
  /** The question the text would answer now, and its title. */
  forId: number;
  title: string;
  /** The title of the question that closed. */
  closed: string;
}

/** How long after it closed an expired question may still be what the person answers. */
const LATE_WINDOW = 3 * DAY;

/**
 * The question of the person's that expired unanswered within the last three days and that they have not
 * written to the bot since; null when there is none. Every expired question not yet looked at is
 * marked as looked at, so the person is asked about one at most once.
 */
export function closedSinceLastWritten(core: Core, personId: number): Dialogue | null {
  const rows = core.db
    // Expiry is noticed when the person's dialogues are next read: the question closed when its time ran out.
    .prepare(
      `SELECT id, flow, coalesce(expires_at, closed_at) AS closedAt FROM dialogues
        WHERE person_id = ? AND status = 'expired' AND late_checked_at IS NULL ORDER BY closedAt DESC, id DESC`,
    )
    .all(personId) as { id: number; flow: string; closedAt: number }[];
  if (rows.length === 0) return null;
  const now = core.clock.now();
  core.db.prepare("UPDATE dialogues SET late_checked_at = ? WHERE person_id = ? AND status = 'expired' AND late_checked_at IS NULL").run(now, personId);
  const latest = rows.find((r) => !isAside(r.flow) && r.closedAt > now - LATE_WINDOW);
  return latest ? getDialogue(core, latest.id) : null;
}

const late = choiceAside<LateState>({
  name: LATE,
  title: 'talk.title.late',
  text: (core, person, s) => core.text.t(person.locale, 'talk.late.question', { title: s.title, closed: s.closed }),
  options: (core, person, s) => [
    { value: 'answer', label: core.text.t(person.locale, 'talk.late.answer', { title: s.title }) },
    { value: 'closed', label: core.text.t(person.locale, 'talk.late.closed', { closed: s.closed }) },
  ],
  chosen(ctx, ports, s, value, about) {
    const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
    if (value === 'answer') return about ? ports.answer(ctx, about, s.text) : [{ text: t('talk.expired', { title: s.title }) }];
    // Meant for the question that closed: nothing is stored, and the other question still waits.
    const said = t('talk.expired', { title: s.closed });
    return [{ text: about ? `${said}\n\n${t('talk.stillWaiting', { title: s.title })}` : said }];
  },
});

/** Asks whether the text answers `about` (titled `title`) or was meant for the question that closed. */
export function askWhichQuestion(core: Core, person: Person, about: Dialogue, title: string, closed: string, text: string): Message {
  return late.open(core, person, { text, forId: about.id, title, closed });
}

export function lateAnswerFlow(ports: ConversationPorts): Flow {
  return late.flow(ports);
}
