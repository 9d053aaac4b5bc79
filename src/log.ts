/**
 * Structured logs on pino: one JSON line per entry (pretty lines in the local chat's log file), a
 * child per scope, and the request id of the inbound request being handled on every line written
 * while it is handled (withLogContext).
 *
 * Logs never carry what people wrote or secrets, at any level: fields that can hold words or
 * credentials are redacted by path, tokens are masked wherever they appear in a string, a caller's
 * fields cannot overwrite `time`, `level`, `msg`, `scope` or `requestId`, and lines from libraries
 * (Bolt, the Slack Web API client) are cut before anything that could be a payload.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export interface LogContext {
  requestId: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` on every log line written inside it, however deep and however async. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run(fields, fn);
}

/** The request id of the inbound request being handled, if any. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

/**
 * Field names that can hold what a person wrote, what the bot wrote to them, or a credential.
 * They are replaced by "[redacted]" at the top level and one level down (`fields.x.text`).
 */
export const REDACTED_FIELDS = [
  'text',
  'body',
  'rawBody',
  'blocks',
  'attachments',
  'view',
  'views',
  'answer',
  'answers',
  'value',
  'values',
  'message',
  'note',
  'content',
  'payload',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'password',
  'authorization',
  'cookie',
  'headers',
] as const;

const redactPaths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]);

/** Keys pino and this module own; a caller's field of the same name is kept under `field_<name>`. */
const RESERVED = new Set(['time', 'level', 'msg', 'scope', 'requestId', 'pid', 'hostname', 'err']);

/** Slack tokens, bearer tokens, JWTs and signing-like hex secrets, wherever they appear in a string. */
const SECRET_PATTERNS: RegExp[] = [
  /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
];

export function maskSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((s, re) => s.replace(re, '[secret]'), text);
}

function clean(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!fields) return out;
  for (const [key, value] of Object.entries(fields)) {
    const name = RESERVED.has(key) ? `field_${key}` : key;
    out[name] = typeof value === 'string' ? maskSecrets(value) : value;
  }
  return out;
}

export interface LoggerOptions {
  /** Where JSON lines go (default: standard error). Tests pass a function to read them back. */
  write?: (line: string) => void;
  /** A file to append to instead, as pretty lines for people (the local chat's log). */
  prettyFile?: string;
}

export function createLogger(level: Level, options: LoggerOptions | ((line: string) => void) = {}, scope = 'sparring'): Logger {
  const opts: LoggerOptions = typeof options === 'function' ? { write: options } : options;
  const base = pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
      mixin: () => {
        const store = context.getStore();
        return store ? { requestId: store.requestId } : {};
      },
    },
    destination(opts),
  );
  return wrap(base, scope);
}

function destination(opts: LoggerOptions): pino.DestinationStream {
  if (opts.write) {
    const write = opts.write;
    return { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) };
  }
  if (opts.prettyFile) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({ destination: opts.prettyFile, mkdir: true, append: true, sync: true, colorize: false, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname' });
  }
  return pino.destination({ dest: 2, sync: true });
}

function wrap(p: pino.Logger, scope: string): Logger {
  const emit = (at: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(at)) return;
    p[at]({ scope, ...clean(fields) }, maskSecrets(message));
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (name) => wrap(p, `${scope}.${name}`),
  };
}

/**
 * A library's log line, cut to what cannot be a payload: the text up to the first bracket, brace or
 * quote (Bolt and the Web API client write "http request body: {…}"), at most 160 characters.
 */
export function libraryLine(parts: unknown[]): string {
  const text = parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : typeof p)).join(' ');
  const cut = text.search(/[{["'\n]/);
  const head = (cut === -1 ? text : text.slice(0, cut)).trim();
  return maskSecrets(head.length > 160 ? `${head.slice(0, 160)}…` : head);
}

export const silentLogger: Logger = createLogger('silent');
