/**
 * The Teams app package: manifest.json (schema 1.19) with the bot, its personal scope and the command
 * list, and the two icons, zipped ready to upload in Teams (Apps → Manage your apps → Upload an app).
 */
import { zipSync } from 'fflate';
import { ACCENT, colorIcon, outlineIcon } from './icons';

export const MANIFEST_VERSION = '1.19';

export interface TeamsManifestOptions {
  /** The bot's Microsoft App ID (a GUID), also used as the app's id. */
  appId: string;
  /** The public https address of the bot, for the developer and privacy links. */
  website: string;
  name?: string;
  version?: string;
}

/** The commands Teams suggests in the personal chat (it shows at most ten). */
export const COMMANDS: { title: string; description: string }[] = [
  { title: 'help', description: 'What Sparring can do for you' },
  { title: 'prep', description: 'Prepare your next meeting (the mentee sets the agenda)' },
  { title: 'book', description: 'Book, move or cancel a meeting' },
  { title: 'summary', description: 'Write the summary of your latest meeting' },
  { title: 'actions', description: 'Your agreed steps; "actions done 2" ticks one off' },
  { title: 'agreement', description: 'Your pair’s expectations and agreement' },
  { title: 'topics', description: 'Ideas for what to talk about' },
  { title: 'pause', description: 'Pause reminders for some days, e.g. "pause 7"' },
  { title: 'status', description: 'Coordinators: the programme at a glance' },
  { title: 'pairs at-risk', description: 'Coordinators: the pairs that need you' },
];

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function teamsManifest(o: TeamsManifestOptions): Record<string, unknown> {
  const website = o.website.replace(/\/+$/, '');
  const host = new URL(website).host;
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: o.version ?? '1.0.0',
    id: o.appId,
    developer: { name: 'Sparring', websiteUrl: website, privacyUrl: `${website}/privacy`, termsOfUseUrl: `${website}/terms` },
    name: { short: o.name ?? 'Sparring', full: `${o.name ?? 'Sparring'} — mentoring companion` },
    description: {
      short: 'Prepare, meet and follow up in your mentoring programme.',
      full: 'Sparring guides the pairs of a mentoring programme through the season: introductions, expectations, preparation before every meeting, a summary and agreed steps after it, booking the next one, check-ins and the evaluation. Coordinators see counts and dates, never what anyone wrote.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT,
    bots: [
      {
        botId: o.appId,
        scopes: ['personal'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['personal'], commands: COMMANDS }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [host],
  };
}

/** The zip to upload: manifest.json, color.png, outline.png. */
export function teamsPackage(o: TeamsManifestOptions): Buffer {
  const manifest = Buffer.from(JSON.stringify(teamsManifest(o), null, 2), 'utf8');
  return Buffer.from(zipSync({ 'manifest.json': manifest, 'color.png': colorIcon(), 'outline.png': outlineIcon() }, { level: 9 }));
}
