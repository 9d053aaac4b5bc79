/** Every kind of nudge the scheduler knows, one handler each: the flows' (from the registry) and the core's own. */
import { coordinatorNudgeTask, pairEndedTask } from './coordinator/pair-actions';
import { replyTask } from './replies';
import { reaskTask } from './conversation/reask';
import { deskLinkTask } from './desk/command';
import { seasonTasks } from './flows/registry';
import { registry } from './scheduler/task';

export const allTasks = registry([...seasonTasks, coordinatorNudgeTask, pairEndedTask, replyTask, reaskTask, deskLinkTask]);
