/**
 * Sparring in Microsoft Teams, on botbuilder's CloudAdapter. `POST /api/messages` is authenticated by
 * botbuilder with Bot Framework's own variables before the core sees anything. Without an app id it
 * runs unauthenticated only when asked to (allowUnauthenticated, from TEAMS_ALLOW_UNAUTHENTICATED),
 * for local testing, and then calls loopback service URLs only: an activity naming another serviceUrl
 * is refused, so an unsigned request cannot make the bot call anywhere. The personal chat's
 * conversation reference is kept at install and at every message; typed text is an answer or a
 * command; a submitted card answers its question and is replaced by a card showing the answer.
 * Every request to Teams (replies, card updates, member look-ups, planned deliveries) takes its turn
 * under Teams' limits (pace.ts). The time zone Teams reports for a person's client fills their zone
 * when no import set one.
 *
 * Every botbuilder import lives in adapters/teams, so that moving to the Microsoft 365 Agents SDK
 * touches this folder alone.
 */
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, TeamsInfo, TurnContext, type Activity } from 'botbuilder';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, type Route } from '../http';
import type { Bot } from '../../src/bot';
import type { Core } from '../../src/core';
import { DEFAULT_TEAMS_APP_TYPE } from '../../src/config';
import { ConfigError, describeError } from '../../src/errors';
import type { Logger } from '../../src/log';
import type { Message } from '../../src/message';
import type { ReadinessCheck } from '../../src/metrics/readiness';
import { findPersonByIdentity, getPerson, setTimezoneFromPlatform } from '../../src/people';
import { sendOrPlan } from '../../src/replies';
import type { Locale } from '../../src/text/locale';
import { answeredCard, moreRequest, submittedAnswer } from './cards';
import { TeamsFailures } from './failures';
import { SendJournal } from './journal';
import { sendOnce, TeamsMessenger } from './messenger';
import { TeamsPace } from './pace';
import { TeamsDirectory, type TeamsUser } from './references';
import { ServedImages } from './images';
import { PagedLists } from './pages';
import { createRenderer, sendShrinking, Shrink } from './render';

export interface TeamsOptions {
  appId?: string;
  appPassword?: string;
  /** Without it, SingleTenant (what Azure creates); the configuration says so. */
  appType?: string;
  tenantId?: string;
  /** Without an app id: runs unauthenticated, for local testing, calling loopback service URLs only. */
  allowUnauthenticated?: boolean;
  /** PUBLIC_URL: images (the report chart) go by a signed link served here; without it, inline and reduced. */
  publicUrl?: string;
}

/** What a test may put in place of the real thing. */
export interface TeamsDependencies {
  /** Teams' limits; by default on the core's clock, sleeping in real time. */
  pace?: TeamsPace;
}

export interface TeamsAdapter {
  messenger: TeamsMessenger;
  routes: Route[];
  start(bot: Bot): void;
  /** Fetches a Bot Framework token now (with an app id), so /readyz can say whether the credentials work. */
  checkCredentials(): Promise<void>;
  /** For /readyz: when a token was last obtained, or why not; "unauthenticated (local testing)" without an app id. */
  readiness(): ReadinessCheck[];
}

/** Bot Framework's credential factory, watched: every token fetched (or refused) is noted for /readyz. */
class WatchedCredentials extends ConfigurationServiceClientCredentialFactory {
  obtainedAt: number | null = null;
  problem: string | null = null;

  override async createCredentials(appId: string, audience: string, loginEndpoint: string, validateAuthority: boolean) {
    const credentials = await super.createCredentials(appId, audience, loginEndpoint, validateAuthority);
    const withToken = credentials as { getToken?: (forceRefresh?: boolean) => Promise<string> };
    if (appId && typeof withToken.getToken === 'function') {
      const getToken = withToken.getToken.bind(credentials);
      withToken.getToken = (forceRefresh?: boolean) =>
        getToken(forceRefresh).then(
          (token) => ((this.obtainedAt = Date.now()), (this.problem = null), token),
          (error: unknown) => {
            this.problem = describeError(error);
            throw error;
          },
        );
    }
    return credentials;
  }
}

