/**
 * What is wrong with a participants file, said in the reader's language: a problem is a line, a
 * column, and one of the codes below with its values; the words live in prompts/<locale>/csv.json
 * (the English ones are what `sparring import` prints).
 */
import type { Catalog, Vars } from '../text/catalog';
import type { Locale } from '../text/locale';

export const problemCodes = [
  'notUtf8',
  'empty',
  'notCsv',
  'missingColumn',
  'unknownColumn',
  'noRows',
  'tooManyRows',
  'control',
  'alsoOnLine',
  'role',
  'nameEmpty',
  'tooLong',
  'email',
  'locale',
  'slackId',
  'teamsId',
  'interestTooLong',
  'tooManyInterests',
  'wholeNumber',
  'atLeast',
  'atMost',
  'mentorsOnly',
  'timezone',
  'invalid',
  'linkedElsewhere',
  'linkSharedOther',
  'linkSharedNotYours',
  'samePerson',
  'changeSharedOther',
  'changeSharedNotYours',
] as const;

export type ProblemCode = (typeof problemCodes)[number];

export interface ImportProblem {
  line: number;
  column?: string;
  problem: ProblemCode;
  vars?: Vars;
}

const codes = new Set<string>(problemCodes);

/** The code a validation message names, or `invalid` for one the schema did not word itself. */
export function problemCode(message: string): ProblemCode {
  return codes.has(message) ? (message as ProblemCode) : 'invalid';
}

/** Values that are line numbers: written as the line prefix writes them ("linje 20002"), not as amounts. */
const LINE_VARS = new Set(['first']);

/** The problem alone, e.g. "er ikke en e-mailadresse". Amounts are written the reader's way (20.000 / 20,000). */
export function problemText(text: Catalog, locale: Locale, p: ImportProblem): string {
  const vars = Object.fromEntries(Object.entries(p.vars ?? {}).map(([k, v]) => [k, typeof v === 'number' && !LINE_VARS.has(k) ? v.toLocaleString(locale) : v]));
  return text.t(locale, `csv.problem.${p.problem}`, vars);
}

/** One problem per line: "line 3, email: is not an e-mail address"; at most `limit`, then how many more. */
export function formatProblems(text: Catalog, locale: Locale, problems: readonly ImportProblem[], limit = 50): string {
  const lines = problems.slice(0, limit).map((p) =>
    text.t(locale, p.column ? 'csv.lineColumn' : 'csv.line', { line: p.line, column: p.column ?? '', problem: problemText(text, locale, p) }),
  );
  if (problems.length > limit) lines.push(text.t(locale, 'csv.more', { n: problems.length - limit }));
  return lines.join('\n');
}
