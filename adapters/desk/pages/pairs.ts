/**
 * The pairs, filterable by state and by flag, and each pair's own page: its dates and counts, its
 * meetings (when, what became of them, prepared, summed up: never what was said), its flags with the
 * coordinator's private notes, the forms to acknowledge or resolve them (flags.ts does that), and, for
 * an active pair, a new mentor for the mentee or the end of the pair (pair-actions.ts, as `match` and
 * `unmatch` in chat), each confirmed by a tick first.
 */
import { z } from 'zod';
import { listFlags, type Flag } from '../../../src/coordinator/flags';
import { mentorCapacities } from '../../../src/coordinator/matching';
import { assessProgramme, riskCodes, type PairRisk } from '../../../src/coordinator/risk';
import { onePair, pairFacts, pairMeetings, pairStates, type PairFacts } from '../../../src/desk/pairs';
import { html, type Html } from '../html';
import { dateTime, day, formBasics, href, scrollTable, t, tx, type Desk, type Page } from '../layout';
import { reasonName, reasonText } from './words';

const flagFilters = ['atRisk', 'open', 'acknowledged', 'resolved', 'none', ...riskCodes] as const;
export type FlagFilter = (typeof flagFilters)[number];

export const pairsQuery = z.object({
  state: z.enum(pairStates).optional().catch(undefined),
  flag: z.enum(flagFilters).optional().catch(undefined),
});

const live = (f: Flag) => !f.clearedAt;

function matches(filter: FlagFilter | undefined, risk: PairRisk | undefined, flags: Flag[]): boolean {
  const liveFlags = flags.filter(live);
  switch (filter) {
    case undefined:
      return true;
    case 'atRisk':
      return !!risk;
    case 'open':
    case 'acknowledged':
      return liveFlags.some((f) => f.state === filter);
    case 'resolved':
      return flags.some((f) => f.state === 'resolved');
    case 'none':
      return !risk && !liveFlags.some((f) => f.state !== 'resolved');
    default:
      return !!risk?.reasons.some((r) => r.code === filter) || liveFlags.some((f) => f.code === filter);
  }
}

function flagBadges(d: Desk, flags: Flag[]): Html {
  return html`${flags.filter(live).map((f) => html`<span class="flag">${reasonName(d, f.code)} · ${t(d, `flagState.${f.state}`)}</span>`)}`;
}

export function pairsPage(d: Desk, query: z.infer<typeof pairsQuery>): Page {
  const { core, programme } = d;
  const all = pairFacts(core, programme.id);
  const flags = listFlags(core, programme.id);
  const risks = new Map(assessProgramme(core, programme.id).map((r) => [r.pairId, r]));
  const flagsOf = (pairId: number) => flags.filter((f) => f.pairId === pairId);
  const shown = all.filter((p) => (!query.state || p.state === query.state) && matches(query.flag, risks.get(p.pairId), flagsOf(p.pairId)));
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;

  const body = html`<h1>${t(d, 'pairs.title')}</h1>
<form class="filters" method="get" action="/desk/pairs">
<input type="hidden" name="p" value="${programme.id}">
<div><label for="filter-state">${t(d, 'pairs.state')}</label>
<select id="filter-state" name="state">${option('', t(d, 'pairs.allStates'), !query.state)}${pairStates.map((s) => option(s, t(d, `state.${s}`), query.state === s))}</select></div>
<div><label for="filter-flag">${t(d, 'pairs.flag')}</label>
<select id="filter-flag" name="flag">${option('', t(d, 'pairs.allFlags'), !query.flag)}${flagFilters.map((f) => option(f, riskCodes.includes(f as never) ? reasonName(d, f) : t(d, `filter.${f}`), query.flag === f))}</select></div>
<div><button type="submit">${t(d, 'pairs.filter')}</button></div>
</form>
<p role="status">${t(d, 'pairs.shown', { n: shown.length, total: all.length })}</p>
${scrollTable(
  'table-pairs',
  t(d, 'pairs.caption'),
  html`<tr><th scope="col">${t(d, 'pairs.pair')}</th><th scope="col">${t(d, 'pairs.state')}</th><th scope="col" class="num">${t(d, 'pairs.held')}</th><th scope="col">${t(d, 'pairs.last')}</th><th scope="col">${t(d, 'pairs.next')}</th><th scope="col">${t(d, 'pairs.flags')}</th></tr>`,
  shown.map(
    (p) => html`<tr>
<th scope="row"><a href="${href(d, '/desk/pair', { id: p.pairId })}">${p.mentee} &amp; ${p.mentor}</a></th>
<td>${t(d, `state.${p.state}`)}</td><td class="num">${p.held}</td><td>${day(d, p.lastMeeting)}</td><td>${day(d, p.nextMeeting)}</td>
<td>${flagBadges(d, flagsOf(p.pairId))}</td>
</tr>`,
  ),
  t(d, 'pairs.none'),
  6,
)}
<p><a href="${href(d, '/desk/export.xlsx')}">${t(d, 'export.xlsx')}</a> · <a href="${href(d, '/desk/export.csv')}">${t(d, 'export.csv')}</a></p>`;
  return { section: 'pairs', title: t(d, 'nav.pairs'), body };
}

