/**
 * The shape the conversation's asides about another question share (clarify, shareCheck, late): a
 * choice between a few options, what the person typed held in the aside's state until they choose. Once
 * they choose, the aside closes and its `chosen` decides, given the question it was about while that is
 * still open. Nothing of the held text is stored before that.
 */
import type { Core } from '../core';
import { closeDialogue, getDialogue, isOpen, type Dialogue } from '../dialogues';
import { choiceHelp, parseChoice } from '../flows/answers';
import type { Flow, ReplyContext } from '../flows/flow';
import type { ChoiceOption, Message } from '../message';
import type { Person } from '../people';
import { openAside } from './aside';
import type { ConversationPorts } from './ports';

export interface ChoiceAside<S extends { forId: number }> {
  name: string;
  /** The prompt key of its title (as a waiting question is named). */
  title: string;
  text(core: Core, person: Person, s: S): string;
  options(core: Core, person: Person, s: S): ChoiceOption[];
  /** What the choice does, the aside closed; `about` is the question it was about, or null once that has closed. */
  chosen(ctx: ReplyContext, ports: ConversationPorts, s: S, value: string, about: Dialogue | null): Message[];
}

export interface ChoiceAsideFlow<S extends { forId: number }> {
  flow(ports: ConversationPorts): Flow;
  /** Opens the aside as the person's current dialogue and returns its question. */
  open(core: Core, person: Person, state: S): Message;
}

export function choiceAside<S extends { forId: number }>(a: ChoiceAside<S>): ChoiceAsideFlow<S> {
  const stateOf = (d: Pick<Dialogue, 'state'>) => d.state as unknown as S;
  const question = (core: Core, person: Person, s: S): Message => ({
    text: a.text(core, person, s),
    question: { kind: 'choice', id: `${a.name}.choice.${s.forId}`, options: a.options(core, person, s) },
  });
  return {
    open: (core, person, state) => question(core, person, stateOf(openAside(core, person.id, a.name, String(state.forId), state))),
    flow: (ports) => ({
      name: a.name,
      audience: 'private',
      questionId: (d) => `${a.name}.choice.${stateOf(d).forId}`,
      questionKind: () => 'choice',
      ask: (ctx, d) => question(ctx.core, ctx.person, stateOf(d)),
      title: (ctx) => ctx.core.text.t(ctx.person.locale, a.title),
      cancel(ctx, d) {
        closeDialogue(ctx.core, d.id, 'cancelled', 'the person left it');
        return false;
      },
      reply(ctx, d, raw) {
        const s = stateOf(d);
        const opts = a.options(ctx.core, ctx.person, s);
        const choice = parseChoice(ctx.core, raw, opts);
        if (!choice) return [choiceHelp(ctx.core, ctx.person.locale, opts)];
        closeDialogue(ctx.core, d.id, 'answered');
        const about = getDialogue(ctx.core, s.forId);
        return a.chosen(ctx, ports, s, choice.value, about && isOpen(ctx.core, about.id) ? about : null);
      },
    }),
  };
}
