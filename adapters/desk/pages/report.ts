/**
 * The evaluation (report.ts): the poster's stacked bar chart of the eight outcome items beside its
 * table, the change per item from the start of the season to the end, match and engagement the same
 * way, the mentees' ratings of progress on their goals, the season's activity, and the mentors' answers to the
 * one question the survey tells them the coordinator reads. Groups too small to show stay withheld.
 */
import { anyWithheld, jobShadowingText, seasonReport, type GoalProgress, type GrowthResult, type ItemResult } from '../../../src/coordinator/report';
import { mentorsLearned } from '../../../src/desk/overview';
import { ratingPalette, stackedBars } from '../charts';
import { html, type Html } from '../html';
import { href, number, percent, scrollTable, t, tx, type Desk, type Page } from '../layout';

function itemRows(d: Desk, rows: { label: string; r: ItemResult }[], share: string, id: string, caption: string, scale: string[]): Html {
  return scrollTable(
    id,
    caption,
    html`<tr><th scope="col">${t(d, 'report.group')}</th><th scope="col" class="num">n</th>${scale.map((s) => html`<th scope="col" class="num">${s}</th>`)}<th scope="col" class="num">${share}</th></tr>`,
    rows.map(({ label, r }) =>
      r.shown
        ? html`<tr><th scope="row">${label}</th><td class="num">${r.n}</td>${r.counts.map((c) => html`<td class="num">${c}</td>`)}<td class="num">${percent(d, Math.round(r.share * r.n), r.n)}</td></tr>`
        : html`<tr><th scope="row">${label}</th><td colspan="${scale.length + 2}">${tx(d, 'coordinator.report.tooFew')}</td></tr>`,
    ),
  );
}

/** Why a group shows no numbers: too few to show, or nobody has answered yet. */
const withheld = (d: Desk, reason: 'none' | 'tooFew') => tx(d, reason === 'tooFew' ? 'coordinator.report.tooFew' : 'goals.report.none');

/** A mean change as "+0,8", "−0,3" or "±0,0". */
const signed = (d: Desk, x: number) => `${x > 0.05 ? '+' : x < -0.05 ? '−' : '±'}${number(d, Math.abs(x), 1)}`;

/** The change per outcome item from the baseline at the start to the end: means for the mentees who answered both (n). */
function growthSection(d: Desk, growth: GrowthResult[], label: (item: string) => string): Html {
  const title = tx(d, 'goals.report.growth');
  if (growth.every((g) => !g.shown && g.reason === 'none')) return html`<h2 id="growth">${title}</h2>\n<p>${tx(d, 'goals.report.growthNone')}</p>`;
  return html`<h2 id="growth">${title}</h2>
<p class="note">${tx(d, 'goals.report.growthNote')}</p>
${scrollTable(
  'table-growth',
  t(d, 'report.growthCaption'),
  html`<tr><th scope="col">${t(d, 'report.group')}</th><th scope="col" class="num">n</th><th scope="col" class="num">${t(d, 'report.meanStart')}</th><th scope="col" class="num">${t(d, 'report.meanEnd')}</th><th scope="col" class="num">${t(d, 'report.meanChange')}</th></tr>`,
  growth.map((g) =>
    g.shown
      ? html`<tr><th scope="row">${label(g.item)}</th><td class="num">${g.n}</td><td class="num">${number(d, g.baseline, 1)}</td><td class="num">${number(d, g.end, 1)}</td><td class="num">${signed(d, g.change)}</td></tr>`
      : html`<tr><th scope="row">${label(g.item)}</th><td colspan="4">${withheld(d, g.reason)}</td></tr>`,
  ),
)}`;
}

/** How the mentees rated progress on their goals, mid-season and at the end: ratings per point, counts only. */
function progressSection(d: Desk, progress: { mid: GoalProgress; end: GoalProgress }): Html {
  const title = tx(d, 'goals.report.progress');
  const moments = [progress.mid, progress.end];
  if (moments.every((g) => !g.shown && g.reason === 'none')) return html`<h2 id="progress">${title}</h2>\n<p>${tx(d, 'goals.report.progressNone')}</p>`;
  const scale = [1, 2, 3, 4, 5].map((v) => (v === 1 || v === 5 ? `${v} (${tx(d, `goals.scale.${v}`)})` : String(v)));
  return html`<h2 id="progress">${title}</h2>
<p class="note">${tx(d, 'goals.report.progressNote')}</p>
${scrollTable(
  'table-progress',
  t(d, 'report.progressCaption'),
  html`<tr><th scope="col">${t(d, 'report.moment')}</th><th scope="col" class="num">${t(d, 'report.mentees')}</th><th scope="col" class="num">${t(d, 'report.ratings')}</th>${scale.map((s) => html`<th scope="col" class="num">${s}</th>`)}</tr>`,
  moments.map((g) =>
    g.shown
      ? html`<tr><th scope="row">${tx(d, `goals.report.moment.${g.moment}`)}</th><td class="num">${g.people}</td><td class="num">${g.n}</td>${g.counts.map((c) => html`<td class="num">${c}</td>`)}</tr>`
      : html`<tr><th scope="row">${tx(d, `goals.report.moment.${g.moment}`)}</th><td colspan="7">${withheld(d, g.reason)}</td></tr>`,
  ),
)}`;
}