export const pairQuery = z.object({ id: z.coerce.number().int().positive() });

/** The form that ends a pair, with a new mentor for the mentee or without; `confirm` is the tick. */
export const changeForm = z.discriminatedUnion('action', [
  z.object({ action: z.literal('rematch'), pair: z.coerce.number().int().positive(), mentor: z.coerce.number().int().positive(), confirm: z.literal('yes').optional() }),
  z.object({ action: z.literal('end'), pair: z.coerce.number().int().positive(), confirm: z.literal('yes').optional() }),
]);

/** A new mentor for the mentee (mentors with room, the current one left out), or the end of the pair: one form, one tick. */
function changeSection(d: Desk, p: PairFacts): Html {
  const others = mentorCapacities(d.core, d.programme.id)
    .filter((m) => m.left > 0 && m.mentorId !== p.mentorId)
    .sort((a, b) => a.name.localeCompare(b.name, d.locale));
  return html`<h2>${t(d, 'pair.changeTitle')}</h2>
<p>${t(d, 'pair.changeIntro')}</p>
<form method="post" action="/desk/pair/change" class="stack">${formBasics(d)}<input type="hidden" name="pair" value="${p.pairId}">
${
  others.length === 0
    ? html`<p>${t(d, 'pair.noOtherMentor')}</p>`
    : html`<div><label for="new-mentor">${t(d, 'pair.newMentor', { mentee: p.mentee })}</label>
<select id="new-mentor" name="mentor">${others.map((o) => html`<option value="${o.mentorId}">${tx(d, 'desk.matching.option', { name: o.name, left: o.left })}</option>`)}</select></div>`
}
<div class="check"><input type="checkbox" id="confirm-change" name="confirm" value="yes" required>
<label for="confirm-change">${t(d, 'pair.confirmEnd', { mentee: p.mentee, mentor: p.mentor })}</label></div>
<div class="actions">${others.length > 0 ? html`<button type="submit" name="action" value="rematch">${t(d, 'pair.rematch')}</button>` : ''}
<button type="submit" name="action" value="end" class="secondary">${t(d, 'pair.end')}</button></div>
</form>`;
}

function facts(d: Desk, p: PairFacts): Html {
  const row = (term: string, value: string | number) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  return html`<dl class="cards">
${row(t(d, 'pair.matched'), day(d, p.matchedAt))}
${row(t(d, 'pairs.state'), p.endedAt ? `${t(d, `state.${p.state}`)} (${day(d, p.endedAt)})` : t(d, `state.${p.state}`))}
${row(t(d, 'pair.meetings'), t(d, 'pair.meetingsValue', { held: p.held, upcoming: p.upcoming, cancelled: p.cancelled, missed: p.missed }))}
${row(t(d, 'pairs.last'), day(d, p.lastMeeting))}
${row(t(d, 'pairs.next'), day(d, p.nextMeeting))}
${row(t(d, 'pair.preps'), p.preps)}
${row(t(d, 'pair.summaries'), p.summaries)}
${row(t(d, 'pair.checkins'), t(d, 'pair.checkinsValue', { n: p.checkins }))}
${row(t(d, 'pair.shadowing'), tx(d, `coordinator.pair.shadowing.${p.jobShadowing ?? 'none'}`))}
</dl>`;
}

