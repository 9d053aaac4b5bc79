/** Booking as one flow: the booking dialogues and command (form.ts) and the notices about a meeting (notices.ts). */
import type { FlowDefinition } from '../definition';
import { withMeeting } from '../meeting-context';
import { bookCommand, bookFlow, bookNextTask, manageFlow } from './form';
import { meetingCancelledTask, meetingInviteTask, meetingReminderTask, planCancellationNotices, planMeetingNotices } from './notices';

export const bookingDefinition: FlowDefinition = {
  name: 'booking',
  dialogues: [bookFlow, manageFlow],
  tasks: [meetingInviteTask, meetingCancelledTask, meetingReminderTask, bookNextTask],
  commands: [bookCommand],
  on: {
    'meeting.booked': withMeeting((core, m, e) => planMeetingNotices(core, m, { bookedBy: e.by, moved: false })),
    'meeting.moved': withMeeting((core, m, e) => planMeetingNotices(core, m, { bookedBy: e.by, moved: true })),
    'meeting.cancelled': (core, e) => planCancellationNotices(core, e.meeting),
  },
  stores: ['meetings'],
};
