/**
 * What falls due for one person together goes as one message: every notice in order, then the
 * first question (with its buttons), and a line saying that further questions follow, each asked
 * when the one before is answered (their dialogues wait in the person's queue).
 */
import type { Core } from '../core';
import type { Message } from '../message';
import type { Person } from '../people';

export interface Part {
  message: Message;
}

/**
 * The parts in the person's order (at most one with a question) as one message, saying how many
 * further questions (`laterQuestions`) will follow it.
 */
export function bundle(core: Core, person: Person, parts: readonly Part[], laterQuestions = 0): { message: Message; questionAt: number } {
  if (parts.length === 1 && laterQuestions === 0) return { message: parts[0]!.message, questionAt: parts[0]!.message.question ? 0 : -1 };
  const questionAt = parts.findIndex((p) => p.message.question);
  const notices = parts.filter((p, i) => !p.message.question && i !== questionAt).map((p) => p.message);
  const texts = notices.map((m) => m.text);
  const more = laterQuestions > 0 ? core.text.t(person.locale, laterQuestions === 1 ? 'talk.bundle.oneMore' : 'talk.bundle.more', { count: laterQuestions }) : null;
  // The question comes last, right above its buttons; a note of the questions to follow goes before it.
  if (questionAt >= 0) texts.push(more ? `${more}\n\n${parts[questionAt]!.message.text}` : parts[questionAt]!.message.text);
  else if (more) texts.push(more);
  const whys = [...new Set(parts.map((p) => p.message.why).filter((w): w is string => !!w))];
  const attachments = parts.flatMap((p) => p.message.attachments ?? []);
  const message: Message = { text: texts.join('\n\n———\n\n') };
  if (whys.length) message.why = joinWhys(core, person, whys);
  if (questionAt >= 0) message.question = parts[questionAt]!.message.question;
  if (attachments.length) message.attachments = attachments;
  return { message, questionAt };
}

/**
 * Several reasons as one sentence where they share the opening ("You're getting this because you're
 * part of X and you've been matched with Y."); reasons worded otherwise follow as they are.
 */
function joinWhys(core: Core, person: Person, whys: string[]): string {
  const lead = core.text.t(person.locale, 'talk.why.lead');
  const shared = whys.filter((w) => w.startsWith(`${lead} `)).map((w) => w.slice(lead.length + 1).replace(/\.$/, ''));
  if (shared.length < 2) return whys.join(' ');
  const others = whys.filter((w) => !w.startsWith(`${lead} `));
  const and = core.text.t(person.locale, 'talk.why.and');
  const reasons = shared.length === 2 ? shared.join(` ${and} `) : `${shared.slice(0, -1).join(', ')} ${and} ${shared.at(-1)}`;
  return [`${lead} ${reasons}.`, ...others].join(' ');
}
