/**
 * The Teams app package: manifest.json (schema 1.19) with the bot, its personal scope and the command
 * list, and the two icons, zipped ready to upload in Teams (Apps → Manage your apps → Upload an app).
 * Its version is package.json's unless given (Teams wants a higher one for every changed upload); its
 * privacy and terms links go to the bot's own /privacy and /terms pages (adapters/legal.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { projectRoot } from '../../src/paths';
import { ACCENT, colorIcon, outlineIcon } from './icons';

export const MANIFEST_VERSION = '1.19';

export interface TeamsManifestOptions {
  /** The bot's Microsoft App ID (a GUID), also used as the app's id. */
  appId: string;
  /** The public https address of the bot, for the developer and privacy links. */
  website: string;
  name?: string;
  /** The app's version, X.Y.Z (default: package.json's). */
  version?: string;
}

/** A Teams app version: three whole numbers, e.g. 1.4.0 (semver without a pre-release tag). */
export const APP_VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

/** Sparring's own version, from package.json. */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '1.0.0';
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
  const version = o.version ?? packageVersion();
  if (!APP_VERSION.test(version)) throw new Error(`the app version must be three whole numbers such as 1.2.0, not "${version}"`);
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version,
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
