/**
 * The unruly part of the cast: people who answer a day late, press old buttons, type commands in the
 * middle of a form, or say "not yet". Each trick goes through the bot's front door like any answer;
 * what the bot did that a person would find surprising is written down, for the test to show.
 */
import type { Bot } from '../../src/bot';
import type { Message } from '../../src/message';
import { HOUR } from '../../src/time';
import type { Delivery } from '../helpers/fake-messenger';
import { answer, respond, type Agent } from './agents';

/** A question a 'late' person will get round to answering. */
export interface Later {
  at: number;
  agent: Agent;
  delivery: Delivery;
}

export interface Stage {
  bot: Bot;
  now: number;
  /** Questions put aside by late people, answered when their time comes. */
  later: Later[];
  /** What the bot did that the person would not expect (the test expects none). */
  surprises: string[];
}

/** How long a 'late' person leaves a question: past the next day's nudges. */
export const LATENESS = 30 * HOUR;

/** The subject a question id is about: "book.when.3" and "book.when.3.confirm" are about "book:3". */
export function subjectOf(questionId: string): string {
  const [flow, , id] = questionId.split('.');
  return `${flow}:${id}`;
}

/** Answers whatever the bot is waiting for from the person, until it waits for nothing. */
export function settle(bot: Bot, agent: Agent, now: number, replies: Message[]): void {
  for (let guard = 0; guard < 40; guard += 1) {
    const id = bot.waitingFor(agent.personId);
    if (!id) return;
    const value = answer(agent, { id }, now);
    if (value === null) return;
    const result = bot.handle(agent.personId, { type: 'answer', questionId: id, value });
    (agent.state.answered ??= []).push({ id, value, at: now });
    replies.push(...result.replies);
    if (result.answered === null && bot.waitingFor(agent.personId) === id) return; // refused: leave it waiting
  }
}

function say(stage: Stage, agent: Agent, text: string, replies: Message[]) {
  const result = stage.bot.handle(agent.personId, { type: 'text', text });
  replies.push(...result.replies);
  return result;
}

/** Presses the button of an older, closed question, then types an answer meant for another question. */
function wrong(stage: Stage, agent: Agent, asked: NonNullable<Message['question']>, replies: Message[]): void {
  const { bot } = stage;
  const open = bot.openQuestions(agent.personId);
  const flow = asked.id.split('.')[0];
  const old = [...(agent.state.answered ?? [])].reverse().find((a) => !open.includes(a.id) && a.id.split('.')[0] !== flow && !/^(clarify|pick)\./.test(a.id));
  if (old) {
    agent.state.plays = (agent.state.plays ?? 0) + 1;
    const result = bot.handle(agent.personId, { type: 'answer', questionId: old.id, value: old.value });
    replies.push(...result.replies);
    if (result.answered !== null) stage.surprises.push(`${agent.personId}: an old button ${old.id} answered ${result.answered}`);
    if (JSON.stringify(bot.openQuestions(agent.personId)) !== JSON.stringify(open)) stage.surprises.push(`${agent.personId}: an old button ${old.id} changed the open questions`);
  }
  if (bot.waitingFor(agent.personId) !== asked.id || asked.kind === 'text') return;
  const meantElsewhere = asked.kind === 'datetime' ? 'cafe' : agent.locale === 'en' ? 'Update LinkedIn' : 'Opdatere LinkedIn';
  const result = say(stage, agent, meantElsewhere, replies);
  if (result.answered !== null || bot.waitingFor(agent.personId) !== asked.id) {
    stage.surprises.push(`${agent.personId}: "${meantElsewhere}" typed at ${asked.id} answered ${result.answered}, now waiting for ${bot.waitingFor(agent.personId)}`);
  }
}

/**
 * What a 'commander' types at a free-text question, in turns: a command that only shows something
 * (help, todo) runs and the question waits; one that does something is asked about first, and the
 * person says what they meant, or leaves the "which did you mean?" with the other language's cancel.
 */
type Trick = { da: string[]; en: string[]; meant: 'command' | 'answer' | 'cancel' | 'shown' };
const atText: Trick[] = [
  { da: ['hjælp'], en: ['hjælp'], meant: 'shown' },
  { da: ['pause', 'fortsæt'], en: ['pause', 'resume'], meant: 'command' },
  { da: ['skridt klaret 1'], en: ['actions done 1'], meant: 'answer' },
  { da: ['udestående'], en: ['todo'], meant: 'shown' },
  { da: ['pause'], en: ['pause'], meant: 'cancel' },
];

