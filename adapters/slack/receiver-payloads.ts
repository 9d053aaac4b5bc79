/**
 * The shapes of what Slack posts to /slack/events, checked with zod before Bolt sees a request: an
 * Events API envelope (JSON), a slash command (form fields) or an interaction (a form field `payload`
 * holding JSON). Only the fields Sparring reads are required; a body that fits none of them is refused.
 * Each request also gets its replay key: the same command, click or submission has the same key.
 */
import { createHash } from 'node:crypto';
import { parse as parseForm } from 'node:querystring';
import { z } from 'zod';

const id = z.string().min(1).max(100);
const user = z.object({ id });
const team = z.object({ id }).nullish();

const messageEvent = z.object({
  type: z.literal('message'),
  channel: id,
  user: id.optional(),
  text: z.string().max(100_000).optional(),
  channel_type: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  files: z.array(z.object({ id: z.string().optional(), name: z.string().optional(), url_private_download: z.string().optional(), size: z.number().optional() }).passthrough()).optional(),
});
const homeEvent = z.object({ type: z.literal('app_home_opened'), user: id, tab: z.string().optional() });
const otherEvent = z.object({ type: z.string().min(1) }).refine((e) => e.type !== 'message' && e.type !== 'app_home_opened');

const eventCallback = z.object({
  type: z.literal('event_callback'),
  event_id: id,
  team_id: id.optional(),
  event: z.union([messageEvent, homeEvent, otherEvent]),
});
const urlVerification = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1000) });

const action = z.object({
  action_id: id,
  block_id: id,
  action_ts: z.string().min(1).max(100),
  value: z.string().max(2000).optional(),
  selected_option: z.object({ value: z.string(), text: z.object({ text: z.string() }) }).optional(),
  text: z.object({ text: z.string() }).optional(),
});
const blockActions = z.object({
  type: z.literal('block_actions'),
  user,
  team,
  trigger_id: z.string().max(200).optional(),
  response_url: z.string().max(1000).optional(),
  actions: z.array(action).min(1).max(25),
  message: z.object({ blocks: z.array(z.object({ type: z.string() }).passthrough()).optional() }).passthrough().optional(),
});
const view = z.object({
  id,
  hash: z.string().max(200).optional(),
  callback_id: z.string().max(255),
  private_metadata: z.string().max(3000).optional(),
  state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({}).passthrough())) }).optional(),
});
const viewSubmission = z.object({ type: z.literal('view_submission'), user, team, view: view.extend({ state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({}).passthrough())) }) }) });
const viewClosed = z.object({ type: z.literal('view_closed'), user, team, view });

const command = z.object({
  command: z.string().min(1).max(100),
  text: z.string().max(4000),
  user_id: id,
  team_id: id,
  trigger_id: z.string().min(1).max(200),
  response_url: z.string().url(),
});

export type SlackInbound =
  | { kind: 'event'; body: z.infer<typeof eventCallback> }
  | { kind: 'url_verification' }
  | { kind: 'ssl_check' }
  | { kind: 'command'; body: z.infer<typeof command> }
  | { kind: 'block_actions'; body: z.infer<typeof blockActions> }
  | { kind: 'view_submission'; body: z.infer<typeof viewSubmission> }
  | { kind: 'view_closed'; body: z.infer<typeof viewClosed> };

