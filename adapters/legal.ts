/**
 * The privacy notice and the terms of use, served by the bot itself at GET /privacy and GET /terms
 * (the Teams package links to them). The words come from prompts/{da,en}/legal.json; the data
 * controller, the contact for data questions and the retention period come from each programme
 * whose people's data is still kept (not closed, or closed and its retention not yet run out): its
 * settings' privacy.controller, privacy.contact, retentionMonths and the coordinator's contact. The language is
 * ?lang=da|en, else the browser's first of those, else the default. Plain HTML with inline style:
 * every text escaped, no scripts, no third-party assets (the Content-Security-Policy allows none).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../src/core';
import { parseSettings } from '../src/programme/settings';
import { isLocale, locales, type Locale } from '../src/text/locale';
import type { Route } from './http';

export const LEGAL_PATHS = { privacy: '/privacy', terms: '/terms' } as const;

interface ProgrammeNotice {
  name: string;
  privacy: { controller?: string; contact?: string };
  retentionMonths: number;
  coordinator?: string;
}

function listProgrammes(core: Core): ProgrammeNotice[] {
  const rows = core.db
    .prepare("SELECT name, settings FROM programmes WHERE status <> 'closed' OR free_text_deleted_at IS NULL ORDER BY starts_on, id")
    .all() as { name: string; settings: string }[];
  return rows.map((r) => {
    const settings = parseSettings(r.settings);
    return { name: r.name, privacy: settings.privacy, retentionMonths: settings.retentionMonths, coordinator: settings.contacts.coordinator };
  });
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Escaped, with our light markdown's *bold* as <strong>. */
const inline = (text: string) => escapeHtml(text).replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s.,:;!?)])/g, '$1<strong>$2</strong>');

const paragraph = (text: string) => `<p>${inline(text)}</p>`;
const list = (text: string) => `<ul>${text.split('\n').filter((l) => l.trim() !== '').map((l) => `<li>${inline(l)}</li>`).join('')}</ul>`;
const heading = (text: string) => `<h2>${escapeHtml(text)}</h2>`;

const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;color:#1b1b1b;background:#fff;margin:0}' +
  'main{max-width:42rem;margin:0 auto;padding:2rem 1.25rem}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.75rem}' +
  'nav{text-align:right}a{color:#1d3557}';

/** The page's language: ?lang=, else the first of ours the browser accepts, else the default. */
export function pageLocale(req: IncomingMessage, fallback: Locale): Locale {
  const asked = new URL(req.url ?? '/', 'http://x').searchParams.get('lang');
  if (asked && isLocale(asked)) return asked;
  const accepted = String(req.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { lang: (tag ?? '').split('-')[0]!, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((a) => a.q > 0 && isLocale(a.lang))
    .sort((a, b) => b.q - a.q);
  return (accepted[0]?.lang as Locale | undefined) ?? fallback;
}

function page(locale: Locale, title: string, body: string[], path: string, t: (key: string) => string): string {
  const other = locales.find((l) => l !== locale) ?? locale;
  return [
    '<!doctype html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    '<body><main>',
    `<nav><a href="${path}?lang=${other}" hreflang="${other}" lang="${other}">${escapeHtml(t('legal.otherLanguage'))}</a></nav>`,
    `<h1>${escapeHtml(title)}</h1>`,
    ...body,
    '</main></body></html>',
  ].join('\n');
}

export function privacyPage(core: Core, locale: Locale): string {
  const t = (key: string, vars = {}) => core.text.t(locale, key, vars);
  const programmes = listProgrammes(core);
  const controllers = programmes.flatMap((p) => {
    const lines: string[] = [];
    if (p.privacy.controller) lines.push(paragraph(t('legal.privacy.controller', { programme: p.name, controller: p.privacy.controller })));
    if (p.privacy.contact) lines.push(paragraph(t('legal.privacy.contact', { programme: p.name, contact: p.privacy.contact })));
    return lines;
  });
  const keep = programmes.length > 0 ? programmes.map((p) => paragraph(t('legal.privacy.keep', { programme: p.name, months: p.retentionMonths }))) : [paragraph(t('legal.privacy.keepDefault', { months: 12 }))];
  return page(
    locale,
    t('legal.privacy.title'),
    [
      paragraph(t('legal.privacy.intro')),
      heading(t('legal.privacy.controllerHeading')),
      ...(controllers.length > 0 ? controllers : [paragraph(t('legal.privacy.noController'))]),
      heading(t('legal.privacy.whatHeading')),
      list(t('legal.privacy.what')),
      heading(t('legal.privacy.whoHeading')),
      list(t('legal.privacy.who')),
      heading(t('legal.privacy.keepHeading')),
      ...keep,
      heading(t('legal.privacy.rightsHeading')),
      paragraph(t('legal.privacy.rights')),
    ],
    LEGAL_PATHS.privacy,
    t,
  );
}

export function termsPage(core: Core, locale: Locale): string {
  const t = (key: string, vars = {}) => core.text.t(locale, key, vars);
  const contacts = listProgrammes(core).flatMap((p) => (p.coordinator ? [paragraph(t('legal.programmeContact', { programme: p.name, contact: p.coordinator }))] : []));
  return page(
    locale,
    t('legal.terms.title'),
    [paragraph(t('legal.terms.intro')), list(t('legal.terms.use')), heading(t('legal.terms.contactHeading')), paragraph(t('legal.terms.contact')), ...contacts],
    LEGAL_PATHS.terms,
    t,
  );
}

function serve(core: Core, render: (core: Core, locale: Locale) => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const locale = pageLocale(req, core.defaults.locale);
    const html = render(core, locale);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-language': locale,
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'public, max-age=300',
      vary: 'accept-language',
    });
    res.end(html);
  };
}

/** GET /privacy and GET /terms, for the server to serve beside the platforms' routes. */
export function legalRoutes(core: Core): Route[] {
  return [
    { method: 'GET', path: LEGAL_PATHS.privacy, handler: serve(core, privacyPage) },
    { method: 'GET', path: LEGAL_PATHS.terms, handler: serve(core, termsPage) },
  ];
}
