/**
 * Alerts that come to the coordinator, so nobody has to poll `status`:
 * - the daily sweep (silent, at SWEEP_HOUR in the coordinator's zone) syncs the flags of the
 *   coordinator's programmes, which raises what time alone brings (a quiet pair), and plans the next
 *   sweep and the Monday digest;
 * - the weekly digest, Monday at the nudge hour in the coordinator's zone: new flags with their reason,
 *   pairs quiet, surveys waiting for an answer, people Sparring cannot reach; skipped (dropped) when
 *   there is nothing; turned off and on with `digest off|on` (`ugeoversigt fra|til`);
 * - an alert at once for what needs action now (a request for help or a new match, a check-in at the
 *   lowest score), dropped if a coordinator has seen the flag before it could go out.
 * Each is a planned nudge keyed so it is planned once and delivered once; quiet hours and pauses apply
 * as to every unprompted message. Counts, dates and names only: nothing a participant wrote.
 */
import { z } from 'zod';
import type { Core } from '../core';
import type { FlowDefinition, MeetingEvent } from '../flows/definition';
import { surveyWindow } from '../flows/survey';
import type { Message } from '../message';
import type { Person } from '../people';
import { getProgramme, type Programme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { formatLocal } from '../time';
import { getFlag, liveFlags, syncPairFlags, syncProgrammeFlags, type Flag } from './flags';
import {
  digestEnabled,
  ensureSchedules,
  isCoordinatorOf,
  planNextDigest,
  planNextSweep,
  RISK_ALERT,
  RISK_DIGEST,
  RISK_SWEEP,
  watchedProgrammesOf,
} from './notify';
import { flagLine, pairNames, reasonText } from './risk-text';

const sweepPayload = z.object({});

export const riskSweepTask: NudgeTask<z.infer<typeof sweepPayload>> = {
  kind: RISK_SWEEP,
  payload: sweepPayload,
  compose: () => ({ silent: 'flags synced with the pairs’ facts' }),
  delivered({ core, person }) {
    for (const programme of watchedProgrammesOf(core, person.id)) syncProgrammeFlags(core, programme.id);
    planNextSweep(core, person.id);
    planNextDigest(core, person.id);
  },
};

/** Most new flags a digest lists by name per programme; the rest are counted. */
const LISTED = 15;

/** What a digest says about one programme, or null when there is nothing to say. */
export function digestSection(core: Core, person: Person, programme: Programme, from: number): string | null {
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  const now = core.clock.now();
  const live = liveFlags(core, programme.id).filter((f) => f.state !== 'resolved');
  const fresh = live.filter((f) => Date.parse(f.raisedAt) >= from && Date.parse(f.raisedAt) <= now);
  const quiet = live.filter((f) => f.code === 'quiet').length;
  const unreachable = new Set<number>();
  for (const f of live.filter((x) => x.code === 'unreachable')) {
    const pair = core.db.prepare('SELECT mentee_id AS mentee, mentor_id AS mentor FROM pairs WHERE id = ?').get(f.pairId) as { mentee: number; mentor: number };
    if (typeof f.detail.mentee === 'number') unreachable.add(pair.mentee);
    if (typeof f.detail.mentor === 'number') unreachable.add(pair.mentor);
  }
  const surveys = surveysPending(core, programme, now);
  if (fresh.length === 0 && quiet === 0 && unreachable.size === 0 && surveys === 0) return null;
  const lines = [t('risk.digest.title', { programme: programme.name })];
  if (fresh.length > 0) {
    lines.push(t('risk.digest.new', { n: fresh.length }));
    for (const f of fresh.slice(0, LISTED)) lines.push(flagLine(core, person, f, pairNames(core, f.pairId)));
    if (fresh.length > LISTED) lines.push(t('risk.status.more', { n: fresh.length - LISTED }));
  }
  lines.push(t('risk.digest.counts', { quiet, surveys, unreachable: unreachable.size }));
  const example = fresh[0] ?? live[0];
  if (example) lines.push(t('risk.digest.hint', { id: example.id }));
  return lines.join('\n');
}

/** People asked to answer the evaluation who have not, while it is open. */
function surveysPending(core: Core, programme: Programme, now: number): number {
  const window = surveyWindow(programme, programme.timezone);
  if (now < window.opens || now >= window.closes) return 0;
  return core.db
    .prepare(
      `SELECT count(DISTINCT n.person_id) FROM nudges n
        WHERE n.kind = 'survey.ask' AND n.status = 'delivered' AND n.subject = ?
          AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.programme_id = ? AND r.person_id = n.person_id)`,
    )
    .pluck()
    .get(`survey:${programme.id}`, programme.id) as number;
}

const digestPayload = z.object({ from: z.number().int() });

export const riskDigestTask: NudgeTask<z.infer<typeof digestPayload>> = {
  kind: RISK_DIGEST,
  payload: digestPayload,
  compose({ core, payload, person }) {
    if (!digestEnabled(core, person.id)) return { drop: 'the coordinator turned the digest off' };
    const programmes = watchedProgrammesOf(core, person.id);
    // The flags as they are now (this writes: a raised flag is recorded before it is reported).
    for (const programme of programmes) syncProgrammeFlags(core, programme.id);
    planNextDigest(core, person.id);
    const sections = programmes.map((p) => digestSection(core, person, p, payload.from)).filter((s): s is string => s !== null);
    if (sections.length === 0) return { drop: 'nothing to report this week' };
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
    return {
      text: [t('risk.digest.intro', { date: formatLocal(core.clock.now(), person.timezone, person.locale, 'date') }), ...sections].join('\n\n'),
      why: t('risk.digest.why'),
    };
  },
};

const alertPayload = z.object({ flagId: z.number().int() });

/** The alert at once about one flag, in the coordinator's language. */
export function alertMessage(core: Core, person: Person, flag: Flag): Message {
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  const programme = getProgramme(core, flag.programmeId);
  const names = pairNames(core, flag.pairId);
  return {
    text: [
      t('risk.alert.title', { pair: `${names.mentee} & ${names.mentor}`, programme: programme.name }),
      t('risk.alert.body', { reason: reasonText(core, person, flag.code, flag.detail, names), date: formatLocal(Date.parse(flag.raisedAt), person.timezone, person.locale) }),
      t('risk.alert.hint', { id: flag.id }),
    ].join('\n'),
    why: t('risk.alert.why', { programme: programme.name }),
  };
}

export const riskAlertTask: NudgeTask<z.infer<typeof alertPayload>> = {
  kind: RISK_ALERT,
  payload: alertPayload,
  compose({ core, payload, person }) {
    const flag = getFlag(core, payload.flagId);
    if (!flag || flag.clearedAt) return { drop: 'its reason has gone' };
    if (flag.state !== 'open') return { drop: 'a coordinator has seen the flag' };
    if (!isCoordinatorOf(core, person.id, flag.programmeId)) return { drop: 'no longer a coordinator of the programme' };
    return alertMessage(core, person, flag);
  },
};

/** A meeting booked, moved or held can only take a reason away (quiet): synced when the pair has a live flag. */
const onMeeting = (core: Core, event: MeetingEvent) => {
  if (core.db.prepare('SELECT 1 FROM flags WHERE pair_id = ? AND cleared_at IS NULL').get(event.meeting.pairId)) syncPairFlags(core, event.meeting.pairId);
};

/** A meeting that was missed or cancelled: the pair's flags now, and the coordinators' sweeps and digests in place. */
const onSetback = (core: Core, event: MeetingEvent) => {
  syncPairFlags(core, event.meeting.pairId);
  const programmeId = core.db.prepare('SELECT programme_id FROM pairs WHERE id = ?').pluck().get(event.meeting.pairId) as number | undefined;
  if (programmeId !== undefined) ensureSchedules(core, programmeId);
};

/**
 * Registered with the flows (src/flows/registry.ts) for its tasks and because it reacts to the
 * season's events: a match plans the coordinators' sweeps and digests; any change to a meeting syncs
 * the pair's flags at once (a booking clears "quiet", a missed meeting may raise it).
 */
export const riskDefinition: FlowDefinition = {
  name: 'risk',
  tasks: [riskSweepTask, riskDigestTask, riskAlertTask],
  on: {
    'pair.matched': (core, e) => ensureSchedules(core, e.programmeId),
    'meeting.booked': onMeeting,
    'meeting.moved': onMeeting,
    'meeting.held': onMeeting,
    'meeting.cancelled': onSetback,
    'meeting.missed': onSetback,
  },
  stores: ['flags', 'help_requests', 'coordinator_digest'],
};
