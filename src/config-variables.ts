/**
 * Every environment variable Sparring reads, in one list: its name, default, meaning and whether it
 * is a secret. The zod schema in config.ts has exactly these keys (the compiler checks it), and
 * `.env.example` and the README's configuration table are rendered from this list (a test checks
 * that the files say the same: `npm run env:example` rewrites the one, `npm run env:table` prints
 * the other).
 */

export interface ConfigVariable {
  name: string;
  group: 'general' | 'slack' | 'teams';
  /** The default as a person reads it, or undefined when unset means "not used". */
  default?: string;
  /** What `.env.example` shows (commented out). */
  example: string;
  /** One or two sentences, Markdown. */
  description: string;
  /** Never logged nor repeated in an error message. */
  secret: boolean;
}

export const configVariables = [
  {
    name: 'NODE_ENV',
    group: 'general',
    default: 'unset (development)',
    example: 'production',
    description:
      'set to `production` (the image does): `start` refuses to run without a chat platform (the local chat and its demo are for trying Sparring), and `TEAMS_ALLOW_UNAUTHENTICATED` is refused',
    secret: false,
  },
  {
    name: 'DATABASE_PATH',
    group: 'general',
    default: '`./data/sparring.db`',
    example: './data/sparring.db',
    description: 'the SQLite file (the image sets `/data/sparring.db`, on its volume)',
    secret: false,
  },
  { name: 'PORT', group: 'general', default: '`3000`', example: '3000', description: 'the HTTP port: the platforms, `/healthz`, `/readyz`, `/metrics`, the desk', secret: false },
  {
    name: 'PUBLIC_URL',
    group: 'general',
    default: 'unset (the local chat: `http://localhost:PORT`)',
    example: 'https://sparring.example.org',
    description: 'the public base URL at which `PORT` is reached, for the desk links and the chart images the bot serves (http or https, no query)',
    secret: false,
  },
  {
    name: 'ADAPTERS',
    group: 'general',
    default: 'inferred from the credentials, else `local`',
    example: 'slack,teams',
    description: 'comma list of `slack`, `teams`, `local`',
    secret: false,
  },
  { name: 'DEFAULT_LOCALE', group: 'general', default: '`da`', example: 'da', description: '`da` or `en`', secret: false },
  { name: 'DEFAULT_TIMEZONE', group: 'general', default: '`Europe/Copenhagen`', example: 'Europe/Copenhagen', description: 'an IANA time zone', secret: false },
  {
    name: 'COORDINATORS',
    group: 'general',
    example: 'slack:U0123,teams:29:1abc',
    description: 'platform ids granted the coordinator role at start, e.g. `slack:U0123,teams:29:1abc`',
    secret: false,
  },
  {
    name: 'CALENDAR_ORGANIZER',
    group: 'general',
    example: 'mentoring@university.example',
    description: 'the mailbox named as organizer in calendar invitations; unset, invitations are published (`METHOD:PUBLISH`), not sent as requests',
    secret: false,
  },
  {
    name: 'LOG_LEVEL',
    group: 'general',
    default: '`info` (`warn` for the local chat)',
    example: 'info',
    description: '`debug`, `info`, `warn`, `error`, `silent`',
    secret: false,
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    group: 'general',
    default: '`10000`',
    example: '10000',
    description: 'how long SIGTERM waits for deliveries and requests in flight (the image sets `8000`; compose gives the container 15 s)',
    secret: false,
  },
  { name: 'SLACK_BOT_TOKEN', group: 'slack', example: 'xoxb-…', description: 'the Bot User OAuth Token (`xoxb-…`); set, Slack runs', secret: true },
  {
    name: 'SLACK_SIGNING_SECRET',
    group: 'slack',
    example: '',
    description: 'Slack over HTTP (`POST /slack/events`): from Basic Information in the Slack app settings',
    secret: true,
  },
  { name: 'SLACK_APP_TOKEN', group: 'slack', example: 'xapp-…', description: 'an app-level token (`xapp-…`, `connections:write`); set, Slack runs in Socket Mode', secret: true },
  { name: 'SLACK_API_URL', group: 'slack', default: "Slack's own", example: 'https://slack.com/api/', description: 'another base URL for the Web API (tests, a proxy)', secret: false },
  {
    name: 'MicrosoftAppId',
    group: 'teams',
    example: '00000000-0000-0000-0000-000000000000',
    description: 'Teams (`POST /api/messages`): the Microsoft App ID of the Azure Bot, a GUID; set, Teams runs',
    secret: false,
  },
  { name: 'MicrosoftAppPassword', group: 'teams', example: '', description: 'the client secret of that app', secret: true },
  {
    name: 'MicrosoftAppType',
    group: 'teams',
    default: '`SingleTenant`',
    example: 'SingleTenant',
    description: '`SingleTenant` (what Azure creates; needs `MicrosoftAppTenantId`), `MultiTenant` (an older bot) or `UserAssignedMSI`',
    secret: false,
  },
  { name: 'MicrosoftAppTenantId', group: 'teams', example: '', description: 'the Directory (tenant) ID of the Azure Bot', secret: false },
  {
    name: 'TEAMS_ALLOW_UNAUTHENTICATED',
    group: 'teams',
    default: '`false`',
    example: 'false',
    description: '`true`: Teams without an app id, for local testing only; refused when `NODE_ENV=production`, and then only loopback service URLs are called',
    secret: false,
  },
] as const satisfies readonly ConfigVariable[];

