/**
 * Job shadowing: at mid-season the mentee is invited to follow the mentor through a working day
 * (almost half the pairs in the programme did), and the mentor is told of the idea. Whether it
 * happened is recorded for the pair (and asked again in the end-of-season survey).
 */
import { z } from 'zod';
import type { Core } from '../core';
import { getPair, partnerName } from '../pairs';
import { getPerson } from '../people';
import { getProgramme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { atLocalTime, DAY, shiftLocalDate } from '../time';
import { midSeason } from './checkin';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, type FormSpec } from './form';
import { pairSubject, plan } from './plan';

export const SHADOW_SUGGEST = 'shadow.suggest';

const shadowForm: FormSpec = {
  name: 'shadow',
  steps: { status: { kind: 'choice', options: ['done', 'planned', 'no'] } },
  finish(ctx, a) {
    ctx.core.db.prepare('UPDATE pairs SET job_shadowing = ? WHERE id = ?').run(a.status, ctx.dialogue.state.pairId);
    return [{ text: ctx.core.text.t(ctx.person.locale, `shadow.thanks.${a.status as string}`) }];
  },
};

export const shadowFlow = formFlow(shadowForm);

const payload = z.object({ pairId: z.number().int() });

export const shadowTask: NudgeTask<z.infer<typeof payload>> = {
  kind: SHADOW_SUGGEST,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    if (core.db.prepare("SELECT 1 FROM pairs WHERE id = ? AND job_shadowing IN ('done', 'no')").get(pair.id)) return { drop: 'already decided' };
    const isMentee = person.id === pair.menteeId;
    const other = partnerName(core, pair, person.id);
    const why = core.text.t(person.locale, 'shadow.why');
    if (!isMentee) return { text: core.text.t(person.locale, 'shadow.mentor', { other }), why };
    return formNudge(shadowForm, core, person, { state: { pairId: pair.id } }, core.text.t(person.locale, 'shadow.mentee', { other }), why);
  },
  delivered({ core, payload, person }) {
    const pair = getPair(core, payload.pairId)!;
    if (person.id === pair.menteeId) openForm(shadowForm, core, person, { state: { pairId: pair.id }, expiresAt: core.clock.now() + 21 * DAY });
  },
};

/** At match: the suggestion the day after mid-season's check-in, to both. */
export function planShadowing(core: Core, pairId: number): void {
  const pair = getPair(core, pairId)!;
  const programme = getProgramme(core, pair.programmeId);
  const mid = midSeason(programme.startsOn, programme.endsOn);
  for (const personId of [pair.menteeId, pair.mentorId]) {
    const zone = getPerson(core, personId)!.timezone;
    const day = shiftLocalDate(atLocalTime(mid, 12, 0, zone), 1, zone);
    plan(core, { key: `${SHADOW_SUGGEST}:${pairId}:${personId}`, kind: SHADOW_SUGGEST, personId, subject: pairSubject(pairId), payload: { pairId }, dueAt: atLocalTime(day, programme.settings.nudgeHour, 0, zone) });
  }
}

export const shadowingDefinition: FlowDefinition = {
  name: 'shadowing',
  dialogues: [shadowFlow],
  tasks: [shadowTask],
  on: { 'pair.matched': (core, e) => planShadowing(core, e.pairId) },
  stores: ['pairs'],
};
