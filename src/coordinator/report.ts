/**
 * The end-of-season report: for each outcome item the distribution over the five-point scale and
 * the share who agree, with n; match quality; engagement; meetings per pair; the job-shadowing
 * share. Aggregates only. As Markdown, CSV, or a stacked bar chart like the programme's poster.
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
  /** Answers per scale point 1..5 (1 = strongly agree / very poor … 5 = strongly disagree / very good). */
  counts: [number, number, number, number, number];
  /** Share answering 1 or 2 (agree), or 4 or 5 (good) for the rating scales. */
  share: number;
  average: number;
}

/** A group too small to show: it carries no numbers at all, so no output can print them. */
export interface WithheldItem {
  item: string;
  shown: false;
}

export type ItemResult = ShownItem | WithheldItem;

export interface SeasonReport {
  /** Groups with fewer answers than this are withheld (the programme's minGroupSize). */
  minGroupSize: number;
  outcomes: ItemResult[];
  match: { mentee: ItemResult; mentor: ItemResult };
  engagement: { mentee: ItemResult; mentor: ItemResult };
  meetingsPerPair: number;
  pairs: number;
  jobShadowing: { done: number; share: number };
}

function item(core: Core, programmeId: number, name: string, role: 'mentee' | 'mentor', favourable: 'low' | 'high', minGroupSize: number): ItemResult {
  const rows = core.db
    .prepare('SELECT value, count(*) AS n FROM survey_responses WHERE programme_id = ? AND role = ? AND item = ? AND value BETWEEN 1 AND 5 GROUP BY value')
    .all(programmeId, role, name) as { value: number; n: number }[];
  const counts: ShownItem['counts'] = [0, 0, 0, 0, 0];
  for (const r of rows) counts[r.value - 1] = r.n;
  const n = counts.reduce((a, b) => a + b, 0);
  if (n < Math.max(1, minGroupSize)) return { item: name, shown: false };
  const good = favourable === 'low' ? counts[0] + counts[1] : counts[3] + counts[4];
  const sum = counts.reduce((s, c, i) => s + c * (i + 1), 0);
  return { item: name, shown: true, n, counts, share: good / n, average: sum / n };
}

export function seasonReport(core: Core, programmeId: number): SeasonReport {
  const status = programmeStatus(core, programmeId);
  const done = (core.db.prepare("SELECT count(*) AS n FROM pairs WHERE programme_id = ? AND status = 'active' AND job_shadowing = 'done'").get(programmeId) as { n: number }).n;
  const pairs = status.pairs.active;
  const min = getProgramme(core, programmeId).settings.minGroupSize;
  const of = (name: string, role: 'mentee' | 'mentor', favourable: 'low' | 'high') => item(core, programmeId, name, role, favourable, min);
  return {
    minGroupSize: min,
    outcomes: outcomeItems.map((name) => of(name, 'mentee', 'low')),
    match: { mentee: of('match', 'mentee', 'high'), mentor: of('match', 'mentor', 'high') },
    engagement: { mentee: of('engagement', 'mentee', 'high'), mentor: of('engagement', 'mentor', 'high') },
    meetingsPerPair: status.meetingsPerPair.average,
    pairs,
    jobShadowing: { done, share: pairs === 0 ? 0 : done / pairs },
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

/** Whether any group of the report is withheld as too small. */
export function anyWithheld(report: SeasonReport): boolean {
  return [...report.outcomes, report.match.mentee, report.match.mentor, report.engagement.mentee, report.engagement.mentor].some((r) => !r.shown);
}

/** Whether the share of pairs that did job shadowing may be shown (enough pairs; otherwise only the count). */
const shadowingShown = (report: SeasonReport) => report.pairs >= Math.max(1, report.minGroupSize);

/** "job shadowing: 3 of the pairs (40 %)", without the share when there are too few pairs. */
export function jobShadowingText(core: Core, report: SeasonReport, locale: Locale): string {
  const { done, share } = report.jobShadowing;
  return shadowingShown(report) ? core.text.t(locale, 'coordinator.report.jobShadowing', { n: done, share: pct(share) }) : core.text.t(locale, 'coordinator.report.jobShadowingCount', { n: done });
}

let fallbackText: Catalog | undefined;

/** The report as CSV (see csvFile); a withheld group's row says why in the note column, in the locale given. */
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
  return csvFile(rows);
}
