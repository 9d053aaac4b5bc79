/** The programme at a glance: participants, pairs by state, meetings week by week, rates, flags. */
import { listFlags } from '../../../src/coordinator/flags';
import { assessProgramme } from '../../../src/coordinator/risk';
import { programmeStatus } from '../../../src/coordinator/status';
import { meetingsByWeek, preparationAndSummaryRates } from '../../../src/desk/overview';
import { countByState, pairFacts, pairStates } from '../../../src/desk/pairs';
import { localParts, parseLocalDate, atLocalTime } from '../../../src/time';
import { columns, horizontalBars } from '../charts';
import { html, type Interpolated } from '../html';
import { day, href, number, percent, scrollTable, t, type Desk, type Page } from '../layout';
import { reasonText } from './words';

/** The newest open and acknowledged flags shown at a glance; the pairs page lists them all. */
const FLAGS_SHOWN = 20;

/** The ISO week number of a moment's local date. */
function isoWeek(at: number, zone: string): number {
  const p = localParts(at, zone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  return Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
}

export function overviewPage(d: Desk): Page {
  const { core, programme } = d;
  const status = programmeStatus(core, programme.id);
  const pairs = pairFacts(core, programme.id);
  const byState = countByState(pairs);
  const rates = preparationAndSummaryRates(core, programme.id);
  const weeks = meetingsByWeek(core, programme);
  const risks = assessProgramme(core, programme.id);
  const open = listFlags(core, programme.id).filter((f) => f.state !== 'resolved' && !f.clearedAt);
  const names = new Map(pairs.map((p) => [p.pairId, `${p.mentee} & ${p.mentor}`]));
  const zone = programme.timezone;
  const season = `${day(d, atLocalTime(parseLocalDate(programme.startsOn)!, 12, 0, zone))} – ${day(d, atLocalTime(parseLocalDate(programme.endsOn)!, 12, 0, zone))}`;

  const card = (term: string, value: Interpolated, extra?: Interpolated) => html`<div><dt>${term}</dt><dd>${value}</dd>${extra ? html`<dd>${extra}</dd>` : ''}</div>`;
  const stateRows = pairStates.map((s) => ({ label: t(d, `state.${s}`), value: byState[s] }));
  const weekLabel = (at: number) => t(d, 'overview.week', { n: isoWeek(at, zone) });
  const series = [
    { name: t(d, 'overview.held'), colour: '#0b5394' },
    { name: t(d, 'overview.booked'), colour: '#b35900' },
  ];

  const body = html`<h1>${t(d, 'overview.title')}</h1>
<p class="lead">${t(d, 'overview.lead', { season, today: day(d, core.clock.now()) })}</p>

<section>
<h2 id="glance">${t(d, 'overview.glance')}</h2>
<dl class="cards">
${card(t(d, 'overview.participants'), t(d, 'overview.participantsValue', status.participants))}
${card(t(d, 'overview.pairs'), t(d, 'overview.pairsValue', status.pairs))}
${card(t(d, 'overview.meetings'), t(d, 'overview.meetingsValue', status.meetings))}
${card(t(d, 'overview.prepared'), percent(d, rates.prepared, rates.held), t(d, 'overview.ofHeld', { n: rates.prepared, held: rates.held }))}
${card(t(d, 'overview.summarised'), percent(d, rates.summarised, rates.held), t(d, 'overview.ofHeld', { n: rates.summarised, held: rates.held }))}
${card(t(d, 'overview.surveys'), t(d, 'overview.surveysValue', status.surveys))}
${card(t(d, 'overview.atRisk'), html`<a href="${href(d, '/desk/pairs', { flag: 'atRisk' })}">${t(d, 'overview.atRiskValue', { n: risks.length })}</a>`)}
${card(t(d, 'overview.openFlags'), html`<a href="${href(d, '/desk/pairs', { flag: 'open' })}">${t(d, 'overview.openFlagsValue', { n: open.filter((f) => f.state === 'open').length, acknowledged: open.filter((f) => f.state === 'acknowledged').length })}</a>`)}
</dl>
</section>

<section>
<h2 id="states">${t(d, 'overview.byState')}</h2>
<figure class="figure">
${horizontalBars({ id: 'chart-states', title: t(d, 'overview.byState'), desc: stateRows.map((r) => `${r.label}: ${r.value}`).join('; ') }, stateRows)}
${scrollTable(
  'table-states',
  t(d, 'overview.byState'),
  html`<tr><th scope="col">${t(d, 'pairs.state')}</th><th scope="col" class="num">${t(d, 'overview.count')}</th></tr>`,
  pairStates.map((s) => html`<tr><th scope="row"><a href="${href(d, '/desk/pairs', { state: s })}">${t(d, `state.${s}`)}</a></th><td class="num">${byState[s]}</td></tr>`),
)}
</figure>
</section>

<section>
<h2 id="weeks">${t(d, 'overview.overTime')}</h2>
<figure class="figure">
${columns(
  { id: 'chart-weeks', title: t(d, 'overview.overTime'), desc: t(d, 'overview.overTimeDesc', { held: status.meetings.held, booked: weeks.reduce((s, w) => s + w.booked, 0) }) },
  series,
  weeks.map((w) => ({ label: String(isoWeek(w.startsAt, zone)), values: [w.held, w.booked] })),
)}
${scrollTable(
  'table-weeks',
  t(d, 'overview.overTime'),
  html`<tr><th scope="col">${t(d, 'overview.weekCol')}</th><th scope="col" class="num">${t(d, 'overview.held')}</th><th scope="col" class="num">${t(d, 'overview.booked')}</th></tr>`,
  weeks.map((w) => html`<tr><th scope="row">${weekLabel(w.startsAt)} <span class="note">(${day(d, w.startsAt)})</span></th><td class="num">${w.held}</td><td class="num">${w.booked}</td></tr>`),
)}
<figcaption>${t(d, 'overview.overTimeNote')}</figcaption>
</figure>
</section>

<section>
<h2 id="flags">${t(d, 'overview.flags')}</h2>
${scrollTable(
  'table-flags',
  t(d, 'overview.flagsCaption', { n: open.length }),
  html`<tr><th scope="col">${t(d, 'pairs.pair')}</th><th scope="col">${t(d, 'pairs.reason')}</th><th scope="col">${t(d, 'pair.flagState')}</th><th scope="col">${t(d, 'pair.raised')}</th></tr>`,
  open.slice(0, FLAGS_SHOWN).map(
    (f) =>
      html`<tr><td><a href="${href(d, '/desk/pair', { id: f.pairId })}">${names.get(f.pairId) ?? `#${f.pairId}`}</a></td><td>${reasonText(d, f.code, f.detail)}</td><td>${t(d, `flagState.${f.state}`)}</td><td>${day(d, f.raisedAt)}</td></tr>`,
  ),
  t(d, 'overview.noFlags'),
  4,
)}
${open.length > FLAGS_SHOWN ? html`<p><a href="${href(d, '/desk/pairs', { flag: 'open' })}">${t(d, 'overview.allFlags', { n: open.filter((f) => f.state === 'open').length })}</a></p>` : ''}
</section>

<section>
<h2 id="downloads">${t(d, 'export.title')}</h2>
<ul>
<li><a href="${href(d, '/desk/export.xlsx')}">${t(d, 'export.xlsx')}</a></li>
<li><a href="${href(d, '/desk/export.csv')}">${t(d, 'export.csv')}</a></li>
</ul>
<p class="note">${t(d, 'overview.perPair', { average: number(d, status.meetingsPerPair.average, 1) })}</p>
</section>

<section>
<h2 id="next-season">${t(d, 'overview.nextSeason')}</h2>
<p><a href="${href(d, '/desk/season')}">${t(d, 'overview.nextSeasonLink', { programme: programme.name })}</a></p>
</section>`;
  return { section: 'overview', title: t(d, 'nav.overview'), body };
}
