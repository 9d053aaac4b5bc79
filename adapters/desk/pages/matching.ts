/**
 * Matching from the browser, through matching.ts like `match` in chat and the CLI: for each mentee
 * without a mentor the suggestions with their reasons, each to confirm; another mentor with room to
 * choose instead; every mentor's capacity; and the best assignment for all at once.
 */
import { z } from 'zod';
import { mentorCapacities, suggestMatches, unmatchedMentees, type Suggestion } from '../../../src/coordinator/matching';
import { html, type Html } from '../html';
import { formBasics, href, scrollTable, t, tx, type Desk, type Page } from '../layout';

export const PAGE_SIZE = 10;

export const matchingQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
  notice: z.enum(['matched', 'best', 'notMentee', 'notMentor', 'taken', 'full', 'repeat']).optional().catch(undefined),
  mentee: z.coerce.number().int().positive().optional().catch(undefined),
  mentor: z.coerce.number().int().positive().optional().catch(undefined),
  n: z.coerce.number().int().min(0).optional().catch(undefined),
});

export const matchingForm = z.discriminatedUnion('action', [
  z.object({ action: z.literal('confirm'), mentee: z.coerce.number().int().positive(), mentor: z.coerce.number().int().positive() }),
  z.object({ action: z.literal('best') }),
]);

function reasons(d: Desk, s: Suggestion): string {
  return s.reasons.map((r) => tx(d, `coordinator.match.reason.${r.reason}`, { detail: r.detail ?? '' })).join(', ');
}

/** A person's name when they take part in the desk's programme; '' for anyone else (no name leaves the programme). */
export function participantName(d: Desk, id: number | undefined): string {
  if (id === undefined) return '';
  const row = d.core.db.prepare('SELECT DISTINCT p.name FROM people p JOIN participants pa ON pa.person_id = p.id WHERE p.id = ? AND pa.programme_id = ?').get(id, d.programme.id) as
    | { name: string }
    | undefined;
  return row?.name ?? '';
}

/** Why a match was refused, naming the one it is about (the mentor for notMentor and full, else the mentee). */
export function matchProblem(d: Desk, problem: string, mentee: string, mentor: string): string {
  const who = problem === 'notMentor' || problem === 'full' ? mentor : mentee;
  return t(d, `matching.problem.${problem}`, { name: who, mentee, mentor, programme: d.programme.name });
}

function noticeOf(d: Desk, q: z.infer<typeof matchingQuery>): Html {
  if (!q.notice) return html``;
  const [mentee, mentor] = [participantName(d, q.mentee), participantName(d, q.mentor)];
  switch (q.notice) {
    case 'matched':
      return html`<p class="notice" role="status">${tx(d, 'coordinator.match.done', { mentee, mentor })}</p>`;
    case 'best':
      return html`<p class="notice" role="status">${t(d, 'matching.bestDone', { n: q.n ?? 0 })}</p>`;
    default:
      return html`<p class="problem" role="alert">${matchProblem(d, q.notice, mentee, mentor)}</p>`;
  }
}

export function matchingPage(d: Desk, q: z.infer<typeof matchingQuery>): Page {
  const { core, programme } = d;
  const mentees = unmatchedMentees(core, programme.id).sort((a, b) => a.name.localeCompare(b.name, d.locale));
  const mentors = mentorCapacities(core, programme.id).sort((a, b) => a.name.localeCompare(b.name, d.locale));
  const withRoom = mentors.filter((m) => m.left > 0);
  const suggestions = suggestMatches(core, programme.id, 3);
  const pages = Math.max(1, Math.ceil(mentees.length / PAGE_SIZE));
  const page = Math.min(q.page ?? 1, pages);
  const shown = mentees.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  const confirm = (menteeId: number, mentorId: number, label: string) =>
    html`<form method="post" action="/desk/matching" class="inline">${formBasics(d)}<input type="hidden" name="action" value="confirm"><input type="hidden" name="mentee" value="${menteeId}"><input type="hidden" name="mentor" value="${mentorId}"><button type="submit">${label}</button></form>`;

  const menteeBlock = (m: { menteeId: number; name: string }) => {
    const own = suggestions.filter((s) => s.menteeId === m.menteeId);
    return html`<section class="suggestion" aria-labelledby="mentee-${m.menteeId}">
<h3 id="mentee-${m.menteeId}">${m.name}</h3>
${
  own.length === 0
    ? html`<p>${t(d, 'matching.noSuggestion')}</p>`
    : html`<ol>${own.map(
        (s) => html`<li><strong>${s.mentor}</strong> — ${t(d, 'matching.score', { score: s.score })} · ${reasons(d, s)}
<div class="actions">${confirm(m.menteeId, s.mentorId, t(d, 'matching.confirm', { mentor: s.mentor }))}</div></li>`,
      )}</ol>`
}
${
  withRoom.length > 0
    ? html`<form method="post" action="/desk/matching" class="filters">${formBasics(d)}<input type="hidden" name="action" value="confirm"><input type="hidden" name="mentee" value="${m.menteeId}">
<div><label for="other-${m.menteeId}">${t(d, 'matching.other')}</label>
<select id="other-${m.menteeId}" name="mentor">${withRoom.map((o) => html`<option value="${o.mentorId}">${t(d, 'matching.option', { name: o.name, left: o.left })}</option>`)}</select></div>
<div><button type="submit" class="secondary">${t(d, 'matching.confirmOther')}</button></div></form>`
    : ''
}
</section>`;
  };

  const pager =
    pages > 1
      ? html`<nav aria-label="${t(d, 'matching.pages')}"><p>${page > 1 ? html`<a href="${href(d, '/desk/matching', { page: page - 1 })}">${t(d, 'matching.previous')}</a> · ` : ''}${t(d, 'matching.pageOf', { page, pages })}${page < pages ? html` · <a href="${href(d, '/desk/matching', { page: page + 1 })}">${t(d, 'matching.next')}</a>` : ''}</p></nav>`
      : '';

  const body = html`<h1>${t(d, 'matching.title')}</h1>
${noticeOf(d, q)}
<p>${mentees.length === 0 ? tx(d, 'coordinator.match.none') : t(d, 'matching.intro', { n: mentees.length })}</p>
${
  mentees.length > 0 && withRoom.length > 0
    ? html`<form method="post" action="/desk/matching">${formBasics(d)}<input type="hidden" name="action" value="best"><p><button type="submit" class="secondary">${t(d, 'matching.best')}</button> <span class="note">${t(d, 'matching.bestHint')}</span></p></form>`
    : ''
}
<h2>${t(d, 'matching.mentees')}</h2>
${shown.map(menteeBlock)}
${pager}
<h2>${t(d, 'matching.capacity')}</h2>
${scrollTable(
  'table-capacity',
  t(d, 'matching.capacityCaption', { n: mentors.length }),
  html`<tr><th scope="col">${t(d, 'matching.mentor')}</th><th scope="col" class="num">${t(d, 'matching.capacityCol')}</th><th scope="col" class="num">${t(d, 'matching.taken')}</th><th scope="col" class="num">${t(d, 'matching.left')}</th></tr>`,
  mentors.map((m) => html`<tr><th scope="row">${m.name}</th><td class="num">${m.capacity}</td><td class="num">${m.capacity - m.left}</td><td class="num">${Math.max(0, m.left)}</td></tr>`),
  t(d, 'matching.noMentors'),
  4,
)}`;
  return { section: 'matching', title: t(d, 'nav.matching'), body };
}
