/** The participants with how Sparring reaches them: on which platform, not yet, or failing since when. */
import { z } from 'zod';
import { assessProgramme } from '../../../src/coordinator/risk';
import { failingPeople, participantsReach } from '../../../src/desk/overview';
import { html } from '../html';
import { day, scrollTable, t, tx, type Desk, type Page } from '../layout';

const roles = ['mentee', 'mentor', 'coordinator'] as const;
const reaches = ['reachable', 'notInstalled', 'failing', 'none'] as const;

export const participantsQuery = z.object({
  role: z.enum(roles).optional().catch(undefined),
  reach: z.enum(reaches).optional().catch(undefined),
});

const platformName: Record<string, string> = { slack: 'Slack', teams: 'Teams', local: 'Local' };

export function participantsPage(d: Desk, query: z.infer<typeof participantsQuery>, platforms?: readonly string[]): Page {
  const { core, programme } = d;
  const failing = failingPeople(assessProgramme(core, programme.id));
  const all = participantsReach(core, programme.id, failing, platforms);
  const shown = all.filter((p) => (!query.role || p.role === query.role) && (!query.reach || p.reach === query.reach));
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const names = (list: string[]) => list.map((p) => platformName[p] ?? p).join(', ');
  const reachText = (p: (typeof all)[number]) => {
    switch (p.reach) {
      case 'reachable':
        return t(d, 'participants.reachable', { platforms: names(p.platforms) });
      case 'failing':
        return t(d, 'participants.failing', { platforms: names(p.platforms), date: day(d, p.failingSince) });
      case 'notInstalled':
        return t(d, 'participants.notInstalled', { platforms: names(p.waiting) });
      default:
        return t(d, 'participants.none');
    }
  };
  const body = html`<h1>${t(d, 'participants.title')}</h1>
<form class="filters" method="get" action="/desk/participants">
<input type="hidden" name="p" value="${programme.id}">
<div><label for="filter-role">${t(d, 'participants.role')}</label>
<select id="filter-role" name="role">${option('', t(d, 'participants.allRoles'), !query.role)}${roles.map((r) => option(r, tx(d, `common.role.${r}`), query.role === r))}</select></div>
<div><label for="filter-reach">${t(d, 'participants.reach')}</label>
<select id="filter-reach" name="reach">${option('', t(d, 'participants.allReach'), !query.reach)}${reaches.map((r) => option(r, t(d, `reach.${r}`), query.reach === r))}</select></div>
<div><button type="submit">${t(d, 'pairs.filter')}</button></div>
</form>
<p role="status">${t(d, 'participants.shown', { n: shown.length, total: all.length })}</p>
${scrollTable(
  'table-participants',
  t(d, 'participants.caption'),
  html`<tr><th scope="col">${t(d, 'participants.name')}</th><th scope="col">${t(d, 'participants.role')}</th><th scope="col">${t(d, 'participants.email')}</th><th scope="col">${t(d, 'participants.language')}</th><th scope="col">${t(d, 'participants.reach')}</th><th scope="col">${t(d, 'participants.paused')}</th></tr>`,
  shown.map(
    (p) => html`<tr><th scope="row">${p.name}</th><td>${tx(d, `common.role.${p.role}`)}</td><td>${p.email ?? '—'}</td><td>${p.locale ?? '—'}</td><td>${reachText(p)}</td><td>${p.pausedUntil ? t(d, 'participants.pausedUntil', { date: day(d, p.pausedUntil) }) : '—'}</td></tr>`,
  ),
  t(d, 'participants.empty'),
  6,
)}`;
  return { section: 'participants', title: t(d, 'nav.participants'), body };
}
