/**
 * Configuration from the environment, read once and validated once (zod). A bad value stops
 * the start with one line per variable that names it and says what is wrong. The variables are
 * those of config-variables.ts, the one list that `.env.example` and the README are checked against.
 */
import { z } from 'zod';
import { isSecretVariable, type ConfigVariableName } from './config-variables';
import { ConfigError } from './errors';
import { isValidTimeZone } from './time';
import { locales } from './text/locale';

const adapterNames = ['slack', 'teams', 'local'] as const;
export type AdapterName = (typeof adapterNames)[number];

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const platformId = /^(slack|teams|local):.+$/;
/** A Microsoft App ID (and a tenant id): a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301. */
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What MicrosoftAppType means when it is not set: Azure creates new bots as single-tenant. */
export const DEFAULT_TEAMS_APP_TYPE = 'SingleTenant';
/** How long a stop may take when SHUTDOWN_TIMEOUT_MS is not set. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

const wholeMilliseconds = optionalText.pipe(
  z.string().regex(/^\d+$/, 'must be a whole number of milliseconds, e.g. 10000').transform(Number).optional(),
);

/** One key per variable of config-variables.ts, no more and no fewer (the compiler checks both). */
const variables = {
  DATABASE_PATH: optionalText.transform((v) => v ?? './data/sparring.db'),
  PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number from 1 to 65535')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 65535, 'must be a whole number from 1 to 65535')
      .optional(),
  ),
  ADAPTERS: optionalText.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(z.enum(adapterNames, { message: `each must be one of ${adapterNames.join(', ')}` })).min(1))
      .optional(),
  ),
  DEFAULT_LOCALE: optionalText.pipe(z.enum(locales, { message: `must be one of ${locales.join(', ')}` }).optional()),
  DEFAULT_TIMEZONE: optionalText.pipe(
    z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Copenhagen').optional(),
  ),
  COORDINATORS: optionalText.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(platformId, 'each must look like slack:U0123, teams:29:1abc or local:3')))
      .optional(),
  ),
  LOG_LEVEL: optionalText.pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional()),
  SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', 'must start with xoxb- (the Bot User OAuth Token)').optional()),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', 'must start with xapp- (an app-level token with connections:write)').optional()),
  SLACK_API_URL: optionalText.pipe(z.url({ message: 'must be a URL such as https://slack.com/api/' }).optional()),
  MicrosoftAppId: optionalText.pipe(
    z.string().regex(guid, 'must be a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301: copy the Microsoft App ID from your Azure Bot resource (Configuration)').optional(),
  ),
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: optionalText.pipe(
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { message: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }).optional(),
  ),
  MicrosoftAppTenantId: optionalText,
  TEAMS_ALLOW_UNAUTHENTICATED: optionalText.pipe(z.enum(['true', 'false'], { message: 'must be true or false' }).optional()),
  NODE_ENV: optionalText,
  SHUTDOWN_TIMEOUT_MS: wholeMilliseconds,
  PUBLIC_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, message: 'must be the http(s) address at which PORT is reached, such as https://sparring.example.org' })
      .refine((v) => !/[?#]/.test(v), 'must be a base address without ? or #, such as https://sparring.example.org')
      .transform((v) => v.replace(/\/+$/, ''))
      .optional(),
  ),
  CALENDAR_ORGANIZER: optionalText.pipe(z.email({ message: 'must be an e-mail address, such as mentoring@university.example' }).optional()),
} satisfies Record<ConfigVariableName, z.ZodType>;

/** The variables the schema reads (a test checks them against config-variables.ts at run time too). */
export const schemaVariables = Object.keys(variables);

