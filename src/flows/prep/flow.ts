/**
 * The preparation dialogue: the four questions of the programme (say, hear, achieve, since last
 * time), one at a time, then the mentee's choice whether the mentor may see the answers.
 */
import type { Core } from '../../core';
import { closeDialogue, moveDialogue, openDialogue, type Dialogue } from '../../dialogues';
import type { ChoiceOption, Message } from '../../message';
import type { Person } from '../../people';
import { meetingSubject } from '../../meetings';
import { planNudge } from '../../scheduler/nudges';
import { choiceHelp, MAX_ANSWER_LENGTH, parseChoice, parseTextAnswer } from '../answers';
import type { Flow, ReplyContext } from '../flow';
import { signpostFor } from '../signposting';
import { isUpcoming, meetingContext, meetingWhen, type MeetingContext } from '../meeting-context';
import { PREP_AGENDA } from './plan';
import { beginPrep, completePrep, prepQuestions, saveAnswer, type PrepQuestion } from './store';

const SHARE = 'share';
const TICKS = 'ticks';

const questionId = (step: string, meetingId: number | null) => `prep.${step}.${meetingId ?? 0}`;

function openActionItems(core: Core, ctx: MeetingContext): { id: number; text: string }[] {
  return core.db
    .prepare('SELECT id, text FROM action_items WHERE pair_id = ? AND done_at IS NULL AND owner_id = ? ORDER BY created_at, id')
    .all(ctx.pair.id, ctx.mentee.id) as { id: number; text: string }[];
}

/** "1 3", "all", "none" (in the person's language) as the items ticked off; null if not that shape. */
function parseTicks(core: Core, person: Person, raw: string, count: number): number[] | null {
  const text = raw.trim().toLowerCase();
  if (text === core.text.t(person.locale, 'prep.ticks.all')) return Array.from({ length: count }, (_, i) => i + 1);
  if (text === core.text.t(person.locale, 'prep.ticks.none')) return [];
  const numbers = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > count)) return null;
  return [...new Set(numbers)];
}

function hasEarlierMeeting(core: Core, ctx: MeetingContext): boolean {
  return !!core.db
    .prepare("SELECT 1 FROM meetings WHERE pair_id = ? AND starts_at < ? AND status IN ('booked', 'held') LIMIT 1")
    .get(ctx.pair.id, ctx.meeting.startsAt);
}

function shareOptions(core: Core, person: Person, ctx: MeetingContext): ChoiceOption[] {
  const vars = { mentor: ctx.mentor.name };
  return [
    { value: 'yes', label: core.text.t(person.locale, 'prep.share.yes', vars) },
    { value: 'no', label: core.text.t(person.locale, 'prep.share.no', vars) },
  ];
}

/** The message that asks one step's question. */
export function askStep(core: Core, person: Person, ctx: MeetingContext, step: PrepQuestion | typeof SHARE | typeof TICKS): Message {
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, { mentor: ctx.mentor.name, ...vars });
  const id = questionId(step, ctx.meeting.id);
  if (step === SHARE) return { text: t('prep.share'), question: { kind: 'choice', id, options: shareOptions(core, person, ctx) } };
  let text = step === TICKS ? t('prep.ticks') : t(`prep.${step}`);
  const items = step === 'since' || step === TICKS ? openActionItems(core, ctx) : [];
  if (step === 'since' && !hasEarlierMeeting(core, ctx)) text = t('prep.sinceFirst');
  if (items.length > 0) text = `${t('prep.sinceItems', { items: items.map((i, n) => `${n + 1}. ${i.text}`).join('\n') })}\n\n${text}`;
  return { text, question: { kind: 'text', id, multiline: true, maxLength: MAX_ANSWER_LENGTH } };
}

/** Opens the prep dialogue for a meeting, at its first question. */
export function openPrepDialogue(core: Core, ctx: MeetingContext): void {
  beginPrep(core, ctx.meeting.id);
  openDialogue(core, {
    personId: ctx.mentee.id,
    flow: 'prep',
    step: prepQuestions[0],
    meetingId: ctx.meeting.id,
    state: {},
    expiresAt: ctx.meeting.startsAt,
  });
}

function finish(ctx: ReplyContext, m: MeetingContext, shared: boolean): Message[] {
  const { core, person } = ctx;
  completePrep(core, m.meeting.id, shared);
  closeDialogue(core, person.id);
  if (shared) {
    planNudge(
      core.db,
      {
        key: `${PREP_AGENDA}:${m.meeting.id}:${core.clock.now()}`,
        kind: PREP_AGENDA,
        personId: m.mentor.id,
        subject: meetingSubject(m.meeting.id),
        payload: { meetingId: m.meeting.id },
        dueAt: core.clock.now(),
        expiresAt: m.meeting.startsAt,
      },
      core.clock.now(),
    );
    core.wake();
  }
  const when = meetingWhen(m.meeting, person);
  return [{ text: core.text.t(person.locale, shared ? 'prep.done.shared' : 'prep.done.private', { mentor: m.mentor.name, when }) }];
}

export const prepFlow: Flow = {
  name: 'prep',
  questionId: (d: Dialogue) => questionId(d.step, d.meetingId),
  reply(ctx, dialogue, answer) {
    const { core, person } = ctx;
    const m = dialogue.meetingId === null ? null : meetingContext(core, dialogue.meetingId);
    if (!m || !isUpcoming(core, m.meeting)) {
      closeDialogue(core, person.id);
      return [{ text: core.text.t(person.locale, 'common.stale') }];
    }
    if (dialogue.step === SHARE) {
      const options = shareOptions(core, person, m);
      const choice = parseChoice(answer, options);
      if (!choice) return [choiceHelp(core, person.locale, options)];
      return finish(ctx, m, choice.value === 'yes');
    }
    if (dialogue.step === TICKS) {
      const items = openActionItems(core, m);
      const ticked = parseTicks(core, person, answer, items.length);
      if (!ticked) return [{ text: core.text.t(person.locale, 'prep.ticks.usage', { count: items.length }) }];
      for (const n of ticked) core.db.prepare('UPDATE action_items SET done_at = ? WHERE id = ?').run(core.clock.now(), items[n - 1]!.id);
      moveDialogue(core, person.id, SHARE);
      return [askStep(core, person, m, SHARE)];
    }
    const step = dialogue.step as PrepQuestion;
    const parsed = parseTextAnswer(core, person.locale, answer, { skippable: true });
    if (!parsed.ok) return [parsed.reply];
    saveAnswer(core, m.meeting.id, step, parsed.value);
    const signpost = parsed.value ? signpostFor(core, person, parsed.value) : null;
    const after = prepQuestions[prepQuestions.indexOf(step) + 1];
    const next = after ?? (openActionItems(core, m).length > 0 ? TICKS : SHARE);
    moveDialogue(core, person.id, next);
    return [...(signpost ? [signpost] : []), askStep(core, person, m, next)];
  },
};
