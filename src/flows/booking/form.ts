/**
 * Booking: the mentee (or the mentor) books, moves or cancels a meeting: date and time, length,
 * place or format, and then where exactly (free text) or, online, the meeting link. The bot records
 * what they chose; it never picks a time for them. The partner is then asked whether the time suits
 * them (planning.ts).
 */
import { z } from 'zod';
import type { Core } from '../../core';
import { bookMeeting, cancelMeeting, getMeeting, meetingLinkSchema, moveMeeting, nextMeeting } from '../../meetings';
import type { Message } from '../../message';
import { activePairsOf, getPair, partnerName, type Pair } from '../../pairs';
import { firstName, getPerson, type Person } from '../../people';
import { getProgramme } from '../../programme/programmes';
import type { NudgeTask } from '../../scheduler/task';
import type { Command } from '../../commands/command';
import { formFlow, formNudge, openForm, startForm, type FormContext, type FormSpec, type Step } from '../form';
import { meetingWhen } from '../meeting-context';

export const BOOK_NEXT = 'book.next';

const lengths = ['30', '60', '90', '120'];
const places = ['cafe', 'walk', 'online', 'workplace', 'campus'];

/** The longest place a meeting holds (as meetings.ts allows). */
const MAX_PLACE = 200;

function pairOf(ctx: FormContext): Pair | null {
  return getPair(ctx.core, ctx.dialogue.state.pairId as number);
}

/** Where exactly, on one line, within the length a meeting holds. */
const whereStep: Step = {
  kind: 'text',
  skippable: true,
  parse(ctx, raw) {
    const place = raw.replace(/\s*\r?\n\s*/g, ', ').trim();
    if (place.length > MAX_PLACE) return { ok: false, reply: { text: ctx.core.text.t(ctx.person.locale, 'book.where.tooLong', { max: MAX_PLACE }) } };
    return { ok: true, value: place };
  },
};

/** The online-meeting link: a whole http(s) address, or a clear word on what to paste instead. */
const linkStep: Step = {
  kind: 'text',
  skippable: true,
  parse(ctx, raw) {
    const link = meetingLinkSchema.safeParse(raw);
    if (!link.success) return { ok: false, reply: { text: ctx.core.text.t(ctx.person.locale, 'book.link.invalid') } };
    return { ok: true, value: link.data };
  },
};

export const bookForm: FormSpec = {
  name: 'book',
  steps: {
    when: { kind: 'datetime' },
    length: { kind: 'choice', options: lengths },
    place: { kind: 'choice', options: places },
    where: whereStep,
    link: linkStep,
  },
  next(step, answer, _answers, ctx) {
    // Moving keeps length and place; another time for a meeting the partner could not make keeps them too.
    if (step === 'when' && (ctx.dialogue.state.moveMeetingId || ctx.dialogue.state.fromMeetingId)) return null;
    if (step === 'place') return answer === 'online' ? 'link' : 'where';
    if (step === 'where' || step === 'link') return null;
    return undefined;
  },
  vars(ctx) {
    const pair = pairOf(ctx);
    return {
      other: pair ? partnerName(ctx.core, pair, ctx.person.id) : '',
      mentor: pair ? firstName(getPerson(ctx.core, pair.mentorId)?.name ?? '') : '',
    };
  },
  stillValid: (ctx) => pairOf(ctx)?.status === 'active',
  season(ctx) {
    const pair = pairOf(ctx);
    return pair ? getProgramme(ctx.core, pair.programmeId) : null;
  },
  finish(ctx, a) {
    const { core, person } = ctx;
    const pair = pairOf(ctx)!;
    const moveId = ctx.dialogue.state.moveMeetingId as number | undefined;
    const other = partnerName(core, pair, person.id);
    if (moveId) {
      const moved = moveMeeting(core, moveId, a.when as number, person.id);
      return [{ text: core.text.t(person.locale, 'book.moved', { when: meetingWhen(core, moved, person), other }) }];
    }
    const fromId = ctx.dialogue.state.fromMeetingId as number | undefined;
    const earlier = fromId ? getMeeting(core, fromId) : null;
    let details: { durationMin: number; place: string | null; onlineUrl: string | null };
    if (earlier) details = { durationMin: earlier.durationMin, place: earlier.place, onlineUrl: earlier.onlineUrl };
    else {
      // The place is stored as words: "at the mentor's workplace" names the mentor, whoever booked;
      // where exactly, when given, says it better.
      const words = core.text.t(person.locale, `book.place.${a.place as string}`, { mentor: firstName(getPerson(core, pair.mentorId)?.name ?? '') });
      details = { durationMin: Number(a.length), place: (a.where as string | null | undefined) || words, onlineUrl: (a.link as string | null | undefined) ?? null };
    }
    const meeting = bookMeeting(core, { pairId: pair.id, startsAt: a.when as number, ...details, bookedBy: person.id });
    return [{ text: core.text.t(person.locale, 'book.done', { when: meetingWhen(core, meeting, person), other }) }];
  },
};