export type ConfigVariableName = (typeof configVariables)[number]['name'];

const secrets: ReadonlySet<string> = new Set(configVariables.filter((v) => v.secret).map((v) => v.name));

/** Whether a variable holds a secret (never logged, never repeated in a message). */
export function isSecretVariable(name: string): boolean {
  return secrets.has(name);
}

const groupTitles: Record<ConfigVariable['group'], string> = {
  general: 'General',
  slack: 'Slack (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode)',
  teams: 'Microsoft Teams (Bot Framework names; from the Azure Bot resource)',
};

/** Markdown to plain text for the comments in `.env.example`. */
function plain(text: string): string {
  return text.replace(/`/g, '');
}

/** `text` as comment lines of at most 100 characters, its first letter capitalised. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of (text.charAt(0).toUpperCase() + text.slice(1)).split(' ')) {
    if (line.length + 1 + word.length > 100 && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** The text of `.env.example`: every variable, commented out, with what it means. */
export function envExample(): string {
  const lines = [
    "# Sparring's configuration. Copy this file to .env and set what you use; compose.yaml reads .env.",
    '# Every variable is optional; with no chat platform set, `start` opens the local chat (refused when',
    '# NODE_ENV=production, as in the image). Keep .env out of version control: it holds secrets.',
    '# Rendered from src/config-variables.ts by `npm run env:example`; a test checks that they agree.',
  ];
  let group: string | undefined;
  for (const v of configVariables as readonly ConfigVariable[]) {
    if (v.group !== group) {
      group = v.group;
      lines.push('', `# --- ${groupTitles[v.group]} ---`);
    }
    lines.push('', ...comment(`${plain(v.description)}.${v.default ? ` Default: ${plain(v.default)}.` : ''}${v.secret ? ' Secret.' : ''}`));
    lines.push(`# ${v.name}=${v.example}`);
  }
  return lines.join('\n') + '\n';
}

/** The README's configuration table. */
export function readmeTable(): string {
  const rows = ['| variable | default | secret | meaning |', '| --- | --- | --- | --- |'];
  for (const v of configVariables as readonly ConfigVariable[]) rows.push(`| \`${v.name}\` | ${v.default ?? '—'} | ${v.secret ? 'yes' : ''} | ${v.description} |`);
  return rows.join('\n') + '\n';
}
