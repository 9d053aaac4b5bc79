/**
 * The end-of-season report: for each outcome item the distribution over the five-point scale and
 * the share who agree, with n; beside it the change per item from the start of the season to the
 * end (mean at start, mean at end, mean change, n of mentees who answered both); match quality;
 * engagement; the distribution of the mentees' own ratings of progress on their goals (counts
 * only); meetings per pair; the job-shadowing share. Aggregates only. As Markdown, CSV, or a stacked
 * bar chart like the programme's poster. Every scale runs low to high (1 = strongly disagree / very
 * poor / not started … 5 = strongly agree / very good / reached).
 * A group with fewer answers than the programme's minGroupSize is withheld: no counts, shares or
 * averages leave this file for it, only "too few answers to show", so nobody can be recognised.
 */
import type { Core } from '../core';
import { outcomeItems } from '../flows/survey';
import { getProgramme } from '../programme/programmes';
import { createCatalog, type Catalog } from '../text/catalog';
import type { Locale } from '../text/locale';
import { csvFile, type CsvValue } from './export';
import { programmeStatus } from './status';

export interface ShownItem {
  item: string;
  shown: true;
  n: number;
  /** Answers per scale point 1..5 (1 = strongly disagree / very poor … 5 = strongly agree / very good). */
  counts: [number, number, number, number, number];
  /** Share answering 4 or 5: agree, or good. */
  share: number;
  average: number;
}

/** A group too small to show: it carries no numbers at all, so no output can print them. */
export interface WithheldItem {
  item: string;
  shown: false;
}

export type ItemResult = ShownItem | WithheldItem;

/**
 * How the mentees rated progress on their goals at one moment (the check-in, or the end): ratings
 * per point 1 (not started) … 5 (reached), counts only. Withheld when fewer mentees than
 * minGroupSize rated ('tooFew'), or when nobody has ('none').
 */
export type GoalProgress =
  | { moment: 'mid' | 'end'; shown: true; people: number; n: number; counts: [number, number, number, number, number] }
  | { moment: 'mid' | 'end'; shown: false; reason: 'none' | 'tooFew' };

/** One outcome item at the start of the season and at the end, for the mentees who answered both (n). */
export type GrowthResult =
  | { item: string; shown: true; n: number; baseline: number; end: number; change: number }
  | { item: string; shown: false; reason: 'none' | 'tooFew' };

export interface SeasonReport {
  /** Groups with fewer answers than this are withheld (the programme's minGroupSize). */
  minGroupSize: number;
  outcomes: ItemResult[];
  match: { mentee: ItemResult; mentor: ItemResult };
  engagement: { mentee: ItemResult; mentor: ItemResult };
  meetingsPerPair: number;
  pairs: number;
  jobShadowing: { done: number; share: number };
  /** The mentees' ratings of progress on their goals, at the check-in and at the end. */
  goalProgress: { mid: GoalProgress; end: GoalProgress };
  /** Per outcome item, the change from the baseline at the start to the same statement at the end. */
  growth: GrowthResult[];
}

function item(core: Core, programmeId: number, name: string, role: 'mentee' | 'mentor', minGroupSize: number): ItemResult {
  const rows = core.db
    .prepare('SELECT value, count(*) AS n FROM survey_responses WHERE programme_id = ? AND role = ? AND item = ? AND value BETWEEN 1 AND 5 GROUP BY value')
    .all(programmeId, role, name) as { value: number; n: number }[];
  const counts: ShownItem['counts'] = [0, 0, 0, 0, 0];
  for (const r of rows) counts[r.value - 1] = r.n;
  const n = counts.reduce((a, b) => a + b, 0);
  if (n < Math.max(1, minGroupSize)) return { item: name, shown: false };
  const good = counts[3] + counts[4];
  const sum = counts.reduce((s, c, i) => s + c * (i + 1), 0);
  return { item: name, shown: true, n, counts, share: good / n, average: sum / n };
}

