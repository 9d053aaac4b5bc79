/**
 * Sparring in Slack, on @slack/bolt. Requests reach the core only after Bolt has verified their
 * signature, and are acknowledged at once; the work follows the ack. DMs to the bot are answers,
 * commands or (from coordinators) a participants CSV; a button answers the question it belongs to;
 * a form opens in a modal; `/mentor <subcommand>` answers ephemerally; App Home shows a person's
 * own overview. Each event id is handled once, however often Slack retries it; each command, click
 * and submission too (receiver.ts refuses replays, stale or future timestamps and malformed bodies
 * before Bolt sees them). Replies go to the person's own DM, never to a channel a payload names.
 */
import { App, HTTPReceiver, SocketModeReceiver, type ReceiverEvent } from '@slack/bolt';
import type { Route } from '../http';
import type { Bot } from '../../src/bot';
import type { Core } from '../../src/core';
import { describeError, SparringError } from '../../src/errors';
import type { Logger } from '../../src/log';
import { slackLogger } from './logger';
import type { Message, Question } from '../../src/message';
import type { ReadinessCheck } from '../../src/metrics/readiness';
import { findPersonByIdentity, getPerson } from '../../src/people';
import { sendOrPlan } from '../../src/replies';
import { inTransaction } from '../../src/store/database';
import type { Locale } from '../../src/text/locale';
import { answeredBlocks, FORM_ACTION, toBlocks, type Block, type Hints } from './blocks';
import { downloadFile, type SharedFile } from './files';
import { homeView } from './home';
import { SlackClient } from './client';
import { SlackPeople } from './identity';
import { realTimer, SlackLimits, type Timer } from './limits';
import { SlackMessenger, toDeliveryError, type PostedQuestion } from './messenger';
import { ANSWER_BLOCK, MODAL_CALLBACK, parseMeta, questionView, submittedAnswer, type ModalWords } from './modal';
import { guardSlackRoute, socketModeGuard } from './receiver';

export interface SlackOptions {
  botToken: string;
  /** HTTP mode: requests to /slack/events are verified with it. */
  signingSecret?: string;
  /** Socket Mode (no public URL): the app-level token (xapp-…). */
  appToken?: string;
  apiUrl?: string;
  /** Messages to one conversation are at least this far apart (Slack: about one a second). */
  paceMs?: number;
  /** The time Slack's rate limits are kept on (default: real time; a benchmark may speed it up). */
  timer?: Timer;
  /** Look up participants known only by e-mail when the adapter starts (default true). */
  resolveEmails?: boolean;
}

export interface SlackAdapter {
  messenger: SlackMessenger;
  people: SlackPeople;
  /** What the shared HTTP server routes here: POST /slack/events (none in Socket Mode). */
  routes: Route[];
  /** Checks the token with Slack and starts receiving (in Socket Mode: connects). */
  start(bot: Bot): Promise<void>;
  stop(): Promise<void>;
  /** For /readyz: whether auth.test passed at start and, in Socket Mode, whether the socket is open. */
  readiness(): ReadinessCheck[];
}

/** Bolt's Socket Mode receiver with a guard that sees every envelope before Bolt does. */
class GuardedSocketModeReceiver extends SocketModeReceiver {
  constructor(
    options: ConstructorParameters<typeof SocketModeReceiver>[0],
    private readonly guard: (event: ReceiverEvent) => Promise<boolean>,
  ) {
    super(options);
  }

  override init(app: App): void {
    super.init({ processEvent: async (event: ReceiverEvent) => ((await this.guard(event)) ? app.processEvent(event) : undefined) } as unknown as App);
  }
}

const EVENT_MEMORY_MS = 2 * 24 * 60 * 60 * 1000;

