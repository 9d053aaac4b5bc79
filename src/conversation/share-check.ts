/**
 * A worry written at a question whose answer goes to the partner: before it is saved (and sent), the
 * person is asked whether it should be. The text waits in this short dialogue and is gone when it
 * closes or expires after an hour; nothing is stored until the person says.
 */
import type { Core } from '../core';
import { closeDialogue, getDialogue, isOpen, type Dialogue } from '../dialogues';
import { choiceHelp, parseChoice } from '../flows/answers';
import type { Flow } from '../flows/flow';
import type { ChoiceOption, Message } from '../message';
import type { Person } from '../people';
import { openAside, SHARE_CHECK } from './aside';
import type { ConversationPorts } from './ports';

interface ShareState {
  text: string;
  forId: number;
  other: string;
}

const stateOf = (d: Pick<Dialogue, 'state'>) => d.state as unknown as ShareState;

function options(core: Core, person: Person, s: ShareState): ChoiceOption[] {
  return [
    { value: 'save', label: core.text.t(person.locale, 'talk.share.save', { other: s.other }) },
    { value: 'rewrite', label: core.text.t(person.locale, 'talk.share.rewrite') },
  ];
}

function question(core: Core, person: Person, d: Pick<Dialogue, 'state'>): Message {
  const s = stateOf(d);
  return {
    text: core.text.t(person.locale, 'talk.share.question', { other: s.other }),
    question: { kind: 'choice', id: `${SHARE_CHECK}.choice.${s.forId}`, options: options(core, person, s) },
  };
}

/** Asks whether the text, which goes to `other`, should be saved as the answer to `about`. */
export function askBeforeSharing(core: Core, person: Person, about: Dialogue, other: string, text: string): Message {
  const state: ShareState = { text, forId: about.id, other };
  return question(core, person, openAside(core, person.id, SHARE_CHECK, String(about.id), state));
}

export function shareCheckFlow(ports: ConversationPorts): Flow {
  return {
    name: SHARE_CHECK,
    audience: 'private',
    questionId: (d) => `${SHARE_CHECK}.choice.${stateOf(d).forId}`,
    questionKind: () => 'choice',
    ask: (ctx, d) => question(ctx.core, ctx.person, d),
    title: (ctx) => ctx.core.text.t(ctx.person.locale, 'talk.title.shareCheck'),
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
      const flow = about && ports.flowOf(about);
      if (!about || !flow || !isOpen(ctx.core, about.id)) {
        return [{ text: ctx.core.text.t(ctx.person.locale, 'talk.answered') }];
      }
      if (choice.value === 'save') return ports.answer(ctx, about, s.text);
      const ask = flow.ask(ctx, about);
      return [{ ...ask, text: `${ctx.core.text.t(ctx.person.locale, 'talk.share.again')}\n\n${ask.text}` }];
    },
  };
}