/** Types commands mid-form and answers the "which did you mean?" question; or asks what is waiting. */
function commander(stage: Stage, agent: Agent, asked: NonNullable<Message['question']>, replies: Message[]): void {
  const { bot } = stage;
  if (bot.waitingFor(agent.personId) !== asked.id) return;
  const play = (agent.state.plays = (agent.state.plays ?? 0) + 1);
  if (asked.kind !== 'text') {
    // At a choice or a date, a command word cannot be the answer: it runs, and the question waits.
    const word = agent.locale === 'en' ? 'udestående' : 'todo';
    const result = say(stage, agent, word, replies);
    if (!result.replies.some((m) => m.question)) stage.surprises.push(`${agent.personId}: "${word}" at ${asked.id} showed no question to take`);
    if (bot.waitingFor(agent.personId) === null) stage.surprises.push(`${agent.personId}: "${word}" at ${asked.id} left nothing waiting`);
    return;
  }
  const trick = atText[play % atText.length]!;
  for (const text of trick[agent.locale]) {
    const result = say(stage, agent, text, replies);
    const clarify = result.replies.find((m) => m.question?.id.startsWith('clarify.'))?.question;
    if (trick.meant === 'shown') {
      // "udestående" with one question waiting asks it again; with more, the list is a question of its own.
      const back = bot.waitingFor(agent.personId);
      if (clarify || result.answered !== null || (back !== asked.id && !back?.startsWith('pick.'))) {
        stage.surprises.push(`${agent.personId}: "${text}" at ${asked.id} did not just show something: now waiting for ${back}`);
      }
      continue;
    }
    if (!clarify) {
      stage.surprises.push(`${agent.personId}: "${text}" at ${asked.id} was not asked about: ${result.replies.map((m) => m.text.slice(0, 60)).join(' | ')}`);
      return;
    }
    const chosen =
      trick.meant === 'cancel'
        ? bot.handle(agent.personId, { type: 'text', text: agent.locale === 'en' ? 'annuller' : 'cancel' })
        : bot.handle(agent.personId, { type: 'answer', questionId: clarify.id, value: trick.meant });
    replies.push(...chosen.replies);
    const now = bot.waitingFor(agent.personId);
    if (trick.meant !== 'answer' && now !== asked.id) stage.surprises.push(`${agent.personId}: after "${text}" (${trick.meant}), ${asked.id} was no longer waiting (now ${now})`);
    if (trick.meant === 'answer' && now === asked.id) stage.surprises.push(`${agent.personId}: "${text}" given as the answer to ${asked.id} was not taken`);
  }
}

/** Says "not yet" to booking and alignment questions (in the other language's words); answers when asked again. */
function notYet(stage: Stage, agent: Agent, delivery: Delivery, asked: NonNullable<Message['question']>, replies: Message[]): boolean {
  const { bot } = stage;
  if (delivery.key.startsWith('talk.reask:') || !/^(book|align|alignMentor)\./.test(asked.id) || bot.waitingFor(agent.personId) !== asked.id) return false;
  const word = agent.locale === 'en' ? 'ikke endnu' : 'not yet';
  const result = say(stage, agent, word, replies);
  if (bot.openQuestions(agent.personId).includes(asked.id) === false) stage.surprises.push(`${agent.personId}: "${word}" at ${asked.id} closed the question`);
  if (bot.waitingFor(agent.personId) === asked.id) stage.surprises.push(`${agent.personId}: "${word}" at ${asked.id} did not put it off`);
  if (result.answered !== null) stage.surprises.push(`${agent.personId}: "${word}" at ${asked.id} counted as an answer`);
  (agent.state.putOff ??= []).push({ subject: subjectOf(asked.id), at: stage.now });
  return true;
}

/** How a person with one of these behaviours takes a delivered message. */
export function react(stage: Stage, agent: Agent, delivery: Delivery, replies: Message[]): void {
  const asked = delivery.message.question;
  const { bot, now } = stage;
  if (!asked) return;
  switch (agent.behaviour) {
    case 'late':
      stage.later.push({ at: now + LATENESS, agent, delivery });
      return;
    case 'wrong':
      wrong(stage, agent, asked, replies);
      respond(bot, agent, delivery, now, replies);
      settle(bot, agent, now, replies);
      return;
    case 'commander':
      commander(stage, agent, asked, replies);
      settle(bot, agent, now, replies);
      return;
    case 'notYet':
      if (notYet(stage, agent, delivery, asked, replies)) settle(bot, agent, now, replies);
      else respond(bot, agent, delivery, now, replies);
      return;
    default:
      respond(bot, agent, delivery, now, replies);
  }
}

/** The late person gets round to it: the old message's button first, then whatever follows. */
export function catchUp(stage: Stage, item: Later, replies: Message[]): void {
  respond(stage.bot, item.agent, item.delivery, stage.now, replies);
}
