/**
 * "Which did you mean?": a command word typed while a free-text question is open could be either.
 * Nothing is stored or run until the person says; the text waits in this short dialogue (and is gone
 * when it closes or expires after an hour).
 */
import type { Core } from '../core';
import type { Dialogue } from '../dialogues';
import type { Flow } from '../flows/flow';
import type { Message } from '../message';
import type { Person } from '../people';
import { commandPhrase, type Resolved } from '../commands/words';
import { CLARIFY } from './aside';
import { choiceAside } from './choice-aside';
import type { ConversationPorts } from './ports';

interface ClarifyState {
  text: string;
  command: string;
  args: string[];
  forId: number;
  title: string;
}

const clarify = choiceAside<ClarifyState>({
  name: CLARIFY,
  title: 'talk.title.clarify',
  text: (core, person, s) => core.text.t(person.locale, 'talk.clarify.question', { command: commandPhrase(core, person.locale, s.command, s.args), title: s.title }),
  options: (core, person, s) => [
    { value: 'command', label: core.text.t(person.locale, 'talk.clarify.command', { command: commandPhrase(core, person.locale, s.command, s.args) }) },
    { value: 'answer', label: core.text.t(person.locale, 'talk.clarify.answer') },
  ],
  chosen(ctx, ports, s, value, about) {
    if (value === 'command') return ports.runCommand(ctx, s.command, s.args);
    if (!about) return [{ text: ctx.core.text.t(ctx.person.locale, 'talk.expired', { title: s.title }) }];
    return ports.answer(ctx, about, s.text);
  },
});

/** Asks which was meant, holding the text until the person says. */
export function askWhichMeant(core: Core, person: Person, about: Dialogue, title: string, resolved: Resolved, text: string): Message {
  return clarify.open(core, person, { text, command: resolved.name, args: resolved.args, forId: about.id, title });
}

export function clarifyFlow(ports: ConversationPorts): Flow {
  return clarify.flow(ports);
}