function goalProgress(core: Core, programmeId: number, moment: 'mid' | 'end', minGroupSize: number): GoalProgress {
  const rows = core.db
    .prepare(
      `SELECT r.progress AS value, count(*) AS n FROM goal_ratings r
         JOIN goals g ON g.id = r.goal_id JOIN pairs p ON p.id = g.pair_id
        WHERE p.programme_id = ? AND r.moment = ? GROUP BY r.progress`,
    )
    .all(programmeId, moment) as { value: number; n: number }[];
  const { people } = core.db
    .prepare('SELECT count(DISTINCT p.mentee_id) AS people FROM goal_ratings r JOIN goals g ON g.id = r.goal_id JOIN pairs p ON p.id = g.pair_id WHERE p.programme_id = ? AND r.moment = ?')
    .get(programmeId, moment) as { people: number };
  if (people === 0) return { moment, shown: false, reason: 'none' };
  // Counted by people, not ratings: five goals of two mentees are still two people.
  if (people < Math.max(1, minGroupSize)) return { moment, shown: false, reason: 'tooFew' };
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const r of rows) counts[r.value - 1] = r.n;
  return { moment, shown: true, people, n: counts.reduce((a, b) => a + b, 0), counts };
}

function growth(core: Core, programmeId: number, item: string, minGroupSize: number): GrowthResult {
  const row = core.db
    .prepare(
      `SELECT count(*) AS n, avg(baseline) AS baseline, avg(final) AS final, avg(final - baseline) AS change FROM outcome_growth
        WHERE programme_id = ? AND item = ? AND baseline IS NOT NULL AND final IS NOT NULL`,
    )
    .get(programmeId, item) as { n: number; baseline: number | null; final: number | null; change: number | null };
  if (row.n === 0) return { item, shown: false, reason: 'none' };
  if (row.n < Math.max(1, minGroupSize)) return { item, shown: false, reason: 'tooFew' };
  return { item, shown: true, n: row.n, baseline: row.baseline!, end: row.final!, change: row.change! };
}

