/**
 * A worry written at a question whose answer goes to the partner: before it is saved (and sent), the
 * person is asked whether it should be. The text waits in this short dialogue and is gone when it
 * closes or expires after an hour; nothing is stored until the person says.
 */
import type { Core } from '../core';
import type { Dialogue } from '../dialogues';
import type { Flow } from '../flows/flow';
import type { Message } from '../message';
import type { Person } from '../people';
import { SHARE_CHECK } from './aside';
import { choiceAside } from './choice-aside';
import type { ConversationPorts } from './ports';

interface ShareState {
  text: string;
  forId: number;
  other: string;
}

const shareCheck = choiceAside<ShareState>({
  name: SHARE_CHECK,
  title: 'talk.title.shareCheck',
  text: (core, person, s) => core.text.t(person.locale, 'talk.share.question', { other: s.other }),
  options: (core, person, s) => [
    { value: 'save', label: core.text.t(person.locale, 'talk.share.save', { other: s.other }) },
    { value: 'rewrite', label: core.text.t(person.locale, 'talk.share.rewrite') },
  ],
  chosen(ctx, ports, s, value, about) {
    const flow = about && ports.flowOf(about);
    if (!about || !flow) return [{ text: ctx.core.text.t(ctx.person.locale, 'talk.answered') }];
    if (value === 'save') return ports.answer(ctx, about, s.text);
    const ask = flow.ask(ctx, about);
    return [{ ...ask, text: `${ctx.core.text.t(ctx.person.locale, 'talk.share.again')}\n\n${ask.text}` }];
  },
});

/** Asks whether the text, which goes to `other`, should be saved as the answer to `about`. */
export function askBeforeSharing(core: Core, person: Person, about: Dialogue, other: string, text: string): Message {
  return shareCheck.open(core, person, { text, forId: about.id, other });
}

export function shareCheckFlow(ports: ConversationPorts): Flow {
  return shareCheck.flow(ports);
}
