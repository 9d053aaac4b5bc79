/** Every kind of nudge the scheduler knows, one handler each. */
import { afterAskTask } from './flows/after-meeting';
import { alignTask } from './flows/alignment';
import { bookNextTask } from './flows/booking/form';
import { meetingCancelledTask, meetingInviteTask, meetingReminderTask } from './flows/booking/notices';
import { checkinTask } from './flows/checkin';
import { prepAgendaTask, prepPromptTask } from './flows/prep/tasks';
import { quietCheckTask } from './flows/quiet';
import { reflectTask } from './flows/reflection';
import { shadowTask } from './flows/shadowing';
import { summaryAdditionTask, summaryReviewTask } from './flows/summary-review';
import { seasonThanksTask, surveyTask } from './flows/survey';
import { introductionTask, onboardingTask } from './flows/welcome';
import { coordinatorNudgeTask, pairEndedTask } from './coordinator/pair-actions';
import { replyTask } from './replies';
import { reaskTask } from './conversation/reask';
import { registry } from './scheduler/task';

export const allTasks = registry([
  onboardingTask,
  introductionTask,
  meetingInviteTask,
  meetingCancelledTask,
  meetingReminderTask,
  bookNextTask,
  alignTask,
  prepPromptTask,
  prepAgendaTask,
  afterAskTask,
  summaryReviewTask,
  summaryAdditionTask,
  reflectTask,
  quietCheckTask,
  checkinTask,
  shadowTask,
  surveyTask,
  seasonThanksTask,
  coordinatorNudgeTask,
  pairEndedTask,
  replyTask,
  reaskTask,
]);
