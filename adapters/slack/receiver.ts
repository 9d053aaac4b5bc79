/**
 * What stands in front of Bolt's HTTP receiver on POST /slack/events. The shared server has read the
 * body (at most 1 MB); here the signature is checked and a timestamp more than five minutes off
 * either way is refused (401), the body is checked against the shapes Sparring takes (a signed but
 * malformed one: 400, logged), a response_url outside Slack is refused (400: Bolt's `respond` would
 * post there), and a command, click or submission already handled is answered 200 and dropped. Only
 * then does Bolt see the request. Socket Mode gets the same checks from `socketModeGuard`, as Bolt
 * middleware: its envelopes arrive over Slack's own authenticated WebSocket, unsigned.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';
import type { Handler } from '../http';
import { describeError } from '../../src/errors';
import type { Logger } from '../../src/log';
import { parseInbound, parseInboundObject, replayKey, responseUrlAllowed, responseUrlOf } from './receiver-payloads';

/** How far (s) a request's timestamp may be from now, as Slack asks. */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end();
}

/**
 * Wraps Bolt's request listener. `firstTime` records a replay key and says whether it is new;
 * `nowMs` is the wall clock Slack signs with.
 */
export function guardSlackRoute(
  boltListener: Handler,
  options: { signingSecret: string; firstTime: (key: string) => boolean; log: Logger; nowMs?: () => number; apiUrl?: string },
): Handler {
  const nowMs = options.nowMs ?? Date.now;
  return (req, res) => {
    const raw = ((req as IncomingMessage & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0)).toString('utf8');
    const parsed = parseInbound(raw, header(req, 'content-type'));
    // ssl_check is unsigned by design; Bolt strips anything else from it.
    if (parsed.ok && parsed.inbound.kind === 'ssl_check') return boltListener(req, res);
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    if (!Number.isFinite(timestamp) || Math.abs(nowMs() / 1000 - timestamp) > TIMESTAMP_TOLERANCE_S) {
      options.log.warn('a Slack request with a missing or out-of-range timestamp was refused');
      return answer(res, 401);
    }
    try {
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': header(req, 'x-slack-signature') ?? '', 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs(),
      });
    } catch (error) {
      options.log.warn('a Slack request was refused', { error: describeError(error) });
      return answer(res, 401);
    }
    if (!parsed.ok) {
      options.log.warn('a signed Slack request had a shape Sparring does not take; ignored', { problem: parsed.problem });
      return answer(res, 400);
    }
    const responseUrl = responseUrlOf(parsed.inbound);
    if (responseUrl !== undefined && !responseUrlAllowed(responseUrl, options.apiUrl)) {
      options.log.warn('a signed Slack request named a response_url outside Slack; ignored', { kind: parsed.inbound.kind });
      return answer(res, 400);
    }
    const key = replayKey(parsed.inbound);
    if (key && !options.firstTime(key)) {
      options.log.info('a Slack request already handled came again; ignored', { kind: parsed.inbound.kind });
      return answer(res, 200);
    }
    return boltListener(req, res);
  };
}

/**
 * The same checks for Socket Mode, in front of Bolt (Bolt itself throws on some malformed payloads
 * before any middleware runs): a payload of a shape Sparring does not take or with a response_url
 * outside Slack is acknowledged and dropped (logged), and a command, click or submission already
 * handled (Slack re-sends an envelope it saw no ack for) is acknowledged and dropped. Says whether
 * Bolt may have the envelope.
 */
export function socketModeGuard(options: { firstTime: (key: string) => boolean; log: Logger; apiUrl?: string }) {
  return async (event: { body: unknown; ack: () => Promise<void> }): Promise<boolean> => {
    const parsed = parseInboundObject(event.body);
    const drop = async (level: 'warn' | 'info', why: string, fields: Record<string, unknown> = {}) => {
      options.log[level](why, fields);
      await event.ack().catch(() => undefined);
      return false;
    };
    if (!parsed.ok) return drop('warn', 'a Socket Mode payload had a shape Sparring does not take; ignored', { problem: parsed.problem });
    const responseUrl = responseUrlOf(parsed.inbound);
    if (responseUrl !== undefined && !responseUrlAllowed(responseUrl, options.apiUrl)) return drop('warn', 'a Socket Mode payload named a response_url outside Slack; ignored', { kind: parsed.inbound.kind });
    const key = replayKey(parsed.inbound);
    if (key && !options.firstTime(key)) return drop('info', 'a Slack request already handled came again; ignored', { kind: parsed.inbound.kind });
    return true;
  };
}