const CARD = 'application/vnd.microsoft.card.adaptive';
/** Bot Framework's public cloud: the audience of the bot's tokens, and the login authority for credentials. */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';
const BOT_FRAMEWORK_LOGIN = 'https://login.microsoftonline.com/botframework.com';
/** A reply in a turn waits at most this long for its turn (Teams gives a turn 15 s); else it is planned. */
const REPLY_PACE_WAIT_MS = 3_000;

/** Whether a service URL points at this machine (a local emulator or a test's fake connector). */
export function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol !== 'http:' && protocol !== 'https:') return false;
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
  } catch {
    return false;
  }
}

/** The express-like response botbuilder writes to, over a plain Node response. */
function responseFor(res: ServerResponse) {
  return {
    socket: res.socket,
    status: (code: number) => void (res.statusCode = code),
    header: (name: string, value: unknown) => void res.setHeader(name, String(value)),
    send: (body: unknown) => {
      if (body === undefined) return;
      if (typeof body === 'object' && !Buffer.isBuffer(body)) {
        res.setHeader('content-type', 'application/json');
        res.write(JSON.stringify(body));
      } else res.write(String(body));
    },
    end: () => void res.end(),
  };
}

export function createTeamsAdapter(core: Core, options: TeamsOptions, log: Logger, deps: TeamsDependencies = {}): TeamsAdapter {
  const teamsLog = log.child('teams');
  const appId = options.appId ?? '';
  const unauthenticated = !appId;
  if (unauthenticated && !options.allowUnauthenticated) {
    throw new ConfigError('MicrosoftAppId is missing: set MicrosoftAppId and its credentials, or TEAMS_ALLOW_UNAUTHENTICATED=true to run Teams without authentication for local testing');
  }
  if (unauthenticated) {
    teamsLog.warn('Teams runs WITHOUT AUTHENTICATION (TEAMS_ALLOW_UNAUTHENTICATED=true): anyone who can reach /api/messages can speak for anyone; only loopback service URLs are called. For local testing only.');
  }
  const authConfig = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: options.appPassword ?? '',
    MicrosoftAppType: options.appType ?? (appId ? DEFAULT_TEAMS_APP_TYPE : ''),
    MicrosoftAppTenantId: options.tenantId ?? '',
  };
  const credentials = new WatchedCredentials(authConfig);
  let credentialsCheckedAt = 0;
  const auth = new ConfigurationBotFrameworkAuthentication(authConfig, credentials);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_context, error) => {
    teamsLog.error('a Teams turn failed', { error: describeError(error) });
  };
  const directory = new TeamsDirectory(core);
  // On the core's clock, like every other time decision (a test's fake clock moves it).
  const pace = deps.pace ?? new TeamsPace({ now: () => core.clock.now() });
  const failures = new TeamsFailures(pace, pace.now);
  const journal = new SendJournal(core);
  const t = (locale: Locale, key: string, vars = {}) => core.text.t(locale, key, vars);
  const localeOf = (personId: number | null) => (personId !== null ? getPerson(core, personId)?.locale : undefined) ?? core.defaults.locale;
  const personOfUser = (userId: string) => findPersonByIdentity(core, 'teams', userId);

  /**
   * A Message as an activity under Teams' size limits (render.ts): the card, paged with "show more"
   * when it is too long; images by signed link (with PUBLIC_URL) or inline and reduced; a calendar
   * invitation as an "Add to calendar" link. A planned message carries its nudge key in channelData
   * and, unseen, in the card.
   */
  const images = options.publicUrl ? new ServedImages(core.db, () => core.clock.now(), options.publicUrl.replace(/\/+$/, '')) : null;
  const renderer = createRenderer({ core, localeOf: (userId) => localeOf(personOfUser(userId)), images, pages: new PagedLists(() => core.clock.now()) });
  const render = renderer.render;
  const smaller = (level: Shrink) => teamsLog.warn('Teams refused a message as too large (413); sending a smaller form', { form: Shrink[level] });

  const messenger = new TeamsMessenger({
    adapter,
    appId,
    // Unauthenticated, a reference kept earlier (when it was authenticated) is not called unless it is local.
    referenceOf: (user) => {
      const reference = directory.reference(user);
      return reference && unauthenticated && !isLoopbackUrl(reference.serviceUrl) ? null : reference;
    },
    render,
    journal,
    pace,
    failures,
    now: () => core.clock.now(),
    log: teamsLog,
  });
  let bot: Bot | null = null;
  const running = () => {
    if (!bot) throw new Error('the Teams adapter has not been started');
    return bot;
  };

  function userOf(activity: Activity): TeamsUser {
    return { id: activity.from.id, aadObjectId: activity.from.aadObjectId, tenantId: activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id };
  }

  /** The person, by Teams id or Entra ID object id, else by the e-mail Teams has for them. */
  async function identify(context: TurnContext): Promise<number | null> {
    const user = userOf(context.activity);
    const known = directory.personFor(user);
    if (known !== null) return known;
    const conversation = context.activity.conversation.id;
    const member = await pace.run(conversation, () => TeamsInfo.getMember(context, user.id), REPLY_PACE_WAIT_MS).catch((error: unknown) => {
      teamsLog.debug('could not look up the member', { error: describeError(error) });
      return null;
    });
    return directory.personFor(user, member?.email ?? member?.userPrincipalName ?? undefined);
  }

  /** The IANA zone of the person's Teams client (activity.localTimezone), unless an import set theirs. */
  function takeTimezone(personId: number, activity: Activity): void {
    const zone = z.string().max(100).safeParse(activity.localTimezone);
    if (zone.success && setTimezoneFromPlatform(core, personId, zone.data)) teamsLog.info('took the time zone Teams reports', { personId, zone: zone.data });
  }

  const isPersonal = (activity: Activity) => !activity.conversation?.conversationType || activity.conversation.conversationType === 'personal';

  /** Sends replies in the turn; what Teams cannot take right now is planned for the scheduler, not lost. */
  async function send(context: TurnContext, replies: Message[]): Promise<void> {
    const user = context.activity.from.id;
    const conversation = context.activity.conversation.id;
    const personId = personOfUser(user);
    const reply = (message: Message) => pace.run(conversation, () => sendShrinking((level) => render(user, message, undefined, level), (a) => context.sendActivity(a), smaller), REPLY_PACE_WAIT_MS);
    const failure = await sendOrPlan(core, personId, replies, reply, (error) => failures.classify(error, conversation));
    if (failure) teamsLog.warn('a reply could not be sent', { error: failure.message, later: failure.retryable && personId !== null });
  }

  async function onTurn(context: TurnContext): Promise<void> {
    sendOnce(context);
    const activity = context.activity;
    if (!isPersonal(activity)) return;
    const installed =
      (activity.type === ActivityTypes.ConversationUpdate && (activity.membersAdded ?? []).some((m) => m.id === activity.recipient.id)) ||
      (activity.type === ActivityTypes.InstallationUpdate && activity.action === 'add');
    if (activity.type === ActivityTypes.InstallationUpdate && activity.action === 'remove') return directory.forget(activity.from.id);
    if (!installed && activity.type !== ActivityTypes.Message) return;

    const personId = await identify(context);
    directory.remember(userOf(activity), TurnContext.getConversationReference(activity), personId);
    if (personId === null) return send(context, [{ text: t(core.defaults.locale, 'common.notParticipant') }]);
    takeTimezone(personId, activity);
    if (installed) return send(context, [{ text: t(localeOf(personId), 'teams.installed') }]);

    // "Show more" under a long list: its next page.
    const more = activity.value !== undefined ? moreRequest(activity.value) : null;
    if (more) {
      const page = (level: Shrink) => renderer.page(activity.from.id, more.list, more.page, level);
      return void (await pace
        .run(activity.conversation.id, () => sendShrinking(page, (a) => context.sendActivity(a), smaller), REPLY_PACE_WAIT_MS)
        .catch((error: unknown) => teamsLog.warn('could not send the next page of a list', { error: describeError(error) })));
    }

    const submitted = activity.value !== undefined ? submittedAnswer(activity.value) : null;
    if (submitted) {
      // A planned post whose acceptance a crash left unrecorded: the person answered it, so it arrived.
      if (submitted.nudge && activity.replyToId && journal.confirm(activity.conversation.id, submitted.nudge, activity.replyToId)) teamsLog.info('a post in doubt was answered: it arrived', { key: submitted.nudge });
      const { replies, answered } = running().handle(personId, { type: 'answer', questionId: submitted.questionId, value: submitted.value });
      const accepted = answered === submitted.questionId;
      if (accepted && activity.replyToId) {
        // The card that was submitted gives way to the answer, so it cannot be submitted twice.
        const update = { id: activity.replyToId, type: ActivityTypes.Message, attachments: [{ contentType: CARD, content: answeredCard(submitted.prompt, submitted.label) }] };
        await pace
          .run(activity.conversation.id, () => context.updateActivity(update), REPLY_PACE_WAIT_MS)
          .catch((error: unknown) => teamsLog.warn('could not replace the answered card', { error: describeError(error) }));
      }
      await send(context, replies);
    } else {
      const text = (activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '').replace(/<[^>]+>/g, '').trim();
      await send(context, running().handle(personId, { type: 'text', text }).replies);
    }
    core.wake();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return void res.end('the body is not JSON');
    }
    if (unauthenticated && !isLoopbackUrl((body as { serviceUrl?: unknown } | null)?.serviceUrl)) {
      teamsLog.warn('refused an unauthenticated activity whose serviceUrl is not on this machine');
      res.writeHead(403, { 'content-type': 'text/plain' });
      return void res.end('without authentication, only a loopback serviceUrl is allowed');
    }
    await adapter.process({ body: body as Record<string, unknown>, headers: req.headers as Record<string, string>, method: req.method }, responseFor(res), onTurn);
  }

  /** Fetches a token now (with an app id); a refusal is logged and kept for /readyz. */
  async function checkCredentials(): Promise<void> {
    if (unauthenticated) return;
    credentialsCheckedAt = Date.now();
    try {
      const c = (await credentials.createCredentials(appId, BOT_FRAMEWORK_SCOPE, BOT_FRAMEWORK_LOGIN, true)) as { getToken?: () => Promise<string> };
      await c.getToken?.();
    } catch (error) {
      teamsLog.warn('no Bot Framework token: check MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId', { error: describeError(error) });
    }
  }

  return {
    messenger,
    routes: [{ method: 'POST', path: '/api/messages', handler: handle }, ...(images ? [images.route()] : [])],
    start(b) {
      bot = b;
    },
    checkCredentials,
    readiness() {
      if (unauthenticated) return [{ name: 'teams.credentials', ok: true, state: 'unauthenticated (local testing)' }];
      const { obtainedAt, problem } = credentials;
      // A refused token is asked for again a minute later (in the background), so /readyz recovers without a restart.
      if (problem && Date.now() - credentialsCheckedAt > 60_000) void checkCredentials();
      const state = problem ? `no token: ${problem}` : obtainedAt !== null ? `token obtained at ${new Date(obtainedAt).toISOString()}` : 'waiting for a token';
      return [{ name: 'teams.credentials', ok: obtainedAt !== null && !problem, state }];
    },
  };
}
