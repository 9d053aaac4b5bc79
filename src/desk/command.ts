/**
 * `desk` (Danish `skrivebord`): a coordinator asks for a way into the desk and gets a one-time link
 * in a direct message, valid for ten minutes. The message is planned like any other, prompted (quiet
 * hours and pauses do not hold back what the person just asked for); its token is made when it is
 * composed, so the link is in the message and nowhere else (links.ts).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Command } from '../commands/command';
import { coordinatorAccess } from '../coordinator/access';
import { plan } from '../flows/plan';
import type { NudgeTask } from '../scheduler/task';
import { MINUTE } from '../time';
import { coordinatedProgrammes } from './access';
import { deskBaseUrl, issueLink, LINK_MS } from './links';

export const DESK_LINK = 'desk.link';

export const deskCommand: Command = {
  name: 'desk',
  for: ['coordinator'],
  accepts: () => true,
  run({ core, person }, args) {
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
    // Not a coordinator of anything, or a programme named that they do not coordinate: the usual refusal.
    const access = coordinatorAccess(core, person, 'desk', args);
    if (!access.ok && (args.length > 0 || coordinatedProgrammes(core, person.id).length === 0)) return [access.reply];
    if (!deskBaseUrl(core)) return [{ text: t('desk.command.notServed') }];
    const now = core.clock.now();
    plan(core, {
      // Each request its own message, even two in the same millisecond.
      key: `${DESK_LINK}:${person.id}:${now}:${randomBytes(4).toString('hex')}`,
      kind: DESK_LINK,
      personId: person.id,
      payload: { programmeId: access.ok && args.length > 0 ? access.programme.id : null },
      dueAt: now,
      // A link that could not be sent within its own lifetime has lost its point.
      expiresAt: now + LINK_MS,
    });
    core.wake();
    return [{ text: t('desk.command.sent', { minutes: LINK_MS / MINUTE }) }];
  },
};

const payload = z.object({ programmeId: z.number().int().nullable() });

export const deskLinkTask: NudgeTask<z.infer<typeof payload>> = {
  kind: DESK_LINK,
  payload,
  prompted: true,
  compose({ core, nudge, payload, person }) {
    if (coordinatedProgrammes(core, person.id).length === 0) return { drop: 'no longer a coordinator' };
    const url = issueLink(core, person.id, nudge.key, payload.programmeId);
    if (!url) return { drop: 'the desk is not served by this process' };
    return {
      text: core.text.t(person.locale, 'desk.command.link', { url, minutes: LINK_MS / MINUTE }),
      why: core.text.t(person.locale, 'desk.command.why'),
    };
  },
};