const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** What a signed body is, or why it is not one Sparring takes. */
export function parseInbound(raw: string, contentType: string | undefined): { ok: true; inbound: SlackInbound } | { ok: false; problem: string } {
  const form = (contentType ?? '').split(';')[0]!.trim() === 'application/x-www-form-urlencoded';
  const first = <T>(schema: z.ZodType<T>, value: unknown, label: string) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? { ok: true as const, value: parsed.data } : { ok: false as const, problem: `${label}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  };
  if (!form) {
    const body = json(raw);
    const verification = urlVerification.safeParse(body);
    if (verification.success) return { ok: true, inbound: { kind: 'url_verification' } };
    const event = first(eventCallback, body, 'event');
    return event.ok ? { ok: true, inbound: { kind: 'event', body: event.value } } : event;
  }
  const fields = parseForm(raw);
  if (fields.ssl_check === '1') return { ok: true, inbound: { kind: 'ssl_check' } };
  if (fields.payload !== undefined) {
    const payload = typeof fields.payload === 'string' ? json(fields.payload) : undefined;
    const type = (payload as { type?: unknown } | null | undefined)?.type;
    if (type === 'block_actions') {
      const r = first(blockActions, payload, 'block_actions');
      return r.ok ? { ok: true, inbound: { kind: 'block_actions', body: r.value } } : r;
    }
    if (type === 'view_submission') {
      const r = first(viewSubmission, payload, 'view_submission');
      return r.ok ? { ok: true, inbound: { kind: 'view_submission', body: r.value } } : r;
    }
    if (type === 'view_closed') {
      const r = first(viewClosed, payload, 'view_closed');
      return r.ok ? { ok: true, inbound: { kind: 'view_closed', body: r.value } } : r;
    }
    return { ok: false, problem: `an interaction payload of a kind Sparring does not take (${typeof type === 'string' ? type.slice(0, 40) : typeof payload})` };
  }
  const r = first(command, fields, 'command');
  return r.ok ? { ok: true, inbound: { kind: 'command', body: r.value } } : r;
}

/**
 * What a Socket Mode envelope's payload is (Bolt has already parsed it), or why it is not one
 * Sparring takes: the same shapes as over HTTP.
 */
export function parseInboundObject(body: unknown): { ok: true; inbound: SlackInbound } | { ok: false; problem: string } {
  const type = (body as { type?: unknown } | null | undefined)?.type;
  const kinds: Record<string, (b: unknown) => { ok: true; inbound: SlackInbound } | { ok: false; problem: string }> = {
    event_callback: (b) => check(eventCallback, b, 'event', (v) => ({ kind: 'event', body: v })),
    block_actions: (b) => check(blockActions, b, 'block_actions', (v) => ({ kind: 'block_actions', body: v })),
    view_submission: (b) => check(viewSubmission, b, 'view_submission', (v) => ({ kind: 'view_submission', body: v })),
    view_closed: (b) => check(viewClosed, b, 'view_closed', (v) => ({ kind: 'view_closed', body: v })),
  };
  if (typeof type === 'string' && kinds[type]) return kinds[type]!(body);
  if (typeof (body as { command?: unknown } | null | undefined)?.command === 'string') return check(command, body, 'command', (v) => ({ kind: 'command', body: v }));
  return { ok: false, problem: `a payload of a kind Sparring does not take (${typeof type === 'string' ? type.slice(0, 40) : body === null ? 'null' : typeof body})` };
}

function check<T>(schema: z.ZodType<T>, value: unknown, label: string, inbound: (v: T) => SlackInbound): { ok: true; inbound: SlackInbound } | { ok: false; problem: string } {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { ok: true, inbound: inbound(parsed.data) }
    : { ok: false, problem: `${label}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}` };
}

/** Slack's own host for response_url, always allowed (https only). */
export const SLACK_RESPONSE_HOST = 'hooks.slack.com';

/**
 * Whether a response_url may be called: Bolt's `respond` posts to whatever URL a payload names, so
 * only Slack's hooks host (https) and the host of SLACK_API_URL (a proxy or a test's fake) are taken.
 */
export function responseUrlAllowed(url: string, apiUrl?: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol === 'https:' && target.hostname === SLACK_RESPONSE_HOST) return true;
  if (!apiUrl) return false;
  const api = new URL(apiUrl);
  return target.protocol === api.protocol && target.host === api.host;
}

/** The response_url a request names, if any. */
export function responseUrlOf(inbound: SlackInbound): string | undefined {
  if (inbound.kind === 'command') return inbound.body.response_url;
  if (inbound.kind === 'block_actions') return (inbound.body as { response_url?: unknown }).response_url as string | undefined;
  return undefined;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value ?? null)).digest('hex').slice(0, 32);

/**
 * The key a replay of this request would have, or null for what Slack's own ids cover (events are
 * kept by event id in their handlers) or what changes nothing.
 */
export function replayKey(inbound: SlackInbound): string | null {
  switch (inbound.kind) {
    case 'command':
      return `command:${inbound.body.trigger_id}`;
    case 'block_actions': {
      const a = inbound.body.actions[0]!;
      return `action:${inbound.body.user.id}:${inbound.body.trigger_id ?? ''}:${a.action_ts}:${a.action_id}:${a.block_id}`;
    }
    case 'view_submission':
      return `view:${inbound.body.view.id}:${inbound.body.view.hash ?? ''}:${digest(inbound.body.view.state.values)}`;
    case 'view_closed':
      return `closed:${inbound.body.view.id}:${inbound.body.view.hash ?? ''}`;
    default:
      return null;
  }
}