/** What to do with a meeting already booked: book another, move it, cancel it, or keep it. */
export const manageForm: FormSpec = {
  name: 'manage',
  steps: { action: { kind: 'choice', options: ['another', 'move', 'cancel', 'keep'] } },
  vars(ctx) {
    const meeting = getMeeting(ctx.core, ctx.dialogue.meetingId!);
    return { when: meeting ? meetingWhen(ctx.core, meeting, ctx.person) : '' };
  },
  stillValid: (ctx) => getMeeting(ctx.core, ctx.dialogue.meetingId!)?.status === 'booked',
  finish(ctx, a) {
    const { core, person } = ctx;
    const meeting = getMeeting(core, ctx.dialogue.meetingId!)!;
    switch (a.action) {
      case 'another':
        return [startForm(bookForm, core, person, { state: { pairId: meeting.pairId } })];
      case 'move':
        return [startForm(bookForm, core, person, { state: { pairId: meeting.pairId, moveMeetingId: meeting.id } })];
      case 'cancel':
        cancelMeeting(core, meeting.id, person.id);
        return [{ text: core.text.t(person.locale, 'book.cancelled', { when: meetingWhen(core, meeting, person) }) }];
      default:
        return [{ text: core.text.t(person.locale, 'book.kept') }];
    }
  },
};

export const bookFlow = formFlow(bookForm);
export const manageFlow = formFlow(manageForm);

/** Starts booking for a person's pair: straight to the date, or first what to do with the booked one. */
export function startBooking(core: Core, person: Person, pair: Pair): Message {
  const booked = nextMeeting(core, pair.id);
  if (booked) return startForm(manageForm, core, person, { meetingId: booked.id });
  return startForm(bookForm, core, person, { state: { pairId: pair.id } });
}

export const bookCommand: Command = {
  name: 'book',
  for: ['mentee', 'mentor'],
  run({ core, person }) {
    const pairs = activePairsOf(core, person.id);
    const pair = pairs.find((p) => p.menteeId === person.id) ?? pairs[0];
    if (!pair) return [{ text: core.text.t(person.locale, 'common.notParticipant') }];
    return [startBooking(core, person, pair)];
  },
};

const payload = z.object({ pairId: z.number().int(), reason: z.enum(['next', 'first', 'quiet']).default('next') });

/** Asks the mentee to book, with the date question right there; dropped once something is booked. */
export const bookNextTask: NudgeTask<z.infer<typeof payload>> = {
  kind: BOOK_NEXT,
  opensDialogue: true,
  payload,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    if (nextMeeting(core, pair.id)) return { drop: 'a meeting is booked' };
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
    return formNudge(bookForm, core, person, { state: { pairId: pair.id } }, t(`book.nudge.${payload.reason}`, { other: partnerName(core, pair, person.id) }), t(`book.why.${payload.reason}`));
  },
  delivered({ core, payload, person }) {
    openForm(bookForm, core, person, { state: { pairId: payload.pairId } });
  },
};