export function seasonReport(core: Core, programmeId: number): SeasonReport {
  const status = programmeStatus(core, programmeId);
  const done = (core.db.prepare("SELECT count(*) AS n FROM pairs WHERE programme_id = ? AND status = 'active' AND job_shadowing = 'done'").get(programmeId) as { n: number }).n;
  const pairs = status.pairs.active;
  const min = getProgramme(core, programmeId).settings.minGroupSize;
  const of = (name: string, role: 'mentee' | 'mentor') => item(core, programmeId, name, role, min);
  return {
    minGroupSize: min,
    outcomes: outcomeItems.map((name) => of(name, 'mentee')),
    match: { mentee: of('match', 'mentee'), mentor: of('match', 'mentor') },
    engagement: { mentee: of('engagement', 'mentee'), mentor: of('engagement', 'mentor') },
    meetingsPerPair: status.meetingsPerPair.average,
    pairs,
    jobShadowing: { done, share: pairs === 0 ? 0 : done / pairs },
    goalProgress: { mid: goalProgress(core, programmeId, 'mid', min), end: goalProgress(core, programmeId, 'end', min) },
    growth: outcomeItems.map((name) => growth(core, programmeId, name, min)),
  };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const dash = '–';

export function reportMarkdown(core: Core, report: SeasonReport, locale: Locale, programme: string): string {
  const t = (key: string, vars = {}) => core.text.t(locale, key, vars);
  const scale = [1, 2, 3, 4, 5].map((v) => t(`survey.agree.${v}`));
  const lines = [
    `# ${t('coordinator.report.title', { programme })}`,
    '',
    `## ${t('coordinator.report.outcomes')}`,
    '',
    `| ${t('coordinator.report.item')} | n | ${scale.join(' | ')} | ${t('coordinator.report.agree')} |`,
    `| --- | ---: | ${scale.map(() => '---:').join(' | ')} | ---: |`,
    ...report.outcomes.map((r) =>
      r.shown ? `| ${t(`coordinator.item.${r.item}`)} | ${r.n} | ${r.counts.join(' | ')} | ${pct(r.share)} |` : `| ${t(`coordinator.item.${r.item}`)} | ${Array(6).fill(dash).join(' | ')} | ${t('coordinator.report.tooFew')} |`,
    ),
    '',
    ...growthMarkdown(core, report, locale),
    `## ${t('coordinator.report.match')}`,
    '',
    `| | n | 1 | 2 | 3 | 4 | 5 | ${t('coordinator.report.average')} | ${t('coordinator.report.good')} |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [label, r] of [
    [t('coordinator.report.matchMentees'), report.match.mentee],
    [t('coordinator.report.matchMentors'), report.match.mentor],
    [t('coordinator.report.engagementMentees'), report.engagement.mentee],
    [t('coordinator.report.engagementMentors'), report.engagement.mentor],
  ] as const) {
    if (!r.shown) lines.push(`| ${label} | ${Array(7).fill(dash).join(' | ')} | ${t('coordinator.report.tooFew')} |`);
    else lines.push(`| ${label} | ${r.n} | ${r.counts.join(' | ')} | ${r.average.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} | ${pct(r.share)} |`);
  }
  lines.push('', ...progressMarkdown(core, report, locale));
  if (anyWithheld(report)) lines.push('', t('coordinator.report.tooFewNote', { min: report.minGroupSize }));
  lines.push(
    '',
    `## ${t('coordinator.report.activity')}`,
    '',
    `- ${t('coordinator.report.pairs', { n: report.pairs })}`,
    `- ${t('coordinator.report.meetingsPerPair', { n: report.meetingsPerPair.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })}`,
    `- ${jobShadowingText(core, report, locale)}`,
  );
  return lines.join('\n') + '\n';
}

const decimal = (x: number, locale: Locale) => x.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const signed = (x: number, locale: Locale) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${decimal(Math.abs(x), locale)}`;

/** The change from start to end per outcome item, as a table; or one line when nobody has answered both. */
function growthMarkdown(core: Core, report: SeasonReport, locale: Locale): string[] {
  const t = (key: string, vars = {}) => core.text.t(locale, key, vars);
  const lines = [`## ${t('goals.report.growth')}`, ''];
  if (report.growth.every((g) => !g.shown && g.reason === 'none')) return [...lines, t('goals.report.growthNone'), ''];
  lines.push(
    t('goals.report.growthNote'),
    '',
    `| ${t('coordinator.report.item')} | n | ${t('goals.report.start')} | ${t('goals.report.end')} | ${t('goals.report.change')} |`,
    '| --- | ---: | ---: | ---: | ---: |',
  );
  for (const g of report.growth) {
    const label = t(`coordinator.item.${g.item}`);
    if (g.shown) lines.push(`| ${label} | ${g.n} | ${decimal(g.baseline, locale)} | ${decimal(g.end, locale)} | ${signed(g.change, locale)} |`);
    else lines.push(`| ${label} | ${dash} | ${dash} | ${dash} | ${t(g.reason === 'tooFew' ? 'coordinator.report.tooFew' : 'goals.report.none')} |`);
  }
  return [...lines, ''];
}

/** How the mentees rated progress on their goals, counts per point of the scale; or one line when nobody has. */
function progressMarkdown(core: Core, report: SeasonReport, locale: Locale): string[] {
  const t = (key: string, vars = {}) => core.text.t(locale, key, vars);
  const { mid, end } = report.goalProgress;
  const lines = [`## ${t('goals.report.progress')}`, ''];
  if (!mid.shown && mid.reason === 'none' && !end.shown && end.reason === 'none') return [...lines, t('goals.report.progressNone')];
  lines.push(t('goals.report.progressNote'), '', '| | n | 1 | 2 | 3 | 4 | 5 |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const g of [mid, end]) {
    const label = t(`goals.report.moment.${g.moment}`);
    if (g.shown) lines.push(`| ${label} | ${g.n} | ${g.counts.join(' | ')} |`);
    else lines.push(`| ${label} | ${Array(5).fill(dash).join(' | ')} | ${t(g.reason === 'tooFew' ? 'coordinator.report.tooFew' : 'goals.report.none')} |`);
  }
  return lines;
}

