/** Reflection a few days after a meeting: what worked, what did not. Private to the mentee. */
import { z } from 'zod';
import { firstName } from '../people';
import type { Core } from '../core';
import { meetingSubject } from '../meetings';
import type { NudgeTask } from '../scheduler/task';
import { DAY } from '../time';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, startForm, type FormSpec } from './form';
import { meetingContext, meetingWhen, withMeeting, type MeetingContext } from './meeting-context';
import { dayAt, plan } from './plan';

export const REFLECT_ASK = 'reflect.ask';

const reflectForm: FormSpec = {
  name: 'reflect',
  steps: { worked: { kind: 'text', skippable: true }, notWorked: { kind: 'text', skippable: true } },
  finish(ctx, a) {
    const { core, person } = ctx;
    core.db
      .prepare(
        `INSERT INTO reflections (meeting_id, person_id, worked, did_not_work, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (meeting_id, person_id) DO UPDATE SET worked = excluded.worked, did_not_work = excluded.did_not_work`,
      )
      .run(ctx.dialogue.meetingId, person.id, a.worked, a.notWorked, core.clock.now());
    return [{ text: core.text.t(person.locale, 'reflect.thanks') }];
  },
};

export const reflectFlow = formFlow(reflectForm);

const payload = z.object({ meetingId: z.number().int() });

export const reflectTask: NudgeTask<z.infer<typeof payload>> = {
  kind: REFLECT_ASK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || m.meeting.status === 'cancelled' || m.meeting.status === 'missed') return { drop: 'the meeting did not take place' };
    if (core.db.prepare('SELECT 1 FROM reflections WHERE meeting_id = ? AND person_id = ?').get(m.meeting.id, person.id)) return { drop: 'already reflected' };
    const intro = core.text.t(person.locale, 'reflect.intro', { when: meetingWhen(core, m.meeting, person), mentor: firstName(m.mentor.name) });
    return formNudge(reflectForm, core, person, { meetingId: m.meeting.id }, intro, core.text.t(person.locale, 'reflect.why'));
  },
  delivered({ core, payload, person }) {
    startForm(reflectForm, core, person, { meetingId: payload.meetingId, expiresAt: core.clock.now() + 7 * DAY });
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

export const reflectionDefinition: FlowDefinition = {
  name: 'reflection',
  dialogues: [reflectFlow],
  tasks: [reflectTask],
  on: { 'meeting.booked': withMeeting(planReflection), 'meeting.moved': withMeeting(planReflection) },
  stores: ['reflections'],
};
