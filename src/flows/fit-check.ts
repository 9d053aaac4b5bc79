/**
 * The fit check: the day after a pair's first meeting is held, each of the two is asked privately how
 * the match feels (1–5, 5 best, like every scale here). The answer itself is kept nowhere. A low
 * answer (2 or less) offers a request for a new match, which goes to the coordinator alone
 * (src/flows/contact.ts: a direct message and a flag); the person is told exactly who sees it, and
 * the partner is never told. Saying no leaves nothing behind.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { closeDialogue, openDialogues } from '../dialogues';
import { heldMeetingCount } from '../meetings';
import { getPair, partnerName } from '../pairs';
import { getProgramme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { DAY } from '../time';
import { contactForm, sendToCoordinator } from './contact';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, type FormContext, type FormSpec } from './form';
import { withMeeting, type MeetingContext } from './meeting-context';
import { dayAt, pairSubject, plan } from './plan';

export const FIT_ASK = 'fit.ask';

/** At or below this, the fit check offers a new match. */
export const LOW_FIT = 2;

const pairIdOf = (ctx: Pick<FormContext, 'dialogue'>) => ctx.dialogue.state.pairId as number;

/** The questions whose answers go into the pair's shared agreement. */
const SHARED_WITH_PARTNER = new Set(['align', 'alignMentor']);

export const fitForm: FormSpec = {
  name: 'fit',
  steps: {
    feel: { kind: 'rating', min: 1, max: 5 },
    // "Not now" first: declining is the easy way, and asking is a choice.
    rematch: { kind: 'choice', options: ['no', 'ask'] },
  },
  next: (step, answer) => (step === 'feel' && typeof answer === 'number' && answer <= LOW_FIT ? 'rematch' : null),
  vars(ctx) {
    const pair = getPair(ctx.core, pairIdOf(ctx));
    const programmeId = pair?.programmeId ?? 0;
    return {
      other: pair ? partnerName(ctx.core, pair, ctx.person.id) : '',
      ...(pair ? { coordinator: contactForm.vars!({ ...ctx, dialogue: { ...ctx.dialogue, state: { programmeId, pairId: pair.id } } }).coordinator! } : {}),
    };
  },
  stillValid: (ctx) => getPair(ctx.core, pairIdOf(ctx))?.status === 'active',
  finish(ctx, answers) {
    const { core, person } = ctx;
    const vars = fitForm.vars!(ctx);
    const feel = answers.feel as number;
    if (answers.rematch === 'ask') {
      const pair = getPair(core, pairIdOf(ctx))!;
      // Asking to part is no moment to go on agreeing expectations with the partner: what they write
      // next (often more about why) must not land in the agreement the partner reads. `aftale ret` is
      // there should the pair go on.
      for (const d of openDialogues(core, person.id)) {
        if (SHARED_WITH_PARTNER.has(d.flow) && (d.state as { pairId?: number }).pairId === pair.id) closeDialogue(core, d.id, 'stale', 'asked for a new match');
      }
      return [sendToCoordinator(core, person, { programmeId: pair.programmeId, pairId: pair.id }, 'rematch', null)];
    }
    if (answers.rematch === 'no') return [{ text: core.text.t(person.locale, 'fit.thanksLow', vars) }];
    return [{ text: core.text.t(person.locale, feel >= 4 ? 'fit.thanksGood' : 'fit.thanks', vars) }];
  },
};

export const fitFlow = formFlow(fitForm);

const payload = z.object({ pairId: z.number().int() });

export const fitTask: NudgeTask<z.infer<typeof payload>> = {
  kind: FIT_ASK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    const vars = { other: partnerName(core, pair, person.id) };
    return formNudge(fitForm, core, person, { state: { pairId: pair.id } }, core.text.t(person.locale, 'fit.intro', vars), core.text.t(person.locale, 'fit.why', vars));
  },
  delivered({ core, payload, person }) {
    openForm(fitForm, core, person, { state: { pairId: payload.pairId }, expiresAt: core.clock.now() + 7 * DAY });
  },
};

/** The day after the first meeting was held: the fit check for both, at the programme's nudge hour. */
export function planFitCheck(core: Core, m: MeetingContext): void {
  for (const person of [m.mentee, m.mentor]) {
    plan(core, {
      key: `${FIT_ASK}:${m.pair.id}:${person.id}`,
      kind: FIT_ASK,
      personId: person.id,
      subject: pairSubject(m.pair.id),
      payload: { pairId: m.pair.id },
      dueAt: dayAt(core.clock.now(), 1, getProgramme(core, m.pair.programmeId).settings.nudgeHour, person.timezone),
      expiresAt: core.clock.now() + 14 * DAY,
    });
  }
}

export const fitDefinition: FlowDefinition = {
  name: 'fit',
  dialogues: [fitFlow],
  tasks: [fitTask],
  on: {
    'meeting.held': withMeeting((core, m) => {
      if (heldMeetingCount(core, m.pair.id) === 1) planFitCheck(core, m);
    }),
  },
  // The score is kept nowhere; a request for a new match is stored by the contact flow.
  stores: ['coordinator_messages', 'help_requests'],
};
