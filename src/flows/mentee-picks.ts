/**
 * Mentee-picks mode (a programme's `matching: 'mentee-picks'`): each unmatched mentee is shown their
 * three best suggestions with the reasons and picks one; the mentor is asked and accepts or declines;
 * a decline (or a mentor who has no room left) lets the mentee pick again from the others. A mentor is
 * shown to the mentee by name, job title, company and interests, never contact data; the mentee to the
 * mentor by name, faculty, education and interests. A request waiting for the mentor's answer holds a
 * place in the mentor's capacity (src/coordinator/matching.ts counts it).
 */
import { z } from 'zod';
import type { Core } from '../core';
import { confirmMatch, suggestMatches, unmatchedMentees, type Suggestion } from '../coordinator/matching';
import { closeDialogue, openDialogue, type Dialogue } from '../dialogues';
import type { ChoiceOption, Message } from '../message';
import { getPerson, type Person } from '../people';
import { getProgramme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { inTransaction } from '../store/database';
import { DAY } from '../time';
import { choiceHelp, parseChoice } from './answers';
import type { FlowDefinition } from './definition';
import type { Flow, ReplyContext } from './flow';
import { plan } from './plan';

export const PICK = 'season.pick';
export const REQUEST = 'season.request';
export const ACCEPT = 'season.accept';

const ANSWER_DAYS = 14;

const pickPayload = z.object({
  programmeId: z.number().int(),
  /** Mentors who declined this mentee (or had no room): not shown again. */
  declined: z.array(z.number().int()).default([]),
  /** The mentor who just declined, named kindly in the new choice. */
  after: z.number().int().optional(),
});
type PickPayload = z.infer<typeof pickPayload>;

const requestPayload = z.object({ programmeId: z.number().int(), menteeId: z.number().int(), declined: z.array(z.number().int()).default([]) });
type RequestPayload = z.infer<typeof requestPayload>;

const profileOf = (core: Core, programmeId: number, personId: number, role: 'mentee' | 'mentor'): Record<string, unknown> => {
  const row = core.db.prepare('SELECT profile FROM participants WHERE programme_id = ? AND person_id = ? AND role = ?').get(programmeId, personId, role) as { profile: string } | undefined;
  return row ? (JSON.parse(row.profile) as Record<string, unknown>) : {};
};

const listOf = (value: unknown) => (Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : typeof value === 'string' ? value : '');

const hasActivePair = (core: Core, programmeId: number, menteeId: number) =>
  !!core.db.prepare("SELECT 1 FROM pairs WHERE programme_id = ? AND mentee_id = ? AND status = 'active'").get(programmeId, menteeId);

/** The mentee's choices now: the three best mentors with room, leaving out those who declined. */
function choicesFor(core: Core, programmeId: number, menteeId: number, declined: readonly number[]): Suggestion[] {
  return suggestMatches(core, programmeId, 3, { menteeId, exclude: declined });
}

/** The choices as the mentee reads them: name, job title and company, interests, the reasons. */
function choicesText(core: Core, person: Person, programmeId: number, choices: Suggestion[]): string {
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  return choices
    .map((c, i) => {
      const p = profileOf(core, programmeId, c.mentorId, 'mentor');
      const title = [p.job_title, p.company].filter((x) => typeof x === 'string' && x.trim()).join(', ');
      const reasons = c.reasons.filter((r) => r.reason !== 'capacity').map((r) => t(`season.reason.${r.reason}`, { detail: r.detail ?? '' }));
      return [
        t('season.pick.option', { rank: i + 1, mentor: c.mentor, work: title ? t('season.pick.work', { title }) : '' }),
        listOf(p.interests) ? t('season.pick.interests', { interests: listOf(p.interests) }) : null,
        reasons.length ? t('season.pick.reasons', { reasons: reasons.join(', ') }) : null,
        c.warnings.some((w) => w.warning === 'language') ? t('season.pick.danish') : null,
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n\n');
}

// A closed dialogue keeps no state: its question id is then only the flow's.
const pickQuestionId = (d: Pick<Dialogue, 'state'>) => `${PICK}.${String(d.state.programmeId ?? '')}.${((d.state.declined as number[] | undefined) ?? []).length}`;

function pickMessage(core: Core, person: Person, state: { programmeId: number; declined: number[]; options: number[] }, intro?: string): Message {
  const choices = choicesFor(core, state.programmeId, person.id, state.declined).filter((c) => state.options.includes(c.mentorId));
  const options: ChoiceOption[] = choices.map((c) => ({ value: String(c.mentorId), label: c.mentor }));
  const text = [intro, choicesText(core, person, state.programmeId, choices), core.text.t(person.locale, 'season.pick.question')].filter(Boolean).join('\n\n');
  return { text, question: { kind: 'choice', id: pickQuestionId({ state }), options } };
}

/** The mentee picks one of the mentors shown; the mentor is then asked. */
export const pickFlow: Flow = {
  name: PICK,
  audience: 'private',
  questionId: pickQuestionId,
  questionKind: () => 'choice',
  ask: (ctx, d) => pickMessage(ctx.core, ctx.person, d.state as { programmeId: number; declined: number[]; options: number[] }),
  title: (ctx) => ctx.core.text.t(ctx.person.locale, `talk.title.${PICK}`),
  cancel(ctx, d) {
    closeDialogue(ctx.core, d.id, 'cancelled', 'the person left it');
    return false;
  },
  reply(ctx: ReplyContext, d: Dialogue, raw: string): Message[] {
    const { core, person } = ctx;
    const state = d.state as { programmeId: number; declined: number[]; options: number[] };
    const shown = pickMessage(core, person, state);
    const options = shown.question?.kind === 'choice' ? shown.question.options : [];
    if (options.length === 0 || hasActivePair(core, state.programmeId, person.id)) {
      closeDialogue(core, d.id, 'stale', 'no choice left');
      return [{ text: core.text.t(person.locale, hasActivePair(core, state.programmeId, person.id) ? 'talk.lostPoint' : 'season.pick.none', { title: core.text.t(person.locale, `talk.title.${PICK}`) }) }];
    }
    const choice = parseChoice(core, raw, options);
    if (!choice) return [choiceHelp(core, person.locale, options)];
    const mentorId = Number(choice.value);
    return inTransaction(core.db, () => {
      closeDialogue(core, d.id, 'answered');
      const n = (core.db.prepare('SELECT count(*) AS n FROM nudges WHERE kind = ? AND person_id = ?').get(REQUEST, mentorId) as { n: number }).n;
      const payload: RequestPayload = { programmeId: state.programmeId, menteeId: person.id, declined: state.declined };
      plan(core, { key: `${REQUEST}:${state.programmeId}:${person.id}:${mentorId}:${n}`, kind: REQUEST, personId: mentorId, subject: `programme:${state.programmeId}`, payload, dueAt: core.clock.now() });
      core.wake();
      return [{ text: core.text.t(person.locale, 'season.pick.asked', { mentor: choice.label }) }];
    });
  },
};

/** Plans the mentee's choice (again, after a decline). */
export function planPick(core: Core, programmeId: number, menteeId: number, declined: number[] = [], after?: number): void {
  const n = (core.db.prepare('SELECT count(*) AS n FROM nudges WHERE kind = ? AND person_id = ?').get(PICK, menteeId) as { n: number }).n;
  const payload: PickPayload = { programmeId, declined, ...(after !== undefined ? { after } : {}) };
  plan(core, { key: `${PICK}:${programmeId}:${menteeId}:${n}`, kind: PICK, personId: menteeId, subject: `programme:${programmeId}`, payload, dueAt: core.clock.now() });
  core.wake();
}

/** Sends the choice to every unmatched mentee with nothing under way; returns how many. One transaction. */
export function offerPicks(core: Core, programmeId: number): number {
  return inTransaction(core.db, () => {
    const idle = unmatchedMentees(core, programmeId).filter((m) => m.waiting === null);
    for (const m of idle) planPick(core, programmeId, m.menteeId);
    return idle.length;
  });
}

export const pickTask: NudgeTask<PickPayload> = {
  kind: PICK,
  payload: pickPayload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    if (hasActivePair(core, payload.programmeId, person.id)) return { drop: 'the mentee has a mentor' };
    const programme = getProgramme(core, payload.programmeId);
    const choices = choicesFor(core, payload.programmeId, person.id, payload.declined);
    const why = core.text.t(person.locale, 'season.pick.why', { programme: programme.name });
    if (choices.length === 0) return { text: core.text.t(person.locale, 'season.pick.none'), why };
    const declinedBy = payload.after !== undefined ? getPerson(core, payload.after)?.name : undefined;
    const intro = declinedBy ? core.text.t(person.locale, 'season.pick.again', { mentor: declinedBy }) : core.text.t(person.locale, 'season.pick.intro', { programme: programme.name });
    return { ...pickMessage(core, person, { programmeId: payload.programmeId, declined: payload.declined, options: choices.map((c) => c.mentorId) }, intro), why };
  },
  delivered({ core, payload, person }) {
    const options = choicesFor(core, payload.programmeId, person.id, payload.declined).map((c) => c.mentorId);
    if (options.length === 0) return;
    openDialogue(core, {
      personId: person.id,
      flow: PICK,
      subject: `${PICK}:${payload.programmeId}`,
      step: 'pick',
      meetingId: null,
      state: { programmeId: payload.programmeId, declined: payload.declined, options },
      expiresAt: core.clock.now() + ANSWER_DAYS * DAY,
    });
  },
};

const acceptQuestionId = (d: Pick<Dialogue, 'state'>) => `${ACCEPT}.${String(d.state.programmeId ?? '')}.${String(d.state.menteeId ?? '')}`;

function acceptOptions(core: Core, person: Person): ChoiceOption[] {
  return (['yes', 'no'] as const).map((value) => ({ value, label: core.text.t(person.locale, `season.accept.${value}`) }));
}

function acceptMessage(core: Core, person: Person, state: RequestPayload, withIntro: boolean): Message {
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  const mentee = getPerson(core, state.menteeId)?.name ?? '';
  const p = profileOf(core, state.programmeId, state.menteeId, 'mentee');
  const about = [p.faculty, p.education, listOf(p.interests)].filter((x) => typeof x === 'string' && x.trim()).join(' · ');
  const programme = getProgramme(core, state.programmeId).name;
  const text = [withIntro ? t('season.accept.intro', { mentee, programme }) : null, about ? t('season.accept.about', { mentee, about }) : null, t('season.accept.question', { mentee })]
    .filter(Boolean)
    .join('\n\n');
  return { text, question: { kind: 'choice', id: acceptQuestionId({ state }), options: acceptOptions(core, person) } };
}

/** The mentor accepts the mentee who picked them (the pair is matched and introduced) or declines. */
export const acceptFlow: Flow = {
  name: ACCEPT,
  audience: 'private',
  questionId: acceptQuestionId,
  questionKind: () => 'choice',
  ask: (ctx, d) => acceptMessage(ctx.core, ctx.person, d.state as RequestPayload, true),
  title: (ctx) => ctx.core.text.t(ctx.person.locale, `talk.title.${ACCEPT}`),
  cancel(ctx, d) {
    // Leaving the question is no answer: the mentee may choose again.
    const state = d.state as RequestPayload;
    inTransaction(ctx.core.db, () => {
      closeDialogue(ctx.core, d.id, 'cancelled', 'the person left it');
      if (!hasActivePair(ctx.core, state.programmeId, state.menteeId)) planPick(ctx.core, state.programmeId, state.menteeId, [...state.declined, ctx.person.id], ctx.person.id);
    });
    return false;
  },
  reply(ctx, d, raw) {
    const { core, person } = ctx;
    const state = d.state as RequestPayload;
    const options = acceptOptions(core, person);
    const choice = parseChoice(core, raw, options);
    if (!choice) return [choiceHelp(core, person.locale, options)];
    const mentee = getPerson(core, state.menteeId)?.name ?? '';
    const say = (key: string) => [{ text: core.text.t(person.locale, `season.accept.${key}`, { mentee }) }];
    return inTransaction(core.db, () => {
      closeDialogue(core, d.id, 'answered');
      const again = () => planPick(core, state.programmeId, state.menteeId, [...state.declined, person.id], person.id);
      if (choice.value === 'no') {
        again();
        return say('declined');
      }
      const confirmed = confirmMatch(core, state.programmeId, state.menteeId, person.id);
      if (confirmed.ok) return say('done');
      if (confirmed.problem === 'taken' || confirmed.problem === 'notMentee') return say('taken');
      again();
      return say(confirmed.problem === 'repeat' ? 'repeat' : 'full');
    });
  },
};

export const requestTask: NudgeTask<RequestPayload> = {
  kind: REQUEST,
  payload: requestPayload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    if (hasActivePair(core, payload.programmeId, payload.menteeId)) return { drop: 'the mentee has a mentor' };
    const programme = getProgramme(core, payload.programmeId).name;
    return { ...acceptMessage(core, person, payload, true), why: core.text.t(person.locale, 'season.accept.why', { programme }) };
  },
  delivered({ core, payload, person }) {
    openDialogue(core, {
      personId: person.id,
      flow: ACCEPT,
      subject: `${ACCEPT}:${payload.programmeId}:${payload.menteeId}`,
      step: 'answer',
      meetingId: null,
      state: payload,
      expiresAt: core.clock.now() + ANSWER_DAYS * DAY,
    });
  },
};

export const menteePicksDefinition: FlowDefinition = {
  name: 'mentee-picks',
  dialogues: [pickFlow, acceptFlow],
  tasks: [pickTask, requestTask],
  stores: ['pairs'],
};
