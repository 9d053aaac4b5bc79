/**
 * The evaluation (report.ts): the poster's stacked bar chart of the eight outcome items beside its
 * table, match and engagement the same way, the season's activity, and the mentors' answers to the
 * one question the survey tells them the coordinator reads. Groups too small to show stay withheld.
 */
import { anyWithheld, jobShadowingText, seasonReport, type ItemResult } from '../../../src/coordinator/report';
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