const note = (d: Desk, r: ItemResult, what: string) => (r.shown ? t(d, 'report.barNote', { share: percent(d, Math.round(r.share * r.n), r.n), what, n: r.n }) : tx(d, 'coordinator.report.tooFew'));

export function reportPage(d: Desk): Page {
  const { core, programme } = d;
  const report = seasonReport(core, programme.id);
  const agree = [1, 2, 3, 4, 5].map((v) => tx(d, `survey.agree.${v}`));
  const rating = [1, 2, 3, 4, 5].map((v) => (v === 1 ? t(d, 'report.rating1') : v === 5 ? t(d, 'report.rating5') : String(v)));
  const outcomes = report.outcomes.map((r) => ({ label: tx(d, `coordinator.item.${r.item}`), r }));
  const agreeWord = tx(d, 'coordinator.report.agree').toLowerCase();
  const goodWord = t(d, 'report.good');
  const matchRows = [
    { label: tx(d, 'coordinator.report.matchMentees'), r: report.match.mentee },
    { label: tx(d, 'coordinator.report.matchMentors'), r: report.match.mentor },
    { label: tx(d, 'coordinator.report.engagementMentees'), r: report.engagement.mentee },
    { label: tx(d, 'coordinator.report.engagementMentors'), r: report.engagement.mentor },
  ];
  const shownN = report.outcomes.flatMap((r) => (r.shown ? [r.n] : []));
  const learned = mentorsLearned(core, programme.id);

  const body = html`<h1>${tx(d, 'coordinator.report.title', { programme: programme.name })}</h1>
${anyWithheld(report) ? html`<p class="note">${tx(d, 'coordinator.report.tooFewNote', { min: report.minGroupSize })}</p>` : ''}

<section>
<h2 id="outcomes">${tx(d, 'coordinator.report.outcomes')}</h2>
<p>${shownN.length > 0 ? tx(d, 'coordinator.report.chartQuestion', { n: Math.max(...shownN) }) : tx(d, 'coordinator.report.chartQuestionTooFew')}</p>
<figure class="figure stacked">
${stackedBars(
  { id: 'chart-outcomes', title: tx(d, 'coordinator.report.outcomes'), desc: outcomes.map((o) => `${o.label}: ${note(d, o.r, agreeWord)}`).join('; ') },
  agree,
  outcomes.map((o) => ({ label: o.label, counts: o.r.shown ? o.r.counts : null, note: o.r.shown ? `${percent(d, Math.round(o.r.share * o.r.n), o.r.n)} · n = ${o.r.n}` : tx(d, 'coordinator.report.tooFew') })),
  ratingPalette,
)}
${itemRows(d, outcomes, tx(d, 'coordinator.report.agree'), 'table-outcomes', tx(d, 'coordinator.report.outcomes'), agree)}
</figure>
</section>

<section>
${growthSection(d, report.growth, (item) => tx(d, `coordinator.item.${item}`))}
</section>

<section>
<h2 id="match">${tx(d, 'coordinator.report.match')}</h2>
<figure class="figure stacked">
${stackedBars(
  { id: 'chart-match', title: tx(d, 'coordinator.report.match'), desc: matchRows.map((m) => `${m.label}: ${note(d, m.r, goodWord)}`).join('; ') },
  rating,
  matchRows.map((m) => ({ label: m.label, counts: m.r.shown ? m.r.counts : null, note: m.r.shown ? `${percent(d, Math.round(m.r.share * m.r.n), m.r.n)} · n = ${m.r.n}` : tx(d, 'coordinator.report.tooFew') })),
  ratingPalette,
)}
${itemRows(d, matchRows, tx(d, 'coordinator.report.good'), 'table-match', tx(d, 'coordinator.report.match'), rating)}
</figure>
<p class="note">${t(d, 'report.averages', {
    list: matchRows.map((m) => (m.r.shown ? `${m.label} ${number(d, m.r.average, 1)}` : `${m.label} –`)).join(' · '),
  })}</p>
</section>

<section>
${progressSection(d, report.goalProgress)}
</section>

<section>
<h2 id="activity">${tx(d, 'coordinator.report.activity')}</h2>
<ul>
<li>${tx(d, 'coordinator.report.pairs', { n: report.pairs })}</li>
<li>${tx(d, 'coordinator.report.meetingsPerPair', { n: number(d, report.meetingsPerPair, 1) })}</li>
<li>${jobShadowingText(core, report, d.locale)}</li>
</ul>
</section>

<section aria-labelledby="learned">
<h2 id="learned">${t(d, 'report.learned')}</h2>
<p class="note">${t(d, 'report.learnedNote')}</p>
${learned.length === 0 ? html`<p>${t(d, 'report.noAnswers')}</p>` : html`<ul class="answers">${learned.map((a) => html`<li>${a}</li>`)}</ul>`}
</section>

<p><a href="${href(d, '/desk/export.xlsx')}">${t(d, 'export.xlsx')}</a></p>`;
  return { section: 'report', title: t(d, 'nav.report'), body };
}
