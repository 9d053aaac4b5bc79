/** Every flow that holds a dialogue, by name: the one list the bot and the "ask again" nudge read. */
import { afterFlow } from './after-meeting';
import { alignFlows } from './alignment';
import { bookFlow, manageFlow } from './booking/form';
import { checkinFlow } from './checkin';
import type { Flow } from './flow';
import { prepFlow } from './prep/flow';
import { reflectFlow } from './reflection';
import { shadowFlow } from './shadowing';
import { reviewFlow } from './summary-review';
import { surveyFlows } from './survey';

export const seasonFlows: readonly Flow[] = [prepFlow, afterFlow, bookFlow, manageFlow, reviewFlow, reflectFlow, checkinFlow, shadowFlow, ...alignFlows, ...surveyFlows];
