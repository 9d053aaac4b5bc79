/**
 * The coordinator's desk on the web: server-side pages under /desk on the same HTTP server as the
 * platforms (adapters/http.ts). Every page and form goes through one guard: the session from its
 * HttpOnly cookie, the CSRF token on every POST, and the coordinator role for the programme asked
 * for, checked again on every request (src/desk/access.ts). The pages call the same use cases as
 * chat and the CLI (import, matching, flags, report, export, the next season); templates escape everything
 * (html.ts); every response carries a strict Content-Security-Policy and no script at all.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { MAX_IMPORT_BYTES } from '../../src/coordinator/chat-import';
import { pairsCsv } from '../../src/coordinator/export';
import { acknowledgeFlag, getFlag, resolveFlag } from '../../src/coordinator/flags';
import { applyMatches, bestMatches, confirmMatch } from '../../src/coordinator/matching';
import { endPair, rematchMentee } from '../../src/coordinator/pair-actions';
import type { Core } from '../../src/core';
import { deskAccess } from '../../src/desk/access';
import { serveDeskAt, signIn } from '../../src/desk/links';
import { sameSecret } from '../../src/desk/secrets';
import { endSession, findSession, setSessionLocale, SESSION_MS } from '../../src/desk/sessions';
import { deskWorkbook } from '../../src/desk/workbook';
import { describeError, InputError, PermissionDeniedError } from '../../src/errors';
import type { Logger } from '../../src/log';
import { getPair } from '../../src/pairs';
import { getPerson } from '../../src/people';
import { isLocale, locales, type Locale } from '../../src/text/locale';
import { readBody, type Handler, type Route } from '../http';
import { html, type Html } from './html';
import { bare, href, layout, tx, type Desk, type Page } from './layout';
import { exportPage, fileSlug } from './pages/export';
import { importPage, runImport } from './pages/import';
import { matchingForm, matchingPage, matchingQuery, matchProblem, participantName } from './pages/matching';
import { overviewPage } from './pages/overview';
import { participantsPage, participantsQuery } from './pages/participants';
import { changeForm, pairPage, pairQuery, pairsPage, pairsQuery } from './pages/pairs';
import { reportPage } from './pages/report';
import { runNextSeason, seasonPage } from './pages/season';
import { deskCss } from './style';
import { field, parseForm, readCookie, redirect, send, sessionCookie, type Form, type Reply } from './web';

export interface DeskOptions {
  /**
   * The public base URL of PORT (PUBLIC_URL; the local chat's http://localhost:PORT), which the sign-in
   * links point to; https makes the cookie Secure. A function, for a server whose port is known once it listens.
   */
  publicUrl: string | (() => string);
  /** The platforms this process delivers on, for who counts as reachable (default: any with an address). */
  platforms?: readonly string[];
  log?: Logger;
}

interface Request {
  req: IncomingMessage;
  url: URL;
  form: Form | null;
}

type Run = (d: Desk, r: Request) => Reply | Promise<Reply>;

/** Known link-preview fetchers: they would use up a one-time link before the coordinator opens it. */
const PREVIEWER = /Slackbot|SkypeUriPreview|BingPreview|facebookexternalhit|Twitterbot|LinkedInBot|Discordbot|WhatsApp|TelegramBot|Googlebot/i;

const programmeParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const idOf = (value: string | null | undefined): number | null => {
  const parsed = programmeParam.safeParse(value ?? undefined);
  return parsed.success ? parsed.data : null;
};

/** A place inside the desk to go back to after a form; anything else goes to the overview. */
const safeBack = (back: string | undefined): string | null => (back && /^\/desk(?:\/[\w.-]*)?(?:\?[\w=&%.+-]*)?$/.test(back) ? back : null);

const flagForm = z.object({
  flag: z.coerce.number().int().positive(),
  action: z.enum(['acknowledge', 'resolve']),
  note: z.string().optional(),
});

