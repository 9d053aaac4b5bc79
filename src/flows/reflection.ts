/**
 * Reflection a few days after a meeting: what worked, what did not. The mentee is asked after every
 * meeting booked; the mentor after every meeting the mentee recorded as held (a meeting that never
 * happened is nothing to reflect on). Each person's answers are theirs alone: stored per person,
 * shown only in their own `mydata` and export, never to the partner or the coordinator.
 */
import { z } from 'zod';
import { firstName } from '../people';
import type { Core } from '../core';
import { meetingSubject } from '../meetings';
import type { NudgeTask } from '../scheduler/task';
import { DAY } from '../time';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, type FormSpec } from './form';
import { meetingContext, meetingWhen, withMeeting, type MeetingContext } from './meeting-context';
import { dayAt, plan } from './plan';

export const REFLECT_ASK = 'reflect.ask';
export const REFLECT_MENTOR_ASK = 'reflect.mentor';

/** A reflection form: two free-text questions, saved under the person who answers. */
function reflectionForm(name: 'reflect' | 'reflectMentor'): FormSpec {
  return {
    name,
    steps: { worked: { kind: 'text', skippable: true }, notWorked: { kind: 'text', skippable: true } },
    vars(ctx) {
      const m = ctx.dialogue.meetingId === null ? null : meetingContext(ctx.core, ctx.dialogue.meetingId);
      return { mentee: m ? firstName(m.mentee.name) : '', mentor: m ? firstName(m.mentor.name) : '' };
    },
    finish(ctx, a) {
      const { core, person } = ctx;
      // A mentor who skips both questions has reflected nothing: no row. (The mentee's row also says "asked".)
      if (name === 'reflectMentor' && a.worked === null && a.notWorked === null) return [{ text: core.text.t(person.locale, 'reflectMentor.skipped') }];
      core.db
        .prepare(
          `INSERT INTO reflections (meeting_id, person_id, worked, did_not_work, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (meeting_id, person_id) DO UPDATE SET worked = excluded.worked, did_not_work = excluded.did_not_work`,
        )
        .run(ctx.dialogue.meetingId, person.id, a.worked, a.notWorked, core.clock.now());
      return [{ text: core.text.t(person.locale, `${name}.thanks`) }];
    },
  };
}

const reflectForm = reflectionForm('reflect');
const mentorReflectForm = reflectionForm('reflectMentor');

export const reflectFlow = formFlow(reflectForm);
export const mentorReflectFlow = formFlow(mentorReflectForm);

const payload = z.object({ meetingId: z.number().int() });

const reflected = (core: Core, meetingId: number, personId: number) => !!core.db.prepare('SELECT 1 FROM reflections WHERE meeting_id = ? AND person_id = ?').get(meetingId, personId);

export const reflectTask: NudgeTask<z.infer<typeof payload>> = {
  kind: REFLECT_ASK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || m.meeting.status === 'cancelled' || m.meeting.status === 'missed') return { drop: 'the meeting did not take place' };
    if (reflected(core, m.meeting.id, person.id)) return { drop: 'already reflected' };
    const intro = core.text.t(person.locale, 'reflect.intro', { when: meetingWhen(core, m.meeting, person), mentor: firstName(m.mentor.name) });
    return formNudge(reflectForm, core, person, { meetingId: m.meeting.id }, intro, core.text.t(person.locale, 'reflect.why'));
  },
  delivered({ core, payload, person }) {
    openForm(reflectForm, core, person, { meetingId: payload.meetingId, expiresAt: core.clock.now() + 7 * DAY });
  },
};

export const mentorReflectTask: NudgeTask<z.infer<typeof payload>> = {
  kind: REFLECT_MENTOR_ASK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || m.meeting.status !== 'held') return { drop: 'the meeting did not take place' };
    if (m.pair.status !== 'active') return { drop: 'the pair has ended' };
    if (reflected(core, m.meeting.id, person.id)) return { drop: 'already reflected' };
    const vars = { when: meetingWhen(core, m.meeting, person), mentee: firstName(m.mentee.name) };
    return formNudge(mentorReflectForm, core, person, { meetingId: m.meeting.id }, core.text.t(person.locale, 'reflectMentor.intro', vars), core.text.t(person.locale, 'reflectMentor.why'));
  },
  delivered({ core, payload, person }) {
    openForm(mentorReflectForm, core, person, { meetingId: payload.meetingId, expiresAt: core.clock.now() + 7 * DAY });
  },
};

export function planReflection(core: Core, m: MeetingContext): void {
  plan(core, {
    key: `${REFLECT_ASK}:${m.meeting.id}:${m.meeting.startsAt}`,
    kind: REFLECT_ASK,
    personId: m.mentee.id,
    subject: meetingSubject(m.meeting.id),
    payload: { meetingId: m.meeting.id },
    dueAt: dayAt(m.meeting.startsAt, m.programme.settings.reflectionDays, m.programme.settings.nudgeHour, m.mentee.timezone),
    expiresAt: m.meeting.startsAt + 14 * DAY,
  });
}

/** When the mentee records the meeting as held: the mentor's own reflection, as many days after the meeting as the mentee's. */
export function planMentorReflection(core: Core, m: MeetingContext): void {
  const expiresAt = m.meeting.startsAt + 14 * DAY;
  const dueAt = Math.max(core.clock.now(), dayAt(m.meeting.startsAt, m.programme.settings.reflectionDays, m.programme.settings.nudgeHour, m.mentor.timezone));
  if (dueAt >= expiresAt) return;
  plan(core, {
    key: `${REFLECT_MENTOR_ASK}:${m.meeting.id}`,
    kind: REFLECT_MENTOR_ASK,
    personId: m.mentor.id,
    subject: meetingSubject(m.meeting.id),
    payload: { meetingId: m.meeting.id },
    dueAt,
    expiresAt,
  });
}

export const reflectionDefinition: FlowDefinition = {
  name: 'reflection',
  dialogues: [reflectFlow, mentorReflectFlow],
  tasks: [reflectTask, mentorReflectTask],
  on: {
    'meeting.booked': withMeeting(planReflection),
    'meeting.moved': withMeeting(planReflection),
    'meeting.held': withMeeting(planMentorReflection),
  },
  stores: ['reflections'],
};