/** Whether any group of the report is withheld as too small (a group nobody has answered yet is not withheld, only empty). */
export function anyWithheld(report: SeasonReport): boolean {
  const tooFew = [...report.growth, report.goalProgress.mid, report.goalProgress.end].some((r) => !r.shown && r.reason === 'tooFew');
  return tooFew || [...report.outcomes, report.match.mentee, report.match.mentor, report.engagement.mentee, report.engagement.mentor].some((r) => !r.shown);
}

/** Whether the share of pairs that did job shadowing may be shown (enough pairs; otherwise only the count). */
const shadowingShown = (report: SeasonReport) => report.pairs >= Math.max(1, report.minGroupSize);

/** "job shadowing: 3 of the pairs (40 %)", without the share when there are too few pairs. */
export function jobShadowingText(core: Core, report: SeasonReport, locale: Locale): string {
  const { done, share } = report.jobShadowing;
  return shadowingShown(report) ? core.text.t(locale, 'coordinator.report.jobShadowing', { n: done, share: pct(share) }) : core.text.t(locale, 'coordinator.report.jobShadowingCount', { n: done });
}

let fallbackText: Catalog | undefined;

/**
 * The report as CSV (see csvFile); a withheld group's row says why in the note column, in the locale
 * given. Progress on goals: group `goals`, items `progress_mid` and `progress_end`, counts only. The
 * change per outcome item: group `growth`, items `<item>.start`, `<item>.end` and `<item>.change`, the
 * mean in the average column, n the mentees who answered both.
 */
export function reportCsv(report: SeasonReport, locale: Locale = 'da', text: Catalog = (fallbackText ??= createCatalog())): string {
  const tooFew = text.t(locale, 'coordinator.report.tooFew');
  const rows: CsvValue[][] = [['group', 'item', 'n', 'count_1', 'count_2', 'count_3', 'count_4', 'count_5', 'share', 'average', 'note']];
  const add = (group: string, r: ItemResult) =>
    rows.push(r.shown ? [group, r.item, r.n, ...r.counts, r.share.toFixed(3), r.average.toFixed(2), ''] : [group, r.item, '', '', '', '', '', '', '', '', tooFew]);
  for (const r of report.outcomes) add('outcome', r);
  add('mentee', report.match.mentee);
  add('mentor', report.match.mentor);
  add('mentee', report.engagement.mentee);
  add('mentor', report.engagement.mentor);
  rows.push(['activity', 'meetings_per_pair', report.pairs, '', '', '', '', '', '', report.meetingsPerPair.toFixed(2), '']);
  rows.push(['activity', 'job_shadowing', report.pairs, '', '', '', '', '', shadowingShown(report) ? report.jobShadowing.share.toFixed(3) : '', '', shadowingShown(report) ? '' : tooFew]);
  const none = text.t(locale, 'goals.report.none');
  for (const g of [report.goalProgress.mid, report.goalProgress.end]) {
    rows.push(g.shown ? ['goals', `progress_${g.moment}`, g.n, ...g.counts, '', '', ''] : ['goals', `progress_${g.moment}`, '', '', '', '', '', '', '', '', g.reason === 'tooFew' ? tooFew : none]);
  }
  for (const g of report.growth) {
    for (const part of ['start', 'end', 'change'] as const) {
      const value = g.shown ? { start: g.baseline, end: g.end, change: g.change }[part].toFixed(2) : '';
      rows.push(['growth', `${g.item}.${part}`, g.shown ? g.n : '', '', '', '', '', '', '', value, g.shown ? '' : g.reason === 'tooFew' ? tooFew : none]);
    }
  }
  return csvFile(rows);
}