/** The desk's routes, to be served under /desk on the shared HTTP server; also lets `desk` hand out links to it. */
export function deskRoutes(core: Core, options: DeskOptions): Route[] {
  serveDeskAt(core, options.publicUrl);
  const log = (options.log ?? core.log).child('desk');
  const baseUrl = () => (typeof options.publicUrl === 'function' ? options.publicUrl() : options.publicUrl);
  const secure = () => baseUrl().startsWith('https:');
  const cookie = () => sessionCookie(secure());
  const t = (locale: Locale, key: string, vars?: Record<string, string | number>) => core.text.t(locale, `desk.${key}`, vars);

  const page = (status: number, body: Html): Reply => ({ status, body });
  const howToSignIn = (locale: Locale) => html`<p>${t(locale, 'signIn.how')}</p>`;

  /** Runs a page or form for a signed-in coordinator of the programme asked for; refuses everyone else. */
  async function guard(req: IncomingMessage, run: Run): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://desk.invalid');
    const token = readCookie(req, cookie().name);
    const session = findSession(core, token);
    if (!session) {
      const locale = core.defaults.locale;
      return { status: 401, body: bare(locale, t(locale, 'signIn.needed'), howToSignIn(locale)), headers: token ? { 'set-cookie': cookie().clear() } : {} };
    }
    const person = getPerson(core, session.personId);
    const locale = session.locale ?? person?.locale ?? core.defaults.locale;
    let form: Form | null = null;
    if (req.method === 'POST') {
      form = parseForm(req.headers['content-type'], await readBody(req, MAX_IMPORT_BYTES + 1024 * 1024));
      if (!form || !sameSecret(field(form, 'csrf') ?? '', session.csrf)) {
        log.warn('a desk form without a valid CSRF token was refused', { path: url.pathname, personId: session.personId });
        return page(403, bare(locale, t(locale, 'csrf.title'), html`<p>${t(locale, 'csrf.text')}</p><p><a href="/desk">${t(locale, 'csrf.back')}</a></p>`));
      }
    }
    const programmeId = idOf(form ? field(form, 'p') : url.searchParams.get('p'));
    const access = deskAccess(core, session.personId, programmeId);
    if (!access.ok) {
      log.info('the desk refused a session for a programme', { personId: session.personId, programmeId });
      const why = access.why.replace(/\*/g, '') || t(locale, 'refused.gone');
      return page(
        403,
        bare(
          locale,
          t(locale, 'refused.title'),
          html`<p>${why}</p><form method="post" action="/desk/sign-out"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit">${t(locale, 'layout.signOut', { name: person?.name ?? '' })}</button></form>`,
        ),
      );
    }
    const d: Desk = { core, person: access.person, locale, programme: access.programme, programmes: access.programmes, csrf: session.csrf, here: url.pathname + url.search };
    return run(d, { req, url, form });
  }

  function handler(run: Run): Handler {
    return async (req, res) => {
      let reply: Reply;
      try {
        reply = await guard(req, run);
      } catch (error) {
        log.error('a desk request failed', { path: (req.url ?? '').split('?')[0], error: describeError(error) });
        const locale = core.defaults.locale;
        reply = page(500, bare(locale, t(locale, 'error.title'), html`<p>${t(locale, 'error.text')}</p>`));
      }
      send(res, secure(), reply);
    };
  }

  const show = (p: Page, d: Desk): Reply => page(p.status ?? 200, layout(d, p));
  const query = <T extends z.ZodTypeAny>(schema: T, url: URL): z.infer<T> => schema.parse(Object.fromEntries(url.searchParams));

  const signInRoute: Handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://desk.invalid');
    const fallback = core.defaults.locale;
    if (PREVIEWER.test(req.headers['user-agent'] ?? '')) {
      return send(res, secure(), page(200, bare(fallback, t(fallback, 'signIn.previewTitle'), html`<p>${t(fallback, 'signIn.preview')}</p>`)));
    }
    const result = signIn(core, url.searchParams.get('token') ?? undefined);
    if (!result.ok) {
      const person = result.personId === null ? null : getPerson(core, result.personId);
      const locale = person?.locale ?? fallback;
      log.info('a desk sign-in link was refused', { problem: result.problem, personId: result.personId });
      const status = result.problem === 'unknown' ? 404 : result.problem === 'refused' ? 403 : 410;
      return send(res, secure(), page(status, bare(locale, t(locale, `signIn.${result.problem}.title`), html`<p>${t(locale, `signIn.${result.problem}`)}</p>${howToSignIn(locale)}`)));
    }
    const person = getPerson(core, result.session.personId);
    const locale = person?.locale ?? fallback;
    log.info('a coordinator signed in to the desk', { personId: result.session.personId });
    const to = result.programmeId === null ? '/desk' : `/desk?p=${result.programmeId}`;
    // A page that moves on by itself, rather than a redirect: after a link clicked in another site
    // (a chat in the browser) a redirect would still count as cross-site, and a SameSite=Strict
    // cookie would not be sent with it. Either way the token leaves the address bar.
    send(res, secure(), {
      status: 200,
      body: bare(locale, t(locale, 'signIn.done'), html`<p><a href="${to}">${t(locale, 'signIn.continue')}</a></p>`, { refreshTo: to }),
      headers: { 'set-cookie': cookie().set(result.token, SESSION_MS / 1000) },
    });
  };

  /** Sign-out works for anyone with a session and a valid form, whatever their role now. */
  const signOutRoute: Handler = async (req, res) => {
    const session = findSession(core, readCookie(req, cookie().name));
    const form = parseForm(req.headers['content-type'], await readBody(req));
    const locale = session?.locale ?? (session ? getPerson(core, session.personId)?.locale : undefined) ?? core.defaults.locale;
    if (session && (!form || !sameSecret(field(form, 'csrf') ?? '', session.csrf))) {
      return send(res, secure(), page(403, bare(locale, t(locale, 'csrf.title'), html`<p>${t(locale, 'csrf.text')}</p>`)));
    }
    if (session) endSession(core, session.id);
    send(res, secure(), { status: 200, body: bare(locale, t(locale, 'signOut.title'), html`<p>${t(locale, 'signOut.text')}</p>${howToSignIn(locale)}`), headers: { 'set-cookie': cookie().clear() } });
  };
  const language: Run = (d, r) => {
    const wanted = field(r.form!, 'locale') ?? '';
    if (!isLocale(wanted)) return page(400, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.locale', { locales: locales.join(', ') })}</p>`));
    const session = findSession(core, readCookie(r.req, cookie().name))!;
    setSessionLocale(core, session.id, wanted);
    return redirect(safeBack(field(r.form!, 'back')) ?? href(d, '/desk'));
  };

  const flag: Run = (d, r) => {
    const parsed = flagForm.safeParse(Object.fromEntries([...r.form!.fields].map(([k, v]) => [k, v[0]])));
    if (!parsed.success) return page(400, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.form')}</p>`));
    const existing = getFlag(core, parsed.data.flag);
    if (!existing || existing.programmeId !== d.programme.id) return page(404, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.noFlag')}</p>`));
    try {
      (parsed.data.action === 'acknowledge' ? acknowledgeFlag : resolveFlag)(core, d.person.id, existing.id, parsed.data.note);
    } catch (error) {
      if (error instanceof PermissionDeniedError) return page(403, bare(d.locale, t(d.locale, 'refused.title'), html`<p>${t(d.locale, 'refused.gone')}</p>`));
      if (!(error instanceof InputError)) throw error;
      const why = error.textKey && core.text.has(error.textKey) ? tx(d, error.textKey) : error.message;
      const shown = pairPage(d, existing.pairId, { problem: why.replace(/\*/g, '') });
      return shown ? show({ ...shown, status: 422 }, d) : page(422, bare(d.locale, t(d.locale, 'error.title'), html`<p>${why}</p>`));
    }
    return redirect(href(d, '/desk/pair', { id: existing.pairId, done: parsed.data.action }));
  };

  /** A new mentor for the mentee, or the end of the pair: ticked to confirm, a pair of this programme, still active. */
  const changePair: Run = (d, r) => {
    const parsed = changeForm.safeParse(Object.fromEntries([...r.form!.fields].map(([k, v]) => [k, v[0]])));
    if (!parsed.success) return page(400, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.form')}</p>`));
    const pair = getPair(core, parsed.data.pair);
    if (!pair || pair.programmeId !== d.programme.id) return page(404, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.noPair')}</p>`));
    const refuse = (problem: string) => {
      const shown = pairPage(d, pair.id, { problem });
      return shown ? show({ ...shown, status: 422 }, d) : page(422, bare(d.locale, t(d.locale, 'error.title'), html`<p>${problem}</p>`));
    };
    if (pair.status !== 'active') return refuse(t(d.locale, 'pair.alreadyEnded'));
    if (parsed.data.confirm !== 'yes') return refuse(t(d.locale, 'pair.mustConfirm'));
    if (parsed.data.action === 'end') {
      endPair(core, pair);
      log.info('a coordinator ended a pair from the desk', { personId: d.person.id, pairId: pair.id });
      return redirect(href(d, '/desk/pair', { id: pair.id, done: 'end' }));
    }
    // Only a mentor of this programme can be offered: a name from elsewhere is never shown, not even in a refusal.
    if (!participantName(d, parsed.data.mentor)) return page(400, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.form')}</p>`));
    const done = rematchMentee(core, d.programme.id, pair, parsed.data.mentor);
    if (!done.ok) {
      const [mentee, mentor] = [participantName(d, pair.menteeId), participantName(d, parsed.data.mentor)];
      if (done.problem === 'same') return refuse(tx(d, 'fit.rematch.same', { mentee, mentor }));
      return refuse(matchProblem(d, done.problem, mentee, mentor));
    }
    const next = core.db.prepare("SELECT id FROM pairs WHERE programme_id = ? AND mentee_id = ? AND status = 'active'").pluck().get(d.programme.id, pair.menteeId) as number;
    log.info('a coordinator gave a mentee a new mentor from the desk', { personId: d.person.id, from: pair.id, pairId: next });
    return redirect(href(d, '/desk/pair', { id: next, done: 'rematch' }));
  };

  const matchingPost: Run = (d, r) => {
    const parsed = matchingForm.safeParse(Object.fromEntries([...r.form!.fields].map(([k, v]) => [k, v[0]])));
    if (!parsed.success) return page(400, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.form')}</p>`));
    if (parsed.data.action === 'best') {
      const n = applyMatches(core, d.programme.id, bestMatches(core, d.programme.id));
      return redirect(href(d, '/desk/matching', { notice: 'best', n }));
    }
    const { mentee, mentor } = parsed.data;
    const confirmed = confirmMatch(core, d.programme.id, mentee, mentor);
    return redirect(href(d, '/desk/matching', { notice: confirmed.ok ? 'matched' : confirmed.problem, mentee, mentor }));
  };

  const importPost: Run = (d, r) => {
    const apply = field(r.form!, 'action') !== 'check';
    return show(importPage(d, runImport(d, r.form!.files.find((f) => f.field === 'file'), apply)), d);
  };

  /** The next season from this one: checked field by field, created only when every field is right. */
  const seasonPost: Run = (d, r) => {
    const outcome = runNextSeason(d, { name: field(r.form!, 'name'), startsOn: field(r.form!, 'startsOn'), endsOn: field(r.form!, 'endsOn') });
    if (outcome.kind === 'created') log.info('a coordinator created the next season from the desk', { personId: d.person.id, from: d.programme.id, programmeId: outcome.programme.id, asked: outcome.asked });
    return show(seasonPage(d, outcome), d);
  };

  const download = (content: Buffer | string, type: string, name: string): Reply => ({
    status: 200,
    body: content,
    type,
    headers: { 'content-disposition': `attachment; filename="${name}"` },
  });

  const pairDone = z.object({ done: z.enum(['acknowledge', 'resolve', 'rematch', 'end']).optional().catch(undefined) });

  return [
    { method: 'GET', path: '/desk/desk.css', handler: (_req, res) => send(res, secure(), { status: 200, body: deskCss, type: 'text/css; charset=utf-8', headers: { 'cache-control': 'public, max-age=3600' } }) },
    { method: 'GET', path: '/desk/sign-in', handler: signInRoute },
    { method: 'POST', path: '/desk/sign-out', handler: signOutRoute },
    { method: 'POST', path: '/desk/language', handler: handler(language) },
    { method: 'GET', path: '/desk', handler: handler((d) => show(overviewPage(d), d)) },
    { method: 'GET', path: '/desk/pairs', handler: handler((d, r) => show(pairsPage(d, query(pairsQuery, r.url)), d)) },
    {
      method: 'GET',
      path: '/desk/pair',
      handler: handler((d, r) => {
        const id = pairQuery.safeParse(Object.fromEntries(r.url.searchParams));
        const done = query(pairDone, r.url).done;
        const shown = id.success ? pairPage(d, id.data.id, done ? { notice: t(d.locale, `pair.done.${done}`) } : undefined) : null;
        return shown ? show(shown, d) : page(404, bare(d.locale, t(d.locale, 'error.title'), html`<p>${t(d.locale, 'error.noPair')}</p><p><a href="${href(d, '/desk/pairs')}">${t(d.locale, 'pair.back')}</a></p>`));
      }),
    },
    { method: 'POST', path: '/desk/flag', handler: handler(flag) },
    { method: 'POST', path: '/desk/pair/change', handler: handler(changePair) },
    { method: 'GET', path: '/desk/participants', handler: handler((d, r) => show(participantsPage(d, query(participantsQuery, r.url), options.platforms), d)) },
    { method: 'GET', path: '/desk/import', handler: handler((d) => show(importPage(d), d)) },
    { method: 'POST', path: '/desk/import', handler: handler(importPost), maxBodyBytes: MAX_IMPORT_BYTES + 1024 * 1024 },
    { method: 'GET', path: '/desk/matching', handler: handler((d, r) => show(matchingPage(d, query(matchingQuery, r.url)), d)) },
    { method: 'POST', path: '/desk/matching', handler: handler(matchingPost) },
    { method: 'GET', path: '/desk/season', handler: handler((d) => show(seasonPage(d), d)) },
    { method: 'POST', path: '/desk/season', handler: handler(seasonPost) },
    { method: 'GET', path: '/desk/report', handler: handler((d) => show(reportPage(d), d)) },
    { method: 'GET', path: '/desk/export', handler: handler((d) => show(exportPage(d), d)) },
    {
      method: 'GET',
      path: '/desk/export.csv',
      handler: handler((d) => download(pairsCsv(core, d.programme.id), 'text/csv; charset=utf-8', `${tx(d, 'desk.export.filePairs')}-${fileSlug(d.programme.name)}.csv`)),
    },
    {
      method: 'GET',
      path: '/desk/export.xlsx',
      handler: handler(async (d) =>
        download(await deskWorkbook(core, d.programme.id, d.locale), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `${tx(d, 'desk.export.fileBook')}-${fileSlug(d.programme.name)}.xlsx`),
      ),
    },
  ];
}
