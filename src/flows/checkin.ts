/**
 * Match check-in, after the second meeting or at mid-season, whichever comes first: each of the
 * two rates the professional and the personal match from 1 to 5, privately. A low score flags the
 * pair for the coordinator, who sees that it scored low, never who said what. The mentee then
 * rates progress on each goal of the agreement (goals.ts).
 */
import { z } from 'zod';
import type { Core } from '../core';
import { syncPairFlags } from '../coordinator/flags';
import { heldMeetingCount } from '../meetings';
import { getPair, partnerName } from '../pairs';
import { getPerson } from '../people';
import { getProgramme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { atLocalTime, parseLocalDate, DAY } from '../time';
import { startContact } from './contact';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, type FormSpec } from './form';
import { askGoalRatings } from './goals';
import { withMeeting, type MeetingContext } from './meeting-context';
import { dayAt, pairSubject, plan } from './plan';

export const CHECKIN_ASK = 'checkin.ask';

/** The middle of the season, as a local date. */
export function midSeason(startsOn: string, endsOn: string) {
  const a = Date.parse(`${startsOn}T12:00:00Z`);
  const b = Date.parse(`${endsOn}T12:00:00Z`);
  return parseLocalDate(new Date(a + Math.round((b - a) / DAY / 2) * DAY).toISOString().slice(0, 10))!;
}

const checkinForm: FormSpec = {
  name: 'checkin',
  steps: { professional: { kind: 'rating', min: 1, max: 5 }, personal: { kind: 'rating', min: 1, max: 5 } },
  finish(ctx, a) {
    const { core, person } = ctx;
    const pairId = ctx.dialogue.state.pairId as number;
    const pair = getPair(core, pairId)!;
    const low = getProgramme(core, pair.programmeId).settings.lowMatchScore;
    core.db
      .prepare(
        `INSERT INTO checkins (pair_id, person_id, professional, personal, answered_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (pair_id, person_id) DO UPDATE SET professional = excluded.professional, personal = excluded.personal, answered_at = excluded.answered_at`,
      )
      .run(pairId, person.id, a.professional, a.personal, core.clock.now());
    // The coordinator's flag now, and an alert at once for the lowest score (src/coordinator/flags.ts).
    syncPairFlags(core, pairId);
    const flagged = Math.min(a.professional as number, a.personal as number) <= low;
    const thanks = { text: core.text.t(person.locale, flagged ? 'checkin.thanksLow' : 'checkin.thanks') };
    // The mentee rates progress on the goals of the agreement, privately (goals.ts): now, or right after
    // the offer below (opened first, it waits just behind it).
    const goals = askGoalRatings(core, person, pairId, 'mid', { expiresAt: core.clock.now() + 14 * DAY });
    // A low check-in offers to write privately to the coordinator (src/flows/contact.ts); the partner is never told.
    if (flagged) return [thanks, startContact(core, person, { programmeId: pair.programmeId, pairId }, 'checkin')];
    return goals ? [thanks, goals] : [thanks];
  },
};

export const checkinFlow = formFlow(checkinForm);

const payload = z.object({ pairId: z.number().int() });

export const checkinTask: NudgeTask<z.infer<typeof payload>> = {
  kind: CHECKIN_ASK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    if (core.db.prepare('SELECT 1 FROM checkins WHERE pair_id = ? AND person_id = ?').get(pair.id, person.id)) return { drop: 'already answered' };
    const other = partnerName(core, pair, person.id);
    return formNudge(checkinForm, core, person, { state: { pairId: pair.id } }, core.text.t(person.locale, 'checkin.intro', { other }), core.text.t(person.locale, 'checkin.why'));
  },
  delivered({ core, payload, person }) {
    openForm(checkinForm, core, person, { state: { pairId: payload.pairId }, expiresAt: core.clock.now() + 14 * DAY });
  },
};

function planCheckin(core: Core, pairId: number, personId: number, dueAt: number): void {
  plan(core, { key: `${CHECKIN_ASK}:${pairId}:${personId}`, kind: CHECKIN_ASK, personId, subject: pairSubject(pairId), payload: { pairId }, dueAt, earliest: true });
}

/** At match: the check-in at mid-season, for both. */
export function planMidSeasonCheckin(core: Core, pairId: number): void {
  const pair = getPair(core, pairId)!;
  const programme = getProgramme(core, pair.programmeId);
  for (const personId of [pair.menteeId, pair.mentorId]) {
    const zone = getPerson(core, personId)!.timezone;
    planCheckin(core, pairId, personId, atLocalTime(midSeason(programme.startsOn, programme.endsOn), programme.settings.nudgeHour, 0, zone));
  }
}

/** After the second meeting: the check-in the next day, if that is sooner than mid-season. */
export function planEarlyCheckin(core: Core, m: MeetingContext): void {
  for (const person of [m.mentee, m.mentor]) planCheckin(core, m.pair.id, person.id, dayAt(core.clock.now(), 1, m.programme.settings.nudgeHour, person.timezone));
}

export const checkinDefinition: FlowDefinition = {
  name: 'checkin',
  dialogues: [checkinFlow],
  tasks: [checkinTask],
  on: {
    'pair.matched': (core, e) => planMidSeasonCheckin(core, e.pairId),
    'meeting.held': withMeeting((core, m) => {
      if (heldMeetingCount(core, m.pair.id) === 2) planEarlyCheckin(core, m);
    }),
  },
  stores: ['checkins', 'pairs'],
};
