/**
 * Booking as one flow: the booking dialogues and command (form.ts), the notices about a meeting
 * (notices.ts), and the partner's answer to a booking, with another time or a decline going back to
 * the booker (planning.ts).
 */
import type { FlowDefinition } from '../definition';
import { withMeeting } from '../meeting-context';
import { bookCommand, bookFlow, bookNextTask, manageFlow } from './form';
import { meetingCancelledTask, meetingInviteTask, meetingReminderTask, planCancellationNotices, planMeetingNotices } from './notices';
import { planningFlow, planningOnBooked, planningOnCancelled, planningOnMoved, planningTasks } from './planning';

export const bookingDefinition: FlowDefinition = {
  name: 'booking',
  dialogues: [bookFlow, manageFlow, planningFlow],
  tasks: [meetingInviteTask, meetingCancelledTask, meetingReminderTask, bookNextTask, ...planningTasks],
  commands: [bookCommand],
  on: {
    // The partner's question is planned after the invitation, so the two arrive as one message.
    'meeting.booked': withMeeting((core, m, e) => {
      planMeetingNotices(core, m, { bookedBy: e.by, moved: false });
      planningOnBooked(core, m, e.by);
    }),
    'meeting.moved': withMeeting((core, m, e) => {
      planMeetingNotices(core, m, { bookedBy: e.by, moved: true });
      planningOnMoved(core, m, e.by);
    }),
    'meeting.cancelled': (core, e) => {
      planCancellationNotices(core, e.meeting);
      planningOnCancelled(core, e.meeting.id);
    },
  },
  stores: ['meetings'],
};