const schema = z
  .object(variables)
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is missing: copy it from Basic Information in your Slack app settings (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
    if (env.ADAPTERS?.includes('slack') && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is missing, but ADAPTERS includes slack' });
    }
    if (env.MicrosoftAppId && !env.MicrosoftAppPassword && env.MicrosoftAppType !== 'UserAssignedMSI') {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is missing, but MicrosoftAppId is set' });
    }
    if (env.MicrosoftAppId && !env.MicrosoftAppType && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `is missing: without MicrosoftAppType the bot is ${DEFAULT_TEAMS_APP_TYPE}, which needs the Directory (tenant) ID of your Azure Bot; set it, or set MicrosoftAppType (MultiTenant, SingleTenant or UserAssignedMSI)`,
      });
    }
    if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is missing, but MicrosoftAppType is SingleTenant' });
    }
    const allowUnauthenticated = env.TEAMS_ALLOW_UNAUTHENTICATED === 'true';
    if (env.ADAPTERS?.includes('teams') && !env.MicrosoftAppId && !allowUnauthenticated) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppId'],
        message:
          'is missing, but ADAPTERS includes teams: set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId from your Azure Bot, or TEAMS_ALLOW_UNAUTHENTICATED=true to run Teams without authentication for local testing',
      });
    }
    if (allowUnauthenticated && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['TEAMS_ALLOW_UNAUTHENTICATED'],
        message: 'cannot be true when NODE_ENV is production: anyone could speak for anyone; set MicrosoftAppId and its credentials instead',
      });
    }
    if (allowUnauthenticated && env.MicrosoftAppId) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEAMS_ALLOW_UNAUTHENTICATED'],
        message: 'is true, but MicrosoftAppId is set: remove TEAMS_ALLOW_UNAUTHENTICATED (with an app id, Teams is always authenticated)',
      });
    }
  });

export interface Config {
  databasePath: string;
  port: number;
  adapters: AdapterName[];
  defaultLocale: (typeof locales)[number];
  defaultTimezone: string;
  coordinators: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  /** Without appId, allowUnauthenticated is true (TEAMS_ALLOW_UNAUTHENTICATED=true, never in production). */
  teams?: { appId?: string; appPassword?: string; appType?: string; tenantId?: string; allowUnauthenticated: boolean };
  /** NODE_ENV=production. */
  production: boolean;
  /** How long a stop may take (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** The public base URL of PORT, without a trailing slash (PUBLIC_URL; the local chat: http://localhost:PORT). */
  publicUrl?: string;
  /** The mailbox named as organizer of calendar invitations (CALENDAR_ORGANIZER). */
  calendarOrganizer?: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const value = env[name];
      const shown = value === undefined || isSecretVariable(name) ? '' : ` (got "${value}")`;
      return `${name} ${issue.message.replace(/^Invalid input: /, '')}${shown}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data;
  const inferred: AdapterName[] = [];
  if (e.SLACK_BOT_TOKEN) inferred.push('slack');
  if (e.MicrosoftAppId) inferred.push('teams');
  const adapters = e.ADAPTERS ?? (inferred.length > 0 ? inferred : ['local']);
  const port = e.PORT ?? 3000;
  const localOnly = adapters.every((a) => a === 'local');
  return {
    databasePath: e.DATABASE_PATH,
    port,
    adapters: [...new Set(adapters)] as AdapterName[],
    defaultLocale: e.DEFAULT_LOCALE ?? 'da',
    defaultTimezone: e.DEFAULT_TIMEZONE ?? 'Europe/Copenhagen',
    coordinators: e.COORDINATORS ?? [],
    logLevel: e.LOG_LEVEL ?? (adapters.length === 1 && adapters[0] === 'local' ? 'warn' : 'info'),
    slack: e.SLACK_BOT_TOKEN
      ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL }
      : undefined,
    teams:
      e.MicrosoftAppId || adapters.includes('teams')
        ? {
            appId: e.MicrosoftAppId,
            appPassword: e.MicrosoftAppPassword,
            appType: e.MicrosoftAppType ?? (e.MicrosoftAppId ? DEFAULT_TEAMS_APP_TYPE : undefined),
            tenantId: e.MicrosoftAppTenantId,
            allowUnauthenticated: !e.MicrosoftAppId && e.TEAMS_ALLOW_UNAUTHENTICATED === 'true',
          }
        : undefined,
    production: e.NODE_ENV === 'production',
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    publicUrl: e.PUBLIC_URL ?? (localOnly ? `http://localhost:${port}` : undefined),
    calendarOrganizer: e.CALENDAR_ORGANIZER,
  };
}

/** SHUTDOWN_TIMEOUT_MS alone (for callers without a whole Config): how long a stop may take. */
export function shutdownTimeoutMs(env: Record<string, string | undefined>): number {
  const parsed = z.object({ SHUTDOWN_TIMEOUT_MS: wholeMilliseconds }).safeParse(env);
  if (!parsed.success) throw new ConfigError(`SHUTDOWN_TIMEOUT_MS ${parsed.error.issues[0]?.message ?? 'is invalid'} (got "${env.SHUTDOWN_TIMEOUT_MS}")`);
  return parsed.data.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
}
