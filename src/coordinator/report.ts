/**
 * The end-of-season report: for each outcome item the distribution over the five-point scale and
 * the share who agree, with n; match quality; engagement; meetings per pair; the job-shadowing
 * share. Aggregates only. As Markdown, CSV, or a stacked bar chart like the programme's poster.
 */
import type { Core } from '../core';
import { outcomeItems } from '../flows/survey';
import type { Locale } from '../text/locale';
import { programmeStatus } from './status';

export interface ItemResult {
  item: string;
  n: number;
  /** Answers per scale point 1..5 (1 = strongly agree / very poor … 5 = strongly disagree / very good). */
  counts: [number, number, number, number, number];
  /** Share answering 1 or 2 (agree), or 4 or 5 (good) for the rating scales. */
  share: number;
  average: number;
}

export interface SeasonReport {
  outcomes: ItemResult[];
  match: { mentee: ItemResult; mentor: ItemResult };
  engagement: { mentee: ItemResult; mentor: ItemResult };
  meetingsPerPair: number;
  pairs: number;
  jobShadowing: { done: number; share: number };
}

function item(core: Core, programmeId: number, name: string, role: 'mentee' | 'mentor', favourable: 'low' | 'high'): ItemResult {
  const rows = core.db
    .prepare('SELECT value, count(*) AS n FROM survey_responses WHERE programme_id = ? AND role = ? AND item = ? AND value BETWEEN 1 AND 5 GROUP BY value')
    .all(programmeId, role, name) as { value: number; n: number }[];
  const counts: ItemResult['counts'] = [0, 0, 0, 0, 0];
  for (const r of rows) counts[r.value - 1] = r.n;
  const n = counts.reduce((a, b) => a + b, 0);
  const good = favourable === 'low' ? counts[0] + counts[1] : counts[3] + counts[4];
  const sum = counts.reduce((s, c, i) => s + c * (i + 1), 0);
  return { item: name, n, counts, share: n === 0 ? 0 : good / n, average: n === 0 ? 0 : sum / n };
}

export function seasonReport(core: Core, programmeId: number): SeasonReport {
  const status = programmeStatus(core, programmeId);
  const done = (core.db.prepare("SELECT count(*) AS n FROM pairs WHERE programme_id = ? AND status = 'active' AND job_shadowing = 'done'").get(programmeId) as { n: number }).n;
  const pairs = status.pairs.active;
  return {
    outcomes: outcomeItems.map((name) => item(core, programmeId, name, 'mentee', 'low')),
    match: { mentee: item(core, programmeId, 'match', 'mentee', 'high'), mentor: item(core, programmeId, 'match', 'mentor', 'high') },
    engagement: { mentee: item(core, programmeId, 'engagement', 'mentee', 'high'), mentor: item(core, programmeId, 'engagement', 'mentor', 'high') },
    meetingsPerPair: status.meetingsPerPair.average,
    pairs,
    jobShadowing: { done, share: pairs === 0 ? 0 : done / pairs },
  };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

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
    ...report.outcomes.map((r) => `| ${t(`coordinator.item.${r.item}`)} | ${r.n} | ${r.counts.join(' | ')} | ${pct(r.share)} |`),
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
    lines.push(`| ${label} | ${r.n} | ${r.counts.join(' | ')} | ${r.average.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} | ${pct(r.share)} |`);
  }
  lines.push(
    '',
    `## ${t('coordinator.report.activity')}`,
    '',
    `- ${t('coordinator.report.pairs', { n: report.pairs })}`,
    `- ${t('coordinator.report.meetingsPerPair', { n: report.meetingsPerPair.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })}`,
    `- ${t('coordinator.report.jobShadowing', { n: report.jobShadowing.done, share: pct(report.jobShadowing.share) })}`,
  );
  return lines.join('\n') + '\n';
}

const csvCell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function reportCsv(report: SeasonReport): string {
  const rows: (string | number)[][] = [['group', 'item', 'n', 'count_1', 'count_2', 'count_3', 'count_4', 'count_5', 'share', 'average']];
  const add = (group: string, r: ItemResult) => rows.push([group, r.item, r.n, ...r.counts, r.share.toFixed(3), r.average.toFixed(2)]);
  for (const r of report.outcomes) add('outcome', r);
  add('mentee', report.match.mentee);
  add('mentor', report.match.mentor);
  add('mentee', report.engagement.mentee);
  add('mentor', report.engagement.mentor);
  rows.push(['activity', 'meetings_per_pair', report.pairs, '', '', '', '', '', '', report.meetingsPerPair.toFixed(2)]);
  rows.push(['activity', 'job_shadowing', report.pairs, '', '', '', '', '', report.jobShadowing.share.toFixed(3), '']);
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
