/**
 * The next season from the current one, in the browser: the same use case as `programme create
 * --from` (src/flows/next-season.ts) copies the settings, contacts and coordinators and asks the
 * current season's mentors whether they join. Every field is checked first and a problem is shown
 * beside its field; nothing is created unless every field is right.
 */
import { z } from 'zod';
import { InputError } from '../../../src/errors';
import { createNextSeason } from '../../../src/flows/next-season';
import { findProgrammeByName } from '../../../src/programme/programmes';
import { parseLocalDate } from '../../../src/time';
import { html, type Html } from '../html';
import { day, formBasics, t, type Desk, type Page } from '../layout';

export type SeasonField = 'name' | 'startsOn' | 'endsOn';

export interface SeasonInput {
  name: string;
  startsOn: string;
  endsOn: string;
}

export type SeasonOutcome =
  | { kind: 'problems'; input: SeasonInput; problems: Partial<Record<SeasonField, string>>; general?: string }
  | { kind: 'created'; programme: { id: number; name: string; startsOn: string; endsOn: string }; asked: number };

const date = (emptyKey: string, badKey: string) =>
  z
    .string()
    .trim()
    .min(1, emptyKey)
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && parseLocalDate(s) !== null, badKey);

/** The form's fields; each message is a desk text key, shown beside its field. */
export const seasonForm = z
  .object({
    name: z.string().trim().min(1, 'season.problem.nameEmpty').max(120, 'season.problem.nameLong'),
    startsOn: date('season.problem.startEmpty', 'season.problem.startBad'),
    endsOn: date('season.problem.endEmpty', 'season.problem.endBad'),
  })
  .refine((s) => !(parseLocalDate(s.startsOn) && parseLocalDate(s.endsOn)) || s.startsOn < s.endsOn, { message: 'season.problem.endBeforeStart', path: ['endsOn'] });

/** Checks the form and, when every field is right, creates the next season from the current programme. */
export function runNextSeason(d: Desk, fields: Record<string, string | undefined>): SeasonOutcome {
  const input: SeasonInput = { name: (fields.name ?? '').slice(0, 200), startsOn: (fields.startsOn ?? '').slice(0, 20), endsOn: (fields.endsOn ?? '').slice(0, 20) };
  const parsed = seasonForm.safeParse(input);
  const problems: Partial<Record<SeasonField, string>> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = issue.path[0] as SeasonField;
      problems[f] ??= t(d, issue.message);
    }
  }
  const name = input.name.trim();
  if (!problems.name && findProgrammeByName(d.core, name)) problems.name = t(d, 'season.problem.nameTaken', { name });
  if (!parsed.success || Object.keys(problems).length > 0) return { kind: 'problems', input, problems };
  try {
    const made = createNextSeason(d.core, parsed.data, d.programme.name);
    return { kind: 'created', programme: made.programme, asked: made.asked };
  } catch (error) {
    // A name taken between the check and the transaction, or a rule of the programme's own.
    if (error instanceof InputError) return { kind: 'problems', input, problems: {}, general: error.message };
    throw error;
  }
}

function field(d: Desk, id: SeasonField, type: 'text' | 'date', value: string, problem: string | undefined, extra: Html | '' = ''): Html {
  const hint = html`<span id="${id}-hint" class="note">${t(d, `season.${id}Hint`)}</span>`;
  const error = problem ? html`<span id="${id}-error" class="field-error">${problem}</span>` : '';
  const described = problem ? `${id}-error ${id}-hint` : `${id}-hint`;
  return html`<div><label for="${id}">${t(d, `season.${id}`)}</label>
${error}<input id="${id}" type="${type}" name="${id}" value="${value}" required aria-describedby="${described}"${problem ? html` aria-invalid="true"` : ''}${extra}>
${hint}</div>`;
}

export function seasonPage(d: Desk, outcome?: SeasonOutcome): Page {
  const input = outcome?.kind === 'problems' ? outcome.input : { name: '', startsOn: '', endsOn: '' };
  const problems = outcome?.kind === 'problems' ? outcome.problems : {};
  let top: Html | '' = '';
  if (outcome?.kind === 'created') {
    const p = outcome.programme;
    top = html`<div class="notice" role="status"><p><strong>${t(d, 'season.created', { programme: p.name, from: d.programme.name })}</strong></p>
<p>${t(d, 'season.asked', { n: outcome.asked })}</p>
<p><a href="${`/desk?p=${p.id}`}">${t(d, 'season.open', { programme: p.name })}</a></p></div>`;
  } else if (outcome?.kind === 'problems') {
    const count = Object.keys(problems).length;
    top = html`<div class="problem" role="alert"><p><strong>${t(d, 'season.refused')}</strong></p>${outcome.general ? html`<p>${outcome.general}</p>` : ''}${
      count > 0 ? html`<ul>${(Object.entries(problems) as [SeasonField, string][]).map(([f, why]) => html`<li><a href="#${f}">${t(d, `season.${f}`)}</a>: ${why}</li>`)}</ul>` : ''
    }</div>`;
  }
  const body = html`<h1>${t(d, 'season.title')}</h1>
${top}
<p>${t(d, 'season.intro', { programme: d.programme.name, start: day(d, d.programme.startsOn + 'T12:00:00Z'), end: day(d, d.programme.endsOn + 'T12:00:00Z') })}</p>
<p class="note">${t(d, 'season.copies')}</p>
<form method="post" action="/desk/season" class="stack" novalidate>
${formBasics(d)}
${field(d, 'name', 'text', input.name, problems.name, html` maxlength="120" autocomplete="off"`)}
${field(d, 'startsOn', 'date', input.startsOn, problems.startsOn)}
${field(d, 'endsOn', 'date', input.endsOn, problems.endsOn)}
<div class="actions"><button type="submit">${t(d, 'season.create')}</button></div>
</form>`;
  return { section: 'season', title: t(d, 'season.title'), body, status: outcome?.kind === 'problems' ? 422 : 200 };
}