function flagForm(d: Desk, f: Flag): Html {
  return html`<form method="post" action="/desk/flag" class="stack">
${formBasics(d)}<input type="hidden" name="flag" value="${f.id}"><input type="hidden" name="back" value="${d.here}">
<div><label for="note-${f.id}">${t(d, 'pair.note')}</label>
<textarea id="note-${f.id}" name="note" maxlength="500" aria-describedby="note-hint-${f.id}"></textarea>
<span id="note-hint-${f.id}" class="note">${t(d, 'pair.noteHint')}</span></div>
<div class="actions">
${f.state === 'open' ? html`<button type="submit" name="action" value="acknowledge">${t(d, 'pair.acknowledge')}</button>` : ''}
${f.state !== 'resolved' ? html`<button type="submit" name="action" value="resolve" class="${f.state === 'open' ? 'secondary' : ''}">${t(d, 'pair.resolve')}</button>` : html`<button type="submit" name="action" value="resolve" class="secondary">${t(d, 'pair.addNote')}</button>`}
</div>
</form>`;
}

export function pairPage(d: Desk, pairId: number, message: { notice?: string; problem?: string } = {}): Page | null {
  const { core, programme } = d;
  const p = onePair(core, programme.id, pairId);
  if (!p) return null;
  const flags = listFlags(core, programme.id).filter((f) => f.pairId === pairId);
  const risk = assessProgramme(core, programme.id).find((r) => r.pairId === pairId);
  const meetings = pairMeetings(core, pairId);
  const title = `${p.mentee} & ${p.mentor}`;
  const yes = t(d, 'pair.yes');
  const body = html`<p><a href="${href(d, '/desk/pairs')}">${t(d, 'pair.back')}</a></p>
<h1>${title}</h1>
${message.notice ? html`<p class="notice" role="status">${message.notice}</p>` : ''}
${message.problem ? html`<p class="problem" role="alert">${message.problem}</p>` : ''}
<h2>${t(d, 'pair.facts')}</h2>
${facts(d, p)}
<h2>${t(d, 'pair.riskNow')}</h2>
${risk ? html`<ul>${risk.reasons.map((r) => html`<li>${reasonText(d, r.code, r.detail)} — ${t(d, 'pair.since', { date: day(d, r.since) })}</li>`)}</ul>` : html`<p>${t(d, 'pair.noRisk')}</p>`}
<h2>${t(d, 'pair.meetingsTitle')}</h2>
${scrollTable(
  'table-meetings',
  t(d, 'pair.meetingsCaption'),
  html`<tr><th scope="col">${t(d, 'pair.when')}</th><th scope="col">${t(d, 'pair.status')}</th><th scope="col">${t(d, 'pair.prepared')}</th><th scope="col">${t(d, 'pair.summarised')}</th></tr>`,
  meetings.map(
    (m) => html`<tr><td>${dateTime(d, m.startsAt)}</td><td>${tx(d, `common.status.${m.status}`)}</td><td>${m.prepared ? yes : '—'}</td><td>${m.summarised ? yes : '—'}</td></tr>`,
  ),
  t(d, 'pair.noMeetings'),
  4,
)}
<h2>${t(d, 'pair.flagsTitle')}</h2>
${
  flags.length === 0
    ? html`<p>${t(d, 'pair.noFlags')}</p>`
    : flags.map(
        (f) => html`<section class="suggestion" aria-labelledby="flag-${f.id}">
<h3 id="flag-${f.id}">${reasonText(d, f.code, f.detail)}</h3>
<p>${t(d, `flagState.${f.state}`)}${f.clearedAt ? html` · ${t(d, 'pair.cleared', { date: day(d, f.clearedAt) })}` : ''} · ${t(d, 'pair.raisedOn', { date: day(d, f.raisedAt) })}${f.acknowledgedAt ? html` · ${t(d, 'pair.acknowledgedOn', { date: day(d, f.acknowledgedAt) })}` : ''}${f.resolvedAt ? html` · ${t(d, f.resolvedBy === 'itself' ? 'pair.resolvedItself' : 'pair.resolvedOn', { date: day(d, f.resolvedAt) })}` : ''}</p>
${f.note ? html`<p><strong>${t(d, 'pair.notes')}</strong></p><ul class="answers">${f.note.split('\n').map((n) => html`<li>${n}</li>`)}</ul>` : ''}
${flagForm(d, f)}
</section>`,
      )
}
${p.state !== 'ended' ? changeSection(d, p) : ''}`;
  return { section: 'pairs', title, body };
}
