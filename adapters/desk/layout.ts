/**
 * What every desk page shares: who is signed in, for which programme, in which language; the page
 * shell (skip link, the programme switch, the language switch, signing out, the navigation); and the
 * small formatting helpers the pages use.
 */
import type { Core } from '../../src/core';
import type { Person } from '../../src/people';
import type { Programme } from '../../src/programme/programmes';
import type { Vars } from '../../src/text/catalog';
import type { Locale } from '../../src/text/locale';
import { formatDay, formatLocal, shiftLocalDate } from '../../src/time';
import { html, type Html } from './html';

export interface Desk {
  core: Core;
  person: Person;
  locale: Locale;
  programme: Programme;
  programmes: Programme[];
  csrf: string;
  /** This request's path and query, where a form sends the coordinator back to. */
  here: string;
}

/** The desk's sections; 'season' is reached from the overview rather than the navigation. */
export type Section = 'overview' | 'pairs' | 'participants' | 'import' | 'matching' | 'report' | 'export' | 'season';
export const sections: Section[] = ['overview', 'pairs', 'participants', 'import', 'matching', 'report', 'export'];
const sectionPath: Record<Section, string> = {
  overview: '/desk',
  pairs: '/desk/pairs',
  participants: '/desk/participants',
  import: '/desk/import',
  matching: '/desk/matching',
  report: '/desk/report',
  export: '/desk/export',
  season: '/desk/season',
};

export interface Page {
  section: Section;
  title: string;
  body: Html;
  status?: number;
}

/** A desk text ("desk.…"). */
export const t = (d: { core: Core; locale: Locale }, key: string, vars?: Vars): string => d.core.text.t(d.locale, `desk.${key}`, vars);
/** Any text of the catalogue. */
export const tx = (d: { core: Core; locale: Locale }, key: string, vars?: Vars): string => d.core.text.t(d.locale, key, vars);

/** A desk link for this programme, with more query parameters. */
export function href(d: Desk, path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const query = new URLSearchParams({ p: String(d.programme.id) });
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  return `${path}?${query.toString()}`;
}

export const pathOf = (section: Section) => sectionPath[section];

/** A moment as the epoch milliseconds or an ISO string the core gives. */
export function toMs(at: number | string | null | undefined): number | null {
  if (at === null || at === undefined || at === '') return null;
  const ms = typeof at === 'number' ? at : /^\d+$/.test(at) ? Number(at) : Date.parse(at);
  return Number.isFinite(ms) ? ms : null;
}

const days = new WeakMap<Desk, Map<string, string>>();

/** A day as "14. september" / "14 September" (with the year when it is not this year); "—" for none. */
export function day(d: Desk, at: number | string | null | undefined): string {
  const ms = toMs(at);
  if (ms === null) return '—';
  const date = shiftLocalDate(ms, 0, d.person.timezone);
  // A page of hundreds of pairs shows the same few days many times: each is formatted once per request.
  const key = `${date.year}-${date.month}-${date.day}`;
  let cache = days.get(d);
  if (!cache) days.set(d, (cache = new Map()));
  let text = cache.get(key);
  if (text === undefined) cache.set(key, (text = formatDay(date, d.person.timezone, d.locale, d.core.clock.now(), false)));
  return text;
}

export function dateTime(d: Desk, at: number): string {
  return formatLocal(at, d.person.timezone, d.locale, 'dateTime');
}

export const number = (d: Desk, n: number, digits = 0): string => n.toLocaleString(d.locale === 'da' ? 'da-DK' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** "75 %" of a part of a whole ("—" when there is no whole). */
export const percent = (d: Desk, part: number, whole: number): string => (whole === 0 ? '—' : `${number(d, Math.round((part / whole) * 100))} %`);

/** The hidden fields every form carries: the session's CSRF token and the programme. */
export function formBasics(d: Desk): Html {
  return html`<input type="hidden" name="csrf" value="${d.csrf}"><input type="hidden" name="p" value="${d.programme.id}">`;
}

const head = (locale: Locale, title: string, extra: Html | '' = '') =>
  html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/desk/desk.css">
${extra}
</head>`;

/** A whole page of the desk: shell, navigation and the page's own content. */
export function layout(d: Desk, page: Page): Html {
  const other: Locale = d.locale === 'da' ? 'en' : 'da';
  const switcher =
    d.programmes.length > 1
      ? html`<form method="get" action="${pathOf(page.section)}">
  <label for="programme-switch">${t(d, 'layout.programme')}</label>
  <select id="programme-switch" name="p">${d.programmes.map((p) => html`<option value="${p.id}"${p.id === d.programme.id ? html` selected` : ''}>${p.name}</option>`)}</select>
  <button type="submit">${t(d, 'layout.show')}</button>
</form>`
      : '';
  return html`${head(d.locale, `${page.title} · ${d.programme.name} · Sparring`)}
<body>
<a class="skip" href="#main">${t(d, 'layout.skip')}</a>
<header class="top">
<div class="bar">
<p class="brand">Sparring · <span>${t(d, 'layout.desk')}</span> · ${d.programme.name}</p>
<div class="tools">
${switcher}
<form method="post" action="/desk/language">
  ${formBasics(d)}<input type="hidden" name="back" value="${d.here}"><input type="hidden" name="locale" value="${other}">
  <button type="submit" lang="${other}">${tx({ core: d.core, locale: other }, 'desk.layout.languageName')}</button>
</form>
<form method="post" action="/desk/sign-out">
  ${formBasics(d)}
  <button type="submit">${t(d, 'layout.signOut', { name: d.person.name })}</button>
</form>
</div>
</div>
<nav aria-label="${t(d, 'layout.nav')}">
<ul>${sections.map((s) => html`<li><a href="${href(d, sectionPath[s])}"${s === page.section ? html` aria-current="page"` : ''}>${t(d, `nav.${s}`)}</a></li>`)}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
${page.body}
</main>
</body>
</html>
`;
}

/** A page outside a session (a link that no longer works, signed out, not signed in). */
export function bare(locale: Locale, title: string, body: Html, options: { refreshTo?: string } = {}): Html {
  const refresh = options.refreshTo ? html`<meta http-equiv="refresh" content="0; url=${options.refreshTo}">` : '';
  return html`${head(locale, `${title} · Sparring`, refresh)}
<body>
<main id="main" class="bare">
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

/** A table in a box that scrolls sideways on a narrow screen (focusable, so a keyboard can scroll it). */
export function scrollTable(id: string, caption: string, head: Html, rows: Html[], empty?: string, columnCount = 1): Html {
  return html`<div class="scroll" role="region" aria-labelledby="${id}" tabindex="0">
<table>
<caption id="${id}">${caption}</caption>
<thead>${head}</thead>
<tbody>${rows.length > 0 ? rows : empty ? html`<tr><td colspan="${columnCount}">${empty}</td></tr>` : ''}</tbody>
</table>
</div>`;
}
