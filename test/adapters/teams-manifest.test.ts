/**
 * The Teams app package as Teams would check it: `sparring manifest teams` writes the zip, and its
 * manifest.json is validated against Microsoft's own 1.19 schema (from @microsoft/app-manifest) with
 * ajv. The version is the one given with --version, else Sparring's own; the privacy and terms links
 * go to the bot's /privacy and /terms under --url or PUBLIC_URL.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../bin/cli';
import { teamsManifest } from '../../adapters/teams/manifest';
import { resolveCommand } from '../../src/commands/words';
import type { Core } from '../../src/core';
import { projectRoot } from '../../src/paths';
import { createCatalog } from '../../src/text/catalog';
import { tempDatabasePath } from '../helpers/sparring';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const SCHEMAS = join(projectRoot(), 'node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.19');

function validator(file = 'MicrosoftTeams.schema.json') {
  // The file says draft-04 but uses later keywords (const); ajv reads it as it is meant.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;
  // unicodeRegExp off: a pattern of the localization schema ("\b]\.description$") is valid only without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

async function manifestTeams(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string; manifest?: Record<string, any>; danish?: Record<string, any> }> {
  const output = join(mkdtempSync(join(tmpdir(), 'sparring-teams-')), 'app.zip');
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await runCli(['manifest', 'teams', '--app-id', APP_ID, '--output', output, ...args], { out, err, env: { DATABASE_PATH: tempDatabasePath(), ...env }, stdin: new PassThrough() });
  if (status !== 0) return { status, stdout, stderr };
  const files = unzipSync(readFileSync(output));
  const json = (name: string) => (files[name] ? (JSON.parse(Buffer.from(files[name]).toString('utf8')) as Record<string, any>) : undefined);
  return { status, stdout, stderr, manifest: json('manifest.json'), danish: json('da.json') };
}

describe('the Teams app package', () => {
  const validate = validator();

  it('is valid against the 1.19 schema, with the version given by --version', async () => {
    const { status, stdout, manifest } = await manifestTeams(['--url', 'https://sparring.uni.example', '--version', '2.3.4']);
    expect(status).toBe(0);
    expect(stdout).toContain('version 2.3.4');
    expect(validate(manifest)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(manifest!.version).toBe('2.3.4');
    expect(manifest!.developer).toMatchObject({ privacyUrl: 'https://sparring.uni.example/privacy', termsOfUseUrl: 'https://sparring.uni.example/terms' });
  });

  it('suggests the commands in Danish to a Danish Teams, each one a command the bot takes', async () => {
    const { manifest, danish } = await manifestTeams(['--url', 'https://sparring.uni.example']);
    expect(manifest!.localizationInfo).toEqual({ defaultLanguageTag: 'en', additionalLanguages: [{ languageTag: 'da', file: 'da.json' }] });
    const validateLanguage = validator('MicrosoftTeams.Localization.schema.json');
    expect(validateLanguage(danish)).toBe(true);
    expect(validateLanguage.errors ?? []).toEqual([]);
    expect(danish!['description.short']).toBe('Forbered møderne, og følg op på dem i dit mentorforløb.');
    const titles = (strings: Record<string, string>) => Object.entries(strings).filter(([k]) => k.endsWith('.title')).map(([, v]) => v);
    const english = Object.fromEntries((manifest!.bots[0].commandLists[0].commands as { title: string; description: string }[]).flatMap((c, i) => [[`bots[0].commandLists[0].commands[${i}].title`, c.title], [`bots[0].commandLists[0].commands[${i}].description`, c.description]]));
    expect(titles(english)).toEqual(['help', 'prep', 'book', 'summary', 'actions', 'agreement', 'topics', 'pause', 'status', 'pairs at-risk']);
    expect(titles(danish!)).toEqual(['hjælp', 'forbered', 'book', 'opsummering', 'skridt', 'aftale', 'emner', 'pause', 'status', 'par risiko']);
    expect(danish!['bots[0].commandLists[0].commands[4].description']).toContain('»skridt klaret 2«');
    expect(english['bots[0].commandLists[0].commands[4].description']).toContain('“actions done 2”');
    // Every suggestion, in either language, is read as the command it names.
    const core = { text: createCatalog() } as Core;
    const names = ['help', 'prep', 'book', 'summary', 'actions', 'agreement', 'topics', 'pause', 'status', 'pairs'];
    for (const list of [titles(english), titles(danish!)]) expect(list.map((title) => resolveCommand(core, names, title)?.name)).toEqual(names);
    expect(resolveCommand(core, names, 'par risiko')).toEqual({ name: 'pairs', args: ['at-risk'] });
  });

  it('takes Sparring’s own version and PUBLIC_URL when none is given', async () => {
    const ownVersion = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    const { status, stderr, manifest } = await manifestTeams([], { PUBLIC_URL: 'https://mentor.uni.example/' });
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(manifest!.version).toBe(ownVersion);
    expect(manifest!.developer.privacyUrl).toBe('https://mentor.uni.example/privacy');
    expect(manifest!.validDomains).toEqual(['mentor.uni.example']);
    expect(validate(manifest)).toBe(true);
  });

  it('refuses a version Teams would not take, and says what it wants', async () => {
    const { status, stderr } = await manifestTeams(['--url', 'https://sparring.uni.example', '--version', '1.2']);
    expect(status).toBe(2);
    expect(stderr).toContain('--version must be three whole numbers such as 1.2.0 (got "1.2")');
  });

  it('is held to the schema: a manifest Teams would refuse fails the check', () => {
    const manifest = teamsManifest({ appId: APP_ID, website: 'https://sparring.uni.example', version: '1.0.0' });
    expect(validate({ ...manifest, bots: [{ ...(manifest.bots as object[])[0], scopes: ['everywhere'] }] })).toBe(false);
    expect(validate({ ...manifest, developer: { name: 'Sparring', websiteUrl: 'ftp://x', privacyUrl: 'ftp://x', termsOfUseUrl: 'ftp://x' } })).toBe(false);
  });
});
