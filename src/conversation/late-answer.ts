/**
 * "Was that for the question that closed?": a person who answers late may be answering a question that
 * expired unanswered meanwhile, not the one asked since. Each expired question is looked at once, at the
 * first text the person writes after it closed. When it closed within the last day and the text would
 * be taken as the answer to another free-text question, the bot asks which was meant before storing
 * anything; the text waits in this short dialogue and is gone when it closes or expires after an hour.
 */
import type { Core } from '../core';
import { closeDialogue, getDialogue, isOpen, type Dialogue } from '../dialogues';
import { choiceHelp, parseChoice } from '../flows/answers';
import type { Flow } from '../flows/flow';
import type { ChoiceOption, Message } from '../message';
import type { Person } from '../people';
import { DAY } from '../time';
import { isAside, LATE, openAside } from './aside';
import type { ConversationPorts } from './ports';

interface LateState {
  text: string;
  /** The question the text would answer now, and its title. */
  forId: number;
  title: string;
  /** The title of the question that closed. */
  closed: string;
}

const stateOf = (d: Pick<Dialogue, 'state'>) => d.state as unknown as LateState;

/** How long after it closed an expired question may still be what the person answers. */
const LATE_WINDOW = DAY;

/**
 * The question of the person's that expired unanswered within the last day and that they have not
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

function options(core: Core, person: Person, s: LateState): ChoiceOption[] {
  return [
    { value: 'answer', label: core.text.t(person.locale, 'talk.late.answer', { title: s.title }) },
    { value: 'closed', label: core.text.t(person.locale, 'talk.late.closed', { closed: s.closed }) },
  ];
}

function question(core: Core, person: Person, d: Pick<Dialogue, 'state'>): Message {
  const s = stateOf(d);
  return {
    text: core.text.t(person.locale, 'talk.late.question', { title: s.title, closed: s.closed }),
    question: { kind: 'choice', id: `${LATE}.choice.${s.forId}`, options: options(core, person, s) },
  };
}

/** Asks whether the text answers `about` (titled `title`) or was meant for the question that closed. */
export function askWhichQuestion(core: Core, person: Person, about: Dialogue, title: string, closed: string, text: string): Message {
  const state: LateState = { text, forId: about.id, title, closed };
  return question(core, person, openAside(core, person.id, LATE, String(about.id), state));
}

export function lateAnswerFlow(ports: ConversationPorts): Flow {
  return {
    name: LATE,
    audience: 'private',
    questionId: (d) => `${LATE}.choice.${stateOf(d).forId}`,
    questionKind: () => 'choice',
    ask: (ctx, d) => question(ctx.core, ctx.person, d),
    title: (ctx) => ctx.core.text.t(ctx.person.locale, 'talk.title.late'),
    cancel(ctx, d) {
      closeDialogue(ctx.core, d.id, 'cancelled', 'the person left it');
      return false;
    },
    reply(ctx, d, raw) {
      const s = stateOf(d);
      const opts = options(ctx.core, ctx.person, s);
      const choice = parseChoice(ctx.core, raw, opts);
      if (!choice) return [choiceHelp(ctx.core, ctx.person.locale, opts)];
      closeDialogue(ctx.core, d.id, 'answered');
      const about = getDialogue(ctx.core, s.forId);
      const open = !!about && isOpen(ctx.core, about.id);
      if (choice.value === 'answer') {
        return open ? ports.answer(ctx, about, s.text) : [{ text: ctx.core.text.t(ctx.person.locale, 'talk.expired', { title: s.title }) }];
      }
      // Meant for the question that closed: nothing is stored, and the other question still waits.
      const said = ctx.core.text.t(ctx.person.locale, 'talk.expired', { title: s.closed });
      return [{ text: open ? `${said}\n\n${ctx.core.text.t(ctx.person.locale, 'talk.stillWaiting', { title: s.title })}` : said }];
    },
  };
}