export function createSlackAdapter(core: Core, options: SlackOptions, log: Logger): SlackAdapter {
  const slackLog = log.child('slack');
  // Retries belong to the core's durable delivery, which knows Retry-After and keeps the message.
  const clientOptions = { slackApiUrl: options.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } };
  let receiver: HTTPReceiver | SocketModeReceiver;
  if (options.appToken) {
    // Over HTTP guardSlackRoute checks every request before Bolt; in Socket Mode the receiver does.
    receiver = new GuardedSocketModeReceiver(
      {
        appToken: options.appToken,
        installerOptions: { clientOptions },
        logger: slackLogger(slackLog),
        processEventErrorHandler: async ({ error }) => (slackLog.warn('a Slack envelope could not be handled', { error: describeError(error) }), true),
      },
      socketModeGuard({ firstTime: (key) => firstTime(key), log: slackLog, apiUrl: options.apiUrl }),
    );
  } else {
    if (!options.signingSecret) throw new Error('the Slack adapter needs a signing secret (HTTP) or an app token (Socket Mode)');
    receiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: '/slack/events',
      logger: slackLogger(slackLog),
      // A handler that fails is logged (app.error) and the request answered 200: Slack gets no 500.
      processEventErrorHandler: async ({ error }) => (slackLog.warn('a Slack request could not be handled', { error: describeError(error) }), true),
    });
  }
  // For /readyz: when auth.test passed (in start()), and the Socket Mode connection's last state.
  let authPassedAt: number | null = null;
  let socketState = 'not connected yet';
  if (receiver instanceof SocketModeReceiver) {
    for (const state of ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected']) receiver.client.on(state, () => (socketState = state));
  }
  // Initialised in start(), so that a bad token or an unreachable Slack stops the start with a clear reason.
  const app = new App({ token: options.botToken, receiver, logger: slackLogger(slackLog), clientOptions, deferInitialization: true });
  const t = (locale: Locale, key: string, vars = {}) => core.text.t(locale, key, vars);
  const localeOf = (personId: number | null) => (personId !== null ? getPerson(core, personId)?.locale : undefined) ?? core.defaults.locale;
  const personByUser = (user: string) => findPersonByIdentity(core, 'slack', user);
  const hints = (user: string): Hints => {
    const locale = localeOf(personByUser(user));
    return { reply: t(locale, 'slack.replyHint'), openForm: t(locale, 'slack.openForm'), pickDate: t(locale, 'slack.pickDate') };
  };
  const words = (locale: Locale): ModalWords => ({ title: 'Sparring', submit: t(locale, 'slack.submit'), close: t(locale, 'slack.close'), label: t(locale, 'slack.answerLabel') });

  const remember = (q: PostedQuestion) =>
    core.db
      .prepare(
        `INSERT INTO slack_questions (user_id, channel, ts, question_id, blocks) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts, question_id = excluded.question_id, blocks = excluded.blocks`,
      )
      .run(q.user, q.channel, q.ts, q.questionId, JSON.stringify(q.blocks));
  // The messenger and the identity look-ups share one client, whose buckets keep the workspace within Slack's limits.
  const client = new SlackClient(options.botToken, { apiUrl: options.apiUrl, logger: slackLogger(slackLog), limits: new SlackLimits(options.timer ?? realTimer, options.paceMs ?? 1000) });
  const messenger = new SlackMessenger(client, core.db, () => core.clock.now(), hints, remember);
  const people = new SlackPeople(core, client, slackLog);
  let bot: Bot | null = null;
  const running = () => {
    if (!bot) throw new Error('the Slack adapter has not been started');
    return bot;
  };
  const stopResolving = new AbortController();

  /** True the first time an event id (or a request's replay key) is seen; old ones are forgotten after two days. */
  let prunedAt = -Infinity;
  function firstTime(eventId: string | undefined): boolean {
    if (!eventId) return true;
    const now = core.clock.now();
    // Forgetting old ids once a minute is enough; the insert is then the only write per event.
    if (now - prunedAt >= 60_000) {
      core.db.prepare('DELETE FROM slack_events WHERE received_at < ?').run(now - EVENT_MEMORY_MS);
      prunedAt = now;
    }
    return core.db.prepare('INSERT INTO slack_events (event_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(eventId, now).changes === 1;
  }

  /** Once `questionId` is answered, the message that asked it shows the answer instead of its buttons. */
  async function settle(user: string, questionId: string | null, answered: string): Promise<void> {
    if (!questionId) return;
    const row = core.db.prepare('SELECT channel, ts, question_id AS questionId, blocks FROM slack_questions WHERE user_id = ?').get(user) as
      | { channel: string; ts: string; questionId: string; blocks: string }
      | undefined;
    if (!row || row.questionId !== questionId) return;
    core.db.prepare('DELETE FROM slack_questions WHERE user_id = ?').run(user);
    const blocks = answeredBlocks(JSON.parse(row.blocks) as Block[], answered);
    await client.chat.update({ channel: row.channel, ts: row.ts, text: answered.slice(0, 3000), blocks }).catch((error) => slackLog.warn('could not replace answered buttons', { error: describeError(error) }));
  }

  /**
   * Posts replies now, to the person's own DM (the stored channel, or conversations.open): never to a
   * channel a payload names. What Slack cannot take right now is planned for the scheduler, not lost.
   */
  async function reply(user: string, replies: Message[]): Promise<void> {
    const personId = personByUser(user);
    const send = async (message: Message) => messenger.post(user, await messenger.channelFor(user), message);
    const failure = await sendOrPlan(core, personId, replies, send, toDeliveryError);
    if (failure) slackLog.warn('a reply could not be posted', { user, error: failure.message, later: failure.retryable && personId !== null });
  }

  /**
   * Handles one inbound from a person and tidies up the question it answered. With an event id, the
   * id is recorded in the same transaction as the handling: a retry of the same event is dropped, and
   * the two cost one commit.
   */
  async function handle(user: string, personId: number, inbound: Parameters<Bot['handle']>[1], label: string, eventId?: string): Promise<void> {
    const result = inTransaction(core.db, () => (firstTime(eventId) ? running().handle(personId, inbound) : null));
    if (!result) return;
    await settle(user, result.answered, label);
    await reply(user, result.replies);
    core.wake();
  }

  /** The question each person has open in a modal: if they close it unanswered, it goes to their DM. */
  const inModal = new Map<string, { message: Message & { question: Question } }>();

  /** Opens a form's question in a modal (the trigger is valid for three seconds); false if Slack refused. */
  async function openForm(user: string, triggerId: string, question: Message & { question: Question }, before: Message[] = []): Promise<boolean> {
    const view = questionView(question, words(localeOf(personByUser(user))), { questionId: question.question.id }, before);
    return client.views.open({ trigger_id: triggerId, view: view as never }).then(
      () => (inModal.set(user, { message: question }), true),
      (error: unknown) => (slackLog.warn('could not open the form in a modal; asking in the DM', { error: describeError(error) }), false),
    );
  }

  /** In the background: people imported with only an e-mail, looked up in the workspace. */
  function lookUpNewPeople(): void {
    if (stopResolving.signal.aborted) return;
    people.resolveByEmail(stopResolving.signal).catch((error: unknown) => slackLog.warn('looking people up by e-mail failed', { error: describeError(error) }));
  }

  const stranger = (): Message => ({ text: t(core.defaults.locale, 'common.notParticipant') });
  const afterPendingIo = () => new Promise<void>((resolve) => setImmediate(resolve));

  app.event('message', async ({ event, body }) => {
    const e = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; text?: string; channel: string; files?: SharedFile[] };
    if (e.channel_type !== 'im' || e.bot_id || !e.user) return;
    if (e.subtype && e.subtype !== 'file_share') return;
    // Bolt acknowledged the event already: let requests that arrived meanwhile be acknowledged before
    // the work of this one (a millisecond or two) holds the event loop.
    await afterPendingIo();
    const eventId = (body as { event_id?: string }).event_id;
    const personId = await people.personFor(e.user, (body as { team_id?: string }).team_id);
    // Answered without the core: the event id is still recorded first, so a retry gets no second answer.
    const user = e.user;
    const replyOnce = (replies: Message[]) => (firstTime(eventId) ? reply(user, replies) : undefined);
    if (personId === null) return replyOnce([stranger()]);
    const file = e.files?.[0];
    if (file) {
      const downloaded = await downloadFile(file, options.botToken);
      if (!downloaded.ok) return replyOnce([{ text: t(localeOf(personId), downloaded.problem === 'too_large' ? 'slack.fileTooLarge' : 'slack.fileUnreadable', { file: file.name ?? '' }) }]);
      await handle(e.user, personId, { type: 'file', filename: file.name ?? 'file', content: downloaded.content, text: e.text ?? '' }, e.text ?? '', eventId);
      lookUpNewPeople();
      return;
    }
    await handle(e.user, personId, { type: 'text', text: e.text ?? '' }, e.text ?? '', eventId);
  });

  app.event('app_home_opened', async ({ event, body }) => {
    const e = event as { user: string; tab?: string };
    if (e.tab && e.tab !== 'home') return;
    if (!firstTime((body as { event_id?: string }).event_id)) return;
    const personId = await people.personFor(e.user, (body as { team_id?: string }).team_id);
    const locale = localeOf(personId);
    const sections = personId === null ? [{ heading: t(locale, 'home.welcomeHeading'), text: stranger().text }] : running().home(personId);
    await client.views.publish({ user_id: e.user, view: homeView(t(locale, 'slack.homeTitle'), sections) as never });
  });

  app.action(/^answer:/, async ({ ack, body, action }) => {
    await ack();
    const b = body as { user: { id: string }; team?: { id: string } | null; trigger_id?: string };
    const a = action as { block_id: string; value?: string; selected_option?: { value: string; text: { text: string } }; text?: { text: string } };
    const personId = await people.personFor(b.user.id, b.team?.id);
    if (personId === null) return reply(b.user.id, [stranger()]);
    const value = a.selected_option?.value ?? a.value ?? '';
    const label = a.selected_option?.text.text ?? a.text?.text ?? value;
    const questionId = a.block_id.replace(/^q:/, '');
    const { replies, answered } = running().handle(personId, { type: 'answer', questionId, value });
    await settle(b.user.id, answered, label);
    // A choice that leads into more of the same form (e.g. "yes, we met" → the summary) goes on in a modal.
    const nextAt = replies.findIndex((r) => r.question);
    const next = nextAt >= 0 ? (replies[nextAt] as Message & { question: Question }) : null;
    const sameForm = next && answered === questionId && next.question.id.split('.')[0] === questionId.split('.')[0] && next.question.kind !== 'choice';
    const opened = !!(next && sameForm && b.trigger_id) && (await openForm(b.user.id, b.trigger_id!, next, replies.slice(0, nextAt)));
    await reply(b.user.id, opened ? replies.filter((_, i) => i !== nextAt) : replies);
    core.wake();
  });

  /** "Answer in a form": the question of the clicked message, in a modal. */
  app.action(FORM_ACTION, async ({ ack, body, action }) => {
    await ack();
    const b = body as { user: { id: string }; team?: { id: string } | null; trigger_id?: string; message?: { blocks?: Block[] } };
    const a = action as { block_id: string };
    const personId = await people.personFor(b.user.id, b.team?.id);
    if (personId === null) return reply(b.user.id, [stranger()]);
    const questionId = a.block_id.replace(/^q:/, '');
    const locale = localeOf(personId);
    if (!running().openQuestions(personId).includes(questionId)) return reply(b.user.id, [{ text: t(locale, 'talk.answered') }]);
    if (!b.trigger_id) return;
    const text = (b.message?.blocks ?? []).filter((x) => x.type === 'section').map((x) => (x.text as { text: string }).text).join('\n');
    const isDate = (b.message?.blocks ?? []).some((x) => x.block_id === a.block_id && JSON.stringify(x).includes('"datetime"'));
    const question: Question = isDate ? { kind: 'datetime', id: questionId } : { kind: 'text', id: questionId, multiline: true, maxLength: 3000 };
    await client.views.open({ trigger_id: b.trigger_id, view: questionView({ text, question }, words(locale), { questionId }) as never });
    // The question is in the DM already: closing this modal needs nothing more.
  });

  app.view(MODAL_CALLBACK, async ({ ack, body, view }) => {
    const user = body.user.id;
    const meta = parseMeta(view.private_metadata);
    const personId = await people.personFor(user, body.team?.id);
    const person = personId === null ? null : getPerson(core, personId);
    if (!meta || !person) return void (await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: stranger().text } }));
    const before = meta.questionId;
    if (!running().openQuestions(person.id).includes(before)) return void (await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: t(person.locale, 'talk.answered') } }));
    const notYet = t(person.locale, 'talk.words.notYet').split('|')[0]!;
    const answer = submittedAnswer(view.state.values as never, person.timezone, notYet);
    const { replies, answered } = running().handle(person.id, { type: 'answer', questionId: meta.questionId, value: answer.value });
    if (answered !== before && replies.every((r) => !r.question)) {
      // Not accepted: the core's explanation goes under the field, and the form stays where it was.
      const why = replies.map((r) => r.text).join('\n').replace(/\*/g, '').slice(0, 1000);
      return void (await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: why } }));
    }
    const nextAt = replies.findIndex((r) => r.question);
    if (nextAt >= 0) {
      const next = replies[nextAt]! as Message & { question: Question };
      await ack({ response_action: 'update', view: questionView(next, words(person.locale), { questionId: next.question.id }) as never });
      inModal.set(user, { message: next });
      await settle(user, before, answer.label);
      await reply(user, replies.filter((_, i) => i !== nextAt && !replies[i]!.question));
    } else {
      await ack({ response_action: 'clear' });
      inModal.delete(user);
      await settle(user, before, answer.label);
      await reply(user, replies);
    }
    core.wake();
  });

  /** A form closed half-way: the open question waits in the DM, so it can be answered later. */
  app.view({ callback_id: MODAL_CALLBACK, type: 'view_closed' }, async ({ ack, body }) => {
    await ack();
    const user = body.user.id;
    const shown = inModal.get(user);
    inModal.delete(user);
    const personId = personByUser(user);
    if (!shown || personId === null || !running().openQuestions(personId).includes(shown.message.question.id)) return;
    await reply(user, [shown.message]);
  });

  app.command('/mentor', async ({ ack, command, respond }) => {
    await ack();
    const personId = await people.personFor(command.user_id, command.team_id);
    if (personId === null) return void (await respond({ response_type: 'ephemeral', text: stranger().text }));
    const [name = 'help', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
    const { replies } = running().handle(personId, { type: 'command', name, args });
    core.wake();
    // A command that starts a form (book, summary, agreement edit …) opens it as a modal.
    const formAt = replies.findIndex((r) => r.question);
    if (formAt >= 0) {
      const opened = await openForm(command.user_id, command.trigger_id, replies[formAt]! as Message & { question: Question }, replies.slice(0, formAt));
      return reply(command.user_id, opened ? replies.filter((_, i) => i !== formAt) : replies);
    }
    // Files (the report's chart, the export) are meant to stay: they go to the DM.
    for (const r of replies) {
      if (r.attachments?.length) await reply(command.user_id, [r]);
      else await respond({ response_type: 'ephemeral', ...toBlocks(r, hints(command.user_id)) });
    }
  });

  app.error(async (error) => {
    slackLog.error('a Slack request failed', { error: describeError(error) });
  });

  return {
    messenger,
    people,
    routes:
      receiver instanceof HTTPReceiver
        ? [{ method: 'POST', path: '/slack/events', handler: guardSlackRoute(receiver.requestListener, { signingSecret: options.signingSecret!, firstTime: (key) => firstTime(key), log: slackLog, apiUrl: options.apiUrl }) }]
        : [],
    async start(b) {
      bot = b;
      try {
        await app.init();
      } catch (error) {
        const e = error as { code?: string; data?: { error?: string } };
        const where = options.apiUrl ?? 'https://slack.com/api/';
        throw new SparringError(
          'slack_unavailable',
          e.code === 'slack_webapi_platform_error'
            ? `Slack did not accept SLACK_BOT_TOKEN (${e.data?.error ?? 'refused'}); copy the Bot User OAuth Token from OAuth & Permissions in your Slack app settings`
            : `Slack could not be reached at ${where}: ${describeError(error)}`,
          { cause: error },
        );
      }
      authPassedAt = Date.now();
      // Over HTTP the shared server hands requests to Bolt's receiver; Socket Mode connects out.
      if (receiver instanceof SocketModeReceiver) await app.start();
      if (options.resolveEmails !== false) lookUpNewPeople();
    },
    async stop() {
      stopResolving.abort();
      if (receiver instanceof SocketModeReceiver) await app.stop();
    },
    readiness() {
      const auth = { name: 'slack.auth', ok: authPassedAt !== null, state: authPassedAt !== null ? `auth.test passed at ${new Date(authPassedAt).toISOString()}` : 'not started' };
      if (!(receiver instanceof SocketModeReceiver)) return [auth];
      return [auth, { name: 'slack.socket', ok: socketState === 'connected', state: socketState === 'connected' ? 'Socket Mode open' : `Socket Mode ${socketState}` }];
    },
  };
}
