/**
 * Onboarding when a participant joins (at the season's start, or at once in a running one), and
 * the introduction when a pair is matched (or a mentee gets a new mentor after an unmatch): who the
 * other is, questions to get to know each other, and for the mentee, the question of when to meet first.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { nextMeeting } from '../meetings';
import { getPair, type Pair } from '../pairs';
import { firstName, getPerson, requirePerson, type Person, type Role } from '../people';
import { getProgramme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { atLocalTime, parseLocalDate } from '../time';
import { bookForm } from './booking/form';
import type { FlowDefinition } from './definition';
import { formNudge, startForm } from './form';
import { pairSubject, plan } from './plan';

export const ONBOARDING = 'onboarding.welcome';
export const INTRODUCTION = 'intro.match';

/** Each role's welcome speaks to that role: the mentee plans; the mentor coaches from experience. */
const welcomeParts = {
  mentee: ['welcome.mentee', 'welcome.mentee.rules', 'welcome.mentee.role'],
  mentor: ['welcome.mentor', 'welcome.mentor.rules', 'welcome.mentor.stance', 'welcome.mentor.questions'],
} as const;

const onboardingPayload = z.object({ programmeId: z.number().int(), role: z.enum(['mentee', 'mentor']) });

export const onboardingTask: NudgeTask<z.infer<typeof onboardingPayload>> = {
  kind: ONBOARDING,
  payload: onboardingPayload,
  compose({ core, payload, person }) {
    const programme = getProgramme(core, payload.programmeId);
    const t = (key: string) =>
      core.text.t(person.locale, key, { name: firstName(person.name), programme: programme.name, contact: programme.settings.contacts.coordinator ?? core.text.t(person.locale, 'welcome.noContact') });
    return { text: [...welcomeParts[payload.role], 'welcome.contact'].map(t).join('\n\n'), why: t('welcome.why') };
  },
};

/** The season's first day at the nudge hour; now, once the season has begun. */
function seasonStart(core: Core, programmeId: number, zone: string): number {
  const programme = getProgramme(core, programmeId);
  const firstDay = parseLocalDate(programme.startsOn)!;
  if (atLocalTime(firstDay, 0, 0, zone) <= core.clock.now()) return core.clock.now();
  return atLocalTime(firstDay, programme.settings.nudgeHour, 0, zone);
}

/** Onboarding when the season begins, or now if it is running. */
export function planOnboarding(core: Core, programmeId: number, person: Person, role: Exclude<Role, 'coordinator'>): void {
  plan(core, { key: `${ONBOARDING}:${programmeId}:${person.id}`, kind: ONBOARDING, personId: person.id, payload: { programmeId, role }, dueAt: seasonStart(core, programmeId, person.timezone) });
  core.wake();
}

function profileLine(core: Core, person: Person, reader: Person, programmeId: number): string {
  const row = core.db.prepare('SELECT profile FROM participants WHERE programme_id = ? AND person_id = ? AND role <> ? LIMIT 1').get(programmeId, person.id, 'coordinator') as { profile: string } | undefined;
  const p = JSON.parse(row?.profile ?? '{}') as Record<string, unknown>;
  const t = (key: string, vars: Record<string, string>) => core.text.t(reader.locale, key, vars);
  const parts: string[] = [];
  if (p.job_title || p.company) parts.push(t('intro.profile.work', { title: String(p.job_title ?? '—'), company: String(p.company ?? '—') }));
  if (p.education) parts.push(t('intro.profile.education', { education: String(p.education) }));
  if (p.faculty) parts.push(t('intro.profile.faculty', { faculty: String(p.faculty) }));
  const interests = Array.isArray(p.interests) ? p.interests.join(', ') : typeof p.interests === 'string' ? p.interests : '';
  if (interests) parts.push(t('intro.profile.interests', { interests }));
  return parts.map((l) => `• ${l}`).join('\n');
}

/** True when the person had an earlier pair in this programme, in the same role (a re-match). */
function hadEarlierPair(core: Core, pair: Pair, personId: number, role: 'mentee' | 'mentor'): boolean {
  const column = role === 'mentee' ? 'mentee_id' : 'mentor_id';
  return !!core.db.prepare(`SELECT 1 FROM pairs WHERE programme_id = ? AND ${column} = ? AND id <> ? AND status = 'ended'`).get(pair.programmeId, personId, pair.id);
}

const introPayload = z.object({ pairId: z.number().int() });

export const introductionTask: NudgeTask<z.infer<typeof introPayload>> = {
  kind: INTRODUCTION,
  opensDialogue: true,
  payload: introPayload,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    const isMentee = person.id === pair.menteeId;
    const other = getPerson(core, isMentee ? pair.mentorId : pair.menteeId)!;
    const vars = { name: firstName(person.name), other: other.name, profile: profileLine(core, other, person, pair.programmeId) };
    const role = isMentee ? 'mentee' : 'mentor';
    const head = core.text.t(person.locale, hadEarlierPair(core, pair, person.id, role) ? `intro.${role}.again` : `intro.${role}`, vars);
    const text = `${head.trimEnd()}\n\n${core.text.t(person.locale, `intro.${role}.questions`, vars)}`;
    const why = core.text.t(person.locale, 'intro.why', vars);
    if (!isMentee || nextMeeting(core, pair.id)) return { text, why };
    return formNudge(bookForm, core, person, { state: { pairId: pair.id } }, `${text}\n\n${core.text.t(person.locale, 'intro.book', vars)}`, why);
  },
  delivered({ core, payload, person }) {
    const pair = getPair(core, payload.pairId)!;
    if (person.id === pair.menteeId && !nextMeeting(core, pair.id)) startForm(bookForm, core, person, { state: { pairId: pair.id } });
  },
};

/** The introduction to both, after the onboarding (planned later, so sent after it). */
export function planIntroduction(core: Core, pairId: number): void {
  const pair = getPair(core, pairId)!;
  for (const personId of [pair.menteeId, pair.mentorId]) {
    const zone = getPerson(core, personId)!.timezone;
    plan(core, { key: `${INTRODUCTION}:${pairId}:${personId}`, kind: INTRODUCTION, personId, subject: pairSubject(pairId), payload: { pairId }, dueAt: seasonStart(core, pair.programmeId, zone) });
  }
  core.wake();
}

export const welcomeDefinition: FlowDefinition = {
  name: 'welcome',
  tasks: [onboardingTask, introductionTask],
  on: {
    'participant.joined': (core, e) => planOnboarding(core, e.programmeId, requirePerson(core, e.personId), e.role),
    'pair.matched': (core, e) => planIntroduction(core, e.pairId),
  },
};
