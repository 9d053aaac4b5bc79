/** Every kind of nudge the scheduler knows, one handler each. */
import { prepAgendaTask, prepPromptTask } from './flows/prep/tasks';
import { registry } from './scheduler/task';

export const allTasks = registry([prepPromptTask, prepAgendaTask]);
