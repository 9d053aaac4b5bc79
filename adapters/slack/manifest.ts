/**
 * The Slack app manifest: exactly the scopes, events, slash command and settings this adapter
 * uses. Paste it into "Create New App → From a manifest" at api.slack.com/apps.
 */

export interface ManifestOptions {
  /** Public base URL of the bot for HTTP mode, e.g. https://sparring.example.org */
  url?: string;
  socketMode?: boolean;
  name?: string;
}

/**
 * Each scope, with the reason the bot needs it (printed as a comment). Not im:read: it covers
 * conversations.info/list and the im_* events for DMs, none of which the bot calls or hears; opening a
 * DM needs im:write and reading it im:history.
 */
export const BOT_SCOPES: [string, string][] = [
  ['chat:write', 'send DMs, replace answered buttons'],
  ['commands', 'the /mentor command'],
  ['im:history', 'read replies in the DM with the bot (message.im), and its history after a crash (conversations.history)'],
  ['im:write', 'open a DM with a participant (conversations.open)'],
  ['users:read', 'look up a user who writes to the bot'],
  ['users:read.email', 'match users to the participants file by e-mail'],
  ['files:read', 'read a participants CSV a coordinator sends'],
  ['files:write', 'send calendar invitations (.ics) and the report chart'],
];

export const BOT_EVENTS = ['app_home_opened', 'message.im'];

const quote = (s: string) => JSON.stringify(s);

export function slackManifest(options: ManifestOptions = {}): string {
  const socket = !!options.socketMode;
  const base = (options.url ?? 'https://sparring.example.org').replace(/\/+$/, '');
  const endpoint = `${base}/slack/events`;
  const name = options.name ?? 'Sparring';
  const lines = [
    `# Slack app manifest for Sparring (${socket ? 'Socket Mode' : `HTTP: ${endpoint}`}).`,
    '# api.slack.com/apps → Create New App → From a manifest → paste this.',
    'display_information:',
    `  name: ${quote(name)}`,
    '  description: "Mentoring companion: prepare, meet, follow up."',
    '  background_color: "#1d3557"',
    'features:',
    '  app_home:',
    '    home_tab_enabled: true',
    '    messages_tab_enabled: true',
    '    messages_tab_read_only_enabled: false',
    '  bot_user:',
    `    display_name: ${quote(name)}`,
    '    always_online: true',
    '  slash_commands:',
    '    - command: /mentor',
    ...(socket ? [] : [`      url: ${quote(endpoint)}`]),
    '      description: "Sparring: prep, book, summary, actions, status …"',
    '      usage_hint: "help | prep | book | summary | actions | topics | status"',
    '      should_escape: false',
    'oauth_config:',
    '  scopes:',
    '    bot:',
    ...BOT_SCOPES.map(([scope, why]) => `      - ${scope} # ${why}`),
    'settings:',
    '  event_subscriptions:',
    ...(socket ? [] : [`    request_url: ${quote(endpoint)}`]),
    '    bot_events:',
    ...BOT_EVENTS.map((e) => `      - ${e}`),
    '  interactivity:',
    '    is_enabled: true',
    ...(socket ? [] : [`    request_url: ${quote(endpoint)}`]),
    '  org_deploy_enabled: false',
    `  socket_mode_enabled: ${socket}`,
    '  token_rotation_enabled: false',
  ];
  return `${lines.join('\n')}\n`;
}
