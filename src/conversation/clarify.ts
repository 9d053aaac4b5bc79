/**
 * "Which did you mean?": a command word typed while a free-text question is open could be either.
 * Nothing is stored or run until the person says; the text waits in this short dialogue (and is gone
 * when it closes or expires after an hour).
 */
import type { Core } from '../core';
import { closeDialogue, getDialogue, isOpen, type Dialogue } from '../dialogues';
import { choiceHelp, parseChoice } from '../flows/answers';
import type { Flow, ReplyContext } from '../flows/flow';
import type { ChoiceOption, Message } from '../message';
import type { Person } from '../people';
import { commandPhrase, type Resolved } from '../commands/words';
import { CLARIFY, openAside } from './aside';
import type { ConversationPorts } from './ports';


interface ClarifyState {
  text: string;
  command: string;
  args: string[];
  forId: number;
  title: string;
}

function options(core: Core, person: Person, s: ClarifyState): ChoiceOption[] {
  const command = commandPhrase(core, person.locale, s.command, s.args);
  return [
    { value: 'command', label: core.text.t(person.locale, 'talk.clarify.command', { command }) },
    { value: 'answer', label: core.text.t(person.locale, 'talk.clarify.answer') },
  ];
}

function question(core: Core, person: Person, d: Pick<Dialogue, 'state'>): Message {
  const s = d.state as unknown as ClarifyState;
  const command = commandPhrase(core, person.locale, s.command, s.args);
  return {
    text: core.text.t(person.locale, 'talk.clarify.question', { command, title: s.title }),
    question: { kind: 'choice', id: `${CLARIFY}.choice.${s.forId}`, options: options(core, person, s) },
  };
}

/** Asks which was meant, holding the text until the person says. */
export function askWhichMeant(core: Core, person: Person, about: Dialogue, title: string, resolved: Resolved, text: string): Message {
  const state: ClarifyState = { text, command: resolved.name, args: resolved.args, forId: about.id, title };
  return question(core, person, openAside(core, person.id, CLARIFY, String(about.id), state));
}

export function clarifyFlow(ports: ConversationPorts): Flow {
  return {
    name: CLARIFY,
    audience: 'private',
    questionId: (d) => `${CLARIFY}.choice.${(d.state as unknown as ClarifyState).forId}`,
    questionKind: () => 'choice',
    ask: (ctx, d) => question(ctx.core, ctx.person, d),
    title: (ctx) => ctx.core.text.t(ctx.person.locale, 'talk.title.clarify'),
    cancel(ctx, d) {
      closeDialogue(ctx.core, d.id, 'cancelled', 'the person left it');
      return false;
    },
    reply(ctx: ReplyContext, d, raw) {
      const s = d.state as unknown as ClarifyState;
      const opts = options(ctx.core, ctx.person, s);
      const choice = parseChoice(ctx.core, raw, opts);
      if (!choice) return [choiceHelp(ctx.core, ctx.person.locale, opts)];
      closeDialogue(ctx.core, d.id, 'answered');
      if (choice.value === 'command') return ports.runCommand(ctx, s.command, s.args);
      const about = getDialogue(ctx.core, s.forId);
      if (!about || !isOpen(ctx.core, about.id)) {
        return [{ text: ctx.core.text.t(ctx.person.locale, 'talk.expired', { title: s.title }) }];
      }
      return ports.answer(ctx, about, s.text);
    },
  };
}
