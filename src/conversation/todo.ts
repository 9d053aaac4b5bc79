/**
 * `todo` (`udestående`): what waits for the person, current first, and a way to pick any of it. With
 * two or more waiting, the list is itself a short question, so a number typed next picks, never
 * answers something else.
 */
import type { Command } from '../commands/command';
import type { Core } from '../core';
import { bringToFront, closeDialogue, getDialogue, isOpen, openDialogues, type Dialogue } from '../dialogues';
import { choiceHelp, parseChoice } from '../flows/answers';
import { formatWhen } from '../flows/datetime';
import type { Flow, ReplyContext } from '../flows/flow';
import type { ChoiceOption, Message } from '../message';
import { isAside, openAside, PICK } from './aside';
import type { ConversationPorts } from './ports';

/** The person's open questions (not the conversation's own), current first. */
export function waitingQuestions(core: Core, personId: number): Dialogue[] {
  return openDialogues(core, personId).filter((d) => !isAside(d.flow));
}

function label(ctx: ReplyContext, ports: ConversationPorts, d: Dialogue, index: number): string {
  const { core, person } = ctx;
  const title = ports.flowOf(d)?.title(ctx, d) ?? d.flow;
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  if (d.snoozedUntil !== null && d.snoozedUntil > core.clock.now()) return t('talk.todo.later', { title, when: formatWhen(d.snoozedUntil, person.timezone, person.locale, core.clock.now()) });
  return index === 0 ? t('talk.todo.current', { title }) : t('talk.todo.waiting', { title });
}

function pickOptions(ctx: ReplyContext, ports: ConversationPorts, ids: number[]): ChoiceOption[] {
  return ids
    .map((id) => getDialogue(ctx.core, id))
    .filter((d): d is Dialogue => !!d)
    .map((d, i) => ({ value: `dialogue-${d.id}`, label: label(ctx, ports, d, i) }));
}

function pickQuestion(ctx: ReplyContext, ports: ConversationPorts, d: Pick<Dialogue, 'id' | 'state'>): Message {
  const ids = d.state.ids as number[];
  const t = (key: string) => ctx.core.text.t(ctx.person.locale, key);
  return { text: `${t('talk.todo.header')}\n\n${t('talk.todo.pick')}`, question: { kind: 'choice', id: `${PICK}.choice.${d.id}`, options: pickOptions(ctx, ports, ids) } };
}

/** Makes the chosen dialogue current and asks its question. */
function take(ctx: ReplyContext, ports: ConversationPorts, d: Dialogue): Message[] {
  bringToFront(ctx.core, d.id);
  const flow = ports.flowOf(d);
  if (!flow) return [];
  const fresh = getDialogue(ctx.core, d.id)!;
  const ask = flow.ask(ctx, fresh);
  return [{ ...ask, text: `${ctx.core.text.t(ctx.person.locale, 'talk.todo.picked', { title: flow.title(ctx, fresh) })}\n\n${ask.text}` }];
}

export function pickFlow(ports: ConversationPorts): Flow {
  return {
    name: PICK,
    audience: 'private',
    questionId: (d) => `${PICK}.choice.${d.id}`,
    questionKind: () => 'choice',
    ask: (ctx, d) => pickQuestion(ctx, ports, d),
    title: (ctx) => ctx.core.text.t(ctx.person.locale, 'talk.title.pick'),
    cancel(ctx, d) {
      closeDialogue(ctx.core, d.id, 'cancelled', 'the person left it');
      return false;
    },
    reply(ctx, d, raw) {
      const opts = pickOptions(ctx, ports, d.state.ids as number[]);
      const choice = parseChoice(ctx.core, raw, opts);
      if (!choice) return [choiceHelp(ctx.core, ctx.person.locale, opts)];
      closeDialogue(ctx.core, d.id, 'answered');
      const chosen = getDialogue(ctx.core, Number(choice.value.replace(/^dialogue-/, '')));
      if (!chosen || !isOpen(ctx.core, chosen.id)) {
        return [{ text: ctx.core.text.t(ctx.person.locale, 'talk.answered') }];
      }
      return take(ctx, ports, chosen);
    },
  };
}

export function todoCommand(ports: ConversationPorts): Command {
  return {
    name: 'todo',
  readOnly: () => true,
    for: ['anyone'],
    run(ctx) {
      const { core, person } = ctx;
      const waiting = waitingQuestions(core, person.id);
      if (waiting.length === 0) return [{ text: core.text.t(person.locale, 'talk.todo.none') }];
      if (waiting.length === 1) return take(ctx, ports, waiting[0]!);
      const d = openAside(core, person.id, PICK, String(person.id), { ids: waiting.map((w) => w.id) });
      return [pickQuestion(ctx, ports, d)];
    },
  };
}
