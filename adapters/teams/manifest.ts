/**
 * The Teams app package: manifest.json (schema 1.19) with the bot, its personal scope and the command
 * list, its Danish strings in da.json (Teams shows them to people whose Teams is in Danish; English
 * otherwise), and the two icons, zipped ready to upload in Teams (Apps → Manage your apps → Upload an app).
 * The command suggestions are the commands' own words in each language (prompts/<locale>/commands.json).
 * Its version is package.json's unless given (Teams wants a higher one for every changed upload); its
 * privacy and terms links go to the bot's own /privacy and /terms pages (adapters/legal.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { commandPhrase } from '../../src/commands/words';
import { projectRoot } from '../../src/paths';
import { createCatalog, type Catalog } from '../../src/text/catalog';
import type { Locale } from '../../src/text/locale';
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

/** The commands Teams suggests in the personal chat (it shows at most ten), with their arguments. */
const SUGGESTED: { name: string; args?: string[]; key?: string }[] = [
  { name: 'help' },
  { name: 'prep' },
  { name: 'book' },
  { name: 'summary' },
  { name: 'actions' },
  { name: 'agreement' },
  { name: 'topics' },
  { name: 'pause' },
  { name: 'status' },
  { name: 'pairs', args: ['at-risk'], key: 'pairsAtRisk' },
];

/** The manifest's own language; each other one is a file beside manifest.json. */
const DEFAULT_LANGUAGE: Locale = 'en';
const OTHER_LANGUAGES: { locale: Locale; tag: string; file: string }[] = [{ locale: 'da', tag: 'da', file: 'da.json' }];

/** The strings of the manifest in one language, by their place in the manifest. */
function strings(text: Catalog, locale: Locale, name: string): Record<string, string> {
  const t = (key: string, vars = {}) => text.t(locale, `teams.manifest.${key}`, vars);
  const core = { text };
  const out: Record<string, string> = {
    'name.short': name,
    'name.full': t('name.full', { name }),
    'description.short': t('description.short'),
    'description.full': t('description.full'),
  };
  SUGGESTED.forEach((c, i) => {
    out[`bots[0].commandLists[0].commands[${i}].title`] = commandPhrase(core, locale, c.name, c.args ?? []);
    out[`bots[0].commandLists[0].commands[${i}].description`] = t(`command.${c.key ?? c.name}`, {
      done: commandPhrase(core, locale, 'actions', ['done', '2']),
      example: commandPhrase(core, locale, 'pause', ['7']),
    });
  });
  return out;
}

/** A language file for Teams: the strings, under the localization schema. */
function languageFile(text: Catalog, locale: Locale, name: string): Record<string, unknown> {
  return { $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`, ...strings(text, locale, name) };
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function teamsManifest(o: TeamsManifestOptions, text: Catalog = createCatalog()): Record<string, unknown> {
  const website = o.website.replace(/\/+$/, '');
  const host = new URL(website).host;
  const version = o.version ?? packageVersion();
  if (!APP_VERSION.test(version)) throw new Error(`the app version must be three whole numbers such as 1.2.0, not "${version}"`);
  const s = strings(text, DEFAULT_LANGUAGE, o.name ?? 'Sparring');
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version,
    id: o.appId,
    developer: { name: 'Sparring', websiteUrl: website, privacyUrl: `${website}/privacy`, termsOfUseUrl: `${website}/terms` },
    name: { short: s['name.short'], full: s['name.full'] },
    description: { short: s['description.short'], full: s['description.full'] },
    localizationInfo: { defaultLanguageTag: DEFAULT_LANGUAGE, additionalLanguages: OTHER_LANGUAGES.map((l) => ({ languageTag: l.tag, file: l.file })) },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT,
    bots: [
      {
        botId: o.appId,
        scopes: ['personal'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            scopes: ['personal'],
            commands: SUGGESTED.map((_, i) => ({ title: s[`bots[0].commandLists[0].commands[${i}].title`], description: s[`bots[0].commandLists[0].commands[${i}].description`] })),
          },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [host],
  };
}

/** The zip to upload: manifest.json, a file per other language (da.json), color.png, outline.png. */
export function teamsPackage(o: TeamsManifestOptions): Buffer {
  const text = createCatalog();
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2), 'utf8');
  const languages = Object.fromEntries(OTHER_LANGUAGES.map((l) => [l.file, json(languageFile(text, l.locale, o.name ?? 'Sparring'))]));
  return Buffer.from(zipSync({ 'manifest.json': json(teamsManifest(o, text)), ...languages, 'color.png': colorIcon(), 'outline.png': outlineIcon() }, { level: 9 }));
}
