/**
 * The CLI's commands. Each has --help; each returns an exit code. A command loads what it uses when
 * it runs (`await import`), so `--help` loads nothing more and `status` does not wait for Bolt,
 * botbuilder or the server: only the errors are loaded up front, the configuration once a command runs.
 */
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import type { Config } from '../src/config';
import type { Core } from '../src/core';
import { SparringError } from '../src/errors';
import type { Logger } from '../src/log';
import type { Programme } from '../src/programme/programmes';

export interface Io {
  out: Writable;
  err: Writable;
  env: Record<string, string | undefined>;
  stdin: Readable & { isTTY?: boolean };
}

interface CliCommand {
  usage: string;
  summary: string;
  options?: Record<string, { type: 'string' | 'boolean' }>;
  positionals?: number;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }, config: Config, io: Io): Promise<number>;
}

class UsageError extends SparringError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** Why `start` refuses a deployment without a chat platform (one line; the container with no variables says this). */
export const NO_PLATFORM_IN_PRODUCTION =
  'NODE_ENV is production but no chat platform is configured, so nothing was started: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack) or MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId (Teams), e.g. in .env; the local chat and its demo programme run only without NODE_ENV=production';

/** Runs `work` on the core over DATABASE_PATH, then closes it; `named` finds a programme by name or says which exist. */
async function withCore<T>(config: Config, work: (core: Core, named: (name: string) => Programme) => T | Promise<T>): Promise<T> {
  const [{ openCore }, { systemClock }, { createLogger }, { findProgrammeByName }] = await Promise.all([
    import('../src/sparring'),
    import('../src/clock'),
    import('../src/log'),
    import('../src/programme/programmes'),
  ]);
  const core = openCore({
    databasePath: config.databasePath,
    clock: systemClock,
    log: createLogger(config.logLevel),
    defaults: { locale: config.defaultLocale, timezone: config.defaultTimezone },
    calendarOrganizer: config.calendarOrganizer,
  });
  try {
    return await work(core, (name) => programmeNamed(core, name, findProgrammeByName));
  } finally {
    core.db.close();
  }
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v;
}

export const commands: Record<string, CliCommand> = {
  start: {
    usage: 'sparring start',
    summary: 'Run the bot: on Slack and/or Teams when configured (HTTP on PORT: /slack/events, /api/messages, /healthz); with no credentials, the local terminal chat on DATABASE_PATH (refused when NODE_ENV is production).',
    async run(_args, config, io) {
      const platforms = config.adapters.some((a) => a !== 'local');
      // A deployment never runs the local chat: it would seed the demo programme into the real database.
      if (!platforms && config.production) throw new SparringError('config_invalid', NO_PLATFORM_IN_PRODUCTION);
      const [{ createLogger }, { acquireProcessLock }] = await Promise.all([import('../src/log'), import('../src/store/lock')]);
      const log = createLogger(config.logLevel);
      // One running Sparring per database file: a second start is refused, naming the first.
      const lock = acquireProcessLock(config.databasePath);
      try {
        if (platforms) return await runServer(config, log, lock.id, config.shutdownTimeoutMs);
        const { runLocalChat } = await import('../adapters/local');
        const interactive = !!io.stdin.isTTY && !!(io.out as { isTTY?: boolean }).isTTY;
        await runLocalChat({
          databasePath: config.databasePath,
          defaults: { locale: config.defaultLocale, timezone: config.defaultTimezone },
          // The terminal is the chat: the local chat's log goes to a file beside the database, for people to read.
          log: createLogger(config.logLevel, { prettyFile: join(dirname(config.databasePath), 'sparring.log') }),
          input: io.stdin,
          output: io.out,
          interactive,
          coordinators: config.coordinators,
          desk: { port: config.port, publicUrl: config.publicUrl },
        });
        return 0;
      } finally {
        lock.release();
      }
    },
  },
  demo: {
    usage: 'sparring demo',
    summary: 'Seed the demo programme (two pairs, a meeting booked for each) into DATABASE_PATH. Refused when NODE_ENV is production.',
    async run(_args, config, io) {
      if (config.production) throw new SparringError('config_invalid', 'the demo programme is not seeded when NODE_ENV is production; seed it into a database of its own, without NODE_ENV=production');
      const { seedDemo, DEMO_PROGRAMME } = await import('../src/demo');
      const seeded = await withCore(config, (core) => seedDemo(core));
      io.out.write(seeded ? `Seeded "${DEMO_PROGRAMME}" into ${config.databasePath}.\n` : `"${DEMO_PROGRAMME}" is already in ${config.databasePath}; nothing changed.\n`);
      return 0;
    },
  },
  programme: {
    usage:
      'sparring programme create --name NAME --start YYYY-MM-DD --end YYYY-MM-DD [--locale da|en] [--timezone ZONE] [--rhythm-days N] [--coordinator-contact TEXT] [--study-contact TEXT] [--wellbeing-contact TEXT] [--from EARLIER-NAME]\n' +
      '       (--from copies the earlier programme’s settings, contacts and coordinators, and asks its mentors whether they join)\n' +
      '       sparring programme start --name NAME      (welcome and introductions go out now)\n' +
      '       sparring programme close --name NAME      (ends every pair; nothing more is sent)',
    summary: 'Create a programme (a season of a cohort), start it, or close it.',
    options: {
      name: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      locale: { type: 'string' },
      timezone: { type: 'string' },
      'rhythm-days': { type: 'string' },
      'coordinator-contact': { type: 'string' },
      'study-contact': { type: 'string' },
      'wellbeing-contact': { type: 'string' },
      from: { type: 'string' },
    },
    positionals: 1,
    async run({ values, positionals }, config, io) {
      const sub = positionals[0];
      if (sub === 'start' || sub === 'close') {
        const { closeProgramme, startProgramme } = await import('../src/programme/lifecycle');
        await withCore(config, (core, named) => {
          const programme = named(required(values, 'name'));
          if (sub === 'start') io.out.write(`Started "${programme.name}": ${startProgramme(core, programme)} welcome and introduction messages go out now.\n`);
          else {
            const closed = closeProgramme(core, programme);
            io.out.write(`Closed "${programme.name}": ${closed.pairs} pairs ended, ${closed.nudges} planned messages cancelled.\n`);
          }
        });
        return 0;
      }
      if (sub !== 'create') throw new UsageError(`unknown programme subcommand "${sub ?? ''}"; try: programme create, programme start, programme close`);
      const rhythm = values['rhythm-days'];
      if (rhythm !== undefined && !/^\d+$/.test(rhythm as string)) throw new UsageError('--rhythm-days must be a whole number of days');
      const contacts = Object.fromEntries(
        ([['coordinator', 'coordinator-contact'], ['studyCounselling', 'study-contact'], ['wellbeing', 'wellbeing-contact']] as const)
          .filter(([, flag]) => typeof values[flag] === 'string')
          .map(([key, flag]) => [key, values[flag] as string]),
      );
      const [{ createProgramme }, { createNextSeason }] = await Promise.all([import('../src/programme/programmes'), import('../src/flows/next-season')]);
      const input = {
        name: required(values, 'name'),
        startsOn: required(values, 'start'),
        endsOn: required(values, 'end'),
        locale: values.locale as string | undefined,
        timezone: values.timezone as string | undefined,
        settings: { ...(rhythm !== undefined ? { rhythmDays: Number(rhythm) } : {}), ...(Object.keys(contacts).length > 0 ? { contacts } : {}) },
      };
      const from = values.from as string | undefined;
      const created = await withCore(config, (core) => (from ? createNextSeason(core, input, from) : { programme: createProgramme(core, input), from: null, asked: 0 }));
      const programme = created.programme;
      io.out.write(`Created programme "${programme.name}" (${programme.startsOn} to ${programme.endsOn}, ${programme.locale}, ${programme.timezone}).\n`);
      if (created.from) io.out.write(`Copied the settings and coordinators of "${created.from.name}"; its ${created.asked} mentors are asked whether they join (the bot sends the question).\n`);
      return 0;
    },
  },
  import: {
    usage: 'sparring import FILE.csv --programme NAME',
    summary: 'Import participants (role, name, email, locale, slack_id, teams_id, faculty, education, interests, company, job_title, capacity). A file with any bad row is refused whole, every problem listed; importing it twice changes nothing.',
    options: { programme: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, config, io) {
      const file = positionals[0];
      if (!file) throw new UsageError('name the CSV file to import');
      const [{ readFileSync }, { applyParticipants, parseParticipants }, { formatProblems }, { createCatalog }] = await Promise.all([
        import('node:fs'),
        import('../src/coordinator/import'),
        import('../src/coordinator/import-problems'),
        import('../src/text/catalog'),
      ]);
      const content = readFileSync(file);
      const parsed = parseParticipants(content);
      // The command line speaks English, like the rest of its output.
      if (!parsed.ok) throw new SparringError('import_refused', `${file} was not imported; nothing was changed:\n${formatProblems(createCatalog(), 'en', parsed.problems)}`);
      const result = await withCore(config, (core, named) => applyParticipants(core, named(required(values, 'programme')).id, parsed.rows));
      io.out.write(`Imported ${parsed.rows.length} participants: ${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged.\n`);
      return 0;
    },
  },
  match: {
    usage: 'sparring match --programme NAME [--apply] [--allow-repeat]',
    summary:
      'Print match suggestions for every unmatched mentee with the reasons and warnings; --apply confirms the best assignment (within mentor capacity), which starts the introductions, or, when the mentees pick their mentor (setting matching: mentee-picks), sends each unmatched mentee their three best suggestions. Two people who were a pair before are not suggested again unless --allow-repeat.',
    options: { programme: { type: 'string' }, apply: { type: 'boolean' }, 'allow-repeat': { type: 'boolean' } },
    async run({ values }, config, io) {
      const [{ applyMatches, bestMatches, suggestMatches, unmatchedMentees }, { offerPicks }] = await Promise.all([import('../src/coordinator/matching'), import('../src/flows/mentee-picks')]);
      const allowRepeat = !!values['allow-repeat'];
      await withCore(config, (core, named) => {
        const programme = named(required(values, 'programme'));
        if (programme.settings.matching === 'mentee-picks') {
          const waiting = unmatchedMentees(core, programme.id);
          const count = (w: string | null) => waiting.filter((m) => m.waiting === w).length;
          io.out.write(`The mentees pick their mentor: ${count('pick')} choosing, ${count('mentor')} waiting for a mentor's answer, ${count(null)} with nothing under way.\n`);
          for (const m of waiting) io.out.write(`unmatched: ${m.name}${m.waiting ? ` (${m.waiting === 'pick' ? 'choosing' : "waiting for the mentor's answer"})` : ''}\n`);
          if (values.apply) io.out.write(`Sent the choice to ${offerPicks(core, programme.id)} mentees.\n`);
          return;
        }
        if (values.apply) {
          const best = bestMatches(core, programme.id, { allowRepeat });
          applyMatches(core, programme.id, best);
          for (const m of best) io.out.write(`matched ${m.mentee} with ${m.mentor} (${m.score})\n`);
          io.out.write(`Matched ${best.length} pairs.\n`);
          return;
        }
        const suggestions = suggestMatches(core, programme.id, 3, { allowRepeat });
        if (suggestions.length === 0) io.out.write('Every mentee has a mentor.\n');
        const warning = { language: 'WARNING: the mentee asked for English; the mentor speaks Danish', repeat: 'WARNING: they were a pair before' };
        for (const s of suggestions) io.out.write(`${s.mentee} -> ${s.mentor}  score ${s.score}  ${[...s.reasons.map((r) => `${r.reason}${r.detail ? `: ${r.detail}` : ''}`), ...s.warnings.map((w) => warning[w.warning])].join('; ')}\n`);
      });
      return 0;
    },
  },
  status: {
    usage: 'sparring status --programme NAME',
    summary: "The programme at a glance: participants, pairs, meetings, preparation, summaries, surveys, and the pairs at risk. Counts and dates only.",
    options: { programme: { type: 'string' } },
    async run({ values }, config, io) {
      const { statusText } = await import('../src/coordinator/commands');
      await withCore(config, (core, named) => {
        const programme = named(required(values, 'programme'));
        io.out.write(statusText(cliContext(core, config, programme.timezone), programme).replace(/\*/g, '') + '\n');
      });
      return 0;
    },
  },
  report: {
    usage: 'sparring report --programme NAME [--format md|csv|png] [--output FILE]',
    summary: 'The end-of-season evaluation: each outcome item over the five-point scale with n and the share who agree; match, engagement, meetings per pair, job shadowing.',
    options: { programme: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' } },
    async run({ values }, config, io) {
      const format = (values.format as string | undefined) ?? 'md';
      if (!['md', 'csv', 'png'].includes(format)) throw new UsageError('--format must be md, csv or png');
      if (format === 'png' && !values.output) throw new UsageError('--format png needs --output FILE.png');
      const { reportCsv, reportMarkdown, seasonReport } = await import('../src/coordinator/report');
      const { reportPng } = format === 'png' ? await import('../src/coordinator/chart') : { reportPng: undefined };
      const out = await withCore(config, (core, named) => {
        const programme = named(required(values, 'programme'));
        const report = seasonReport(core, programme.id);
        if (format === 'csv') return reportCsv(report, config.defaultLocale, core.text);
        if (reportPng) return reportPng(core, report, config.defaultLocale, programme.name);
        return reportMarkdown(core, report, config.defaultLocale, programme.name);
      });
      if (values.output) (await import('node:fs')).writeFileSync(values.output as string, out);
      else io.out.write(out);
      return 0;
    },
  },
  manifest: {
    usage:
      'sparring manifest slack [--url https://your.host] [--socket]\n' +
      '       sparring manifest teams [--url https://your.host] [--app-id GUID] [--version X.Y.Z] [--output sparring-teams.zip]',
    summary:
      'Slack: print the app manifest (YAML) for HTTP at URL/slack/events, or for Socket Mode with --socket. Teams: write the app package (manifest.json and icons, zipped) to upload in Teams; the app id defaults to MicrosoftAppId, the URL to PUBLIC_URL, the version to Sparring\'s own (raise it for every changed upload).',
    options: { url: { type: 'string' }, socket: { type: 'boolean' }, 'app-id': { type: 'string' }, output: { type: 'string' }, version: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, config, io) {
      const platform = positionals[0];
      const url = values.url as string | undefined;
      if (url !== undefined && !/^https:\/\/[^\s/]+/.test(url)) throw new UsageError('--url must be the public https address of the bot, e.g. https://sparring.example.org');
      if (platform === 'teams') {
        const [{ writeFileSync }, { APP_VERSION, GUID, packageVersion, teamsPackage }] = await Promise.all([import('node:fs'), import('../adapters/teams/manifest')]);
        const appId = (values['app-id'] as string | undefined) ?? config.teams?.appId;
        if (!appId || !GUID.test(appId)) throw new UsageError('give the bot\'s Microsoft App ID (a GUID, from its Azure Bot resource) with --app-id, or set MicrosoftAppId');
        const version = (values.version as string | undefined) ?? packageVersion();
        if (!APP_VERSION.test(version)) throw new UsageError(`--version must be three whole numbers such as 1.2.0 (got "${version}"); raise it for every changed upload`);
        const website = url ?? (config.publicUrl?.startsWith('https://') ? config.publicUrl : undefined);
        if (!website) io.err.write('sparring: no --url given and no https PUBLIC_URL; the package links to https://sparring.example.org for its website, privacy and terms — give your own with --url\n');
        const output = (values.output as string | undefined) ?? 'sparring-teams.zip';
        writeFileSync(output, teamsPackage({ appId, website: website ?? 'https://sparring.example.org', version }));
        io.out.write(`Wrote ${output} (version ${version}): upload it in Teams under Apps → Manage your apps → Upload an app.\n`);
        return 0;
      }
      if (platform !== 'slack') throw new UsageError('name the platform: sparring manifest slack, or sparring manifest teams');
      const { slackManifest } = await import('../adapters/slack/manifest');
      if (url === undefined && !values.socket) io.err.write('sparring: no --url given; the manifest uses https://sparring.example.org — replace it, or use --socket for Socket Mode\n');
      io.out.write(slackManifest({ url, socketMode: !!values.socket }));
      return 0;
    },
  },
  backup: {
    usage: 'sparring backup FILE [--keep N]',
    summary:
      'Write a consistent copy of the database to FILE, while the bot may be running. With --keep N the copy is dated (FILE backups/sparring.db writes backups/sparring-2026-10-06T031500Z.db) and only the newest N dated copies are kept.',
    options: { keep: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, config, io) {
      const file = positionals[0];
      if (!file) throw new UsageError('name the file to write, e.g. sparring backup backup.db');
      const keepText = values.keep as string | undefined;
      if (keepText !== undefined && !/^[1-9]\d*$/.test(keepText)) throw new UsageError('--keep must be a whole number of backups to keep, 1 or more, e.g. --keep 14');
      const keep = keepText === undefined ? undefined : Number(keepText);
      const { backupDatabase, checkBackupTarget } = await import('./backup');
      checkBackupTarget(config.databasePath, file);
      const { openDatabase } = await import('../src/store/database');
      const db = openDatabase(config.databasePath);
      try {
        const { file: written, removed } = await backupDatabase(db, file, { keep, now: Date.now() });
        io.out.write(`Backed up ${config.databasePath} to ${written}.${removed.length ? ` Removed ${removed.length} older: ${removed.join(', ')}.` : ''}\n`);
      } finally {
        db.close();
      }
      return 0;
    },
  },
  'export-person': {
    usage: 'sparring export-person PLATFORM:ID',
    summary: "Print everything stored about one person as JSON (their own data: what they may ask for).",
    positionals: 1,
    async run({ positionals }, config, io) {
      const ref = positionals[0] ?? '';
      const match = /^(slack|teams|local):(.+)$/.exec(ref);
      if (!match) throw new UsageError('name the person as PLATFORM:ID, e.g. slack:U0123 or local:1');
      const [{ findPersonByIdentity, getPerson }, { exportPerson }] = await Promise.all([import('../src/people'), import('../src/privacy/export')]);
      const data = await withCore(config, (core) => {
        const id = findPersonByIdentity(core, match[1]!, match[2]!);
        const person = id === null ? null : getPerson(core, id);
        if (!person) throw new SparringError('not_found', `nobody is known as ${ref}`);
        return exportPerson(core, person);
      });
      io.out.write(JSON.stringify(data, null, 2) + '\n');
      return 0;
    },
  },
  'erase-person': {
    usage: 'sparring erase-person PLATFORM:ID --yes',
    summary: 'Erase a person: what they wrote and how to reach them is deleted; only anonymous counts remain. Cannot be undone.',
    options: { yes: { type: 'boolean' } },
    positionals: 1,
    async run({ values, positionals }, config, io) {
      const ref = positionals[0] ?? '';
      const match = /^(slack|teams|local):(.+)$/.exec(ref);
      if (!match) throw new UsageError('name the person as PLATFORM:ID, e.g. slack:U0123 or local:1');
      if (!values.yes) throw new UsageError(`erasing cannot be undone; run it again with --yes to erase ${ref}`);
      const [{ findPersonByIdentity }, { erasePerson }] = await Promise.all([import('../src/people'), import('../src/privacy/erase')]);
      const erased = await withCore(config, (core) => {
        const id = findPersonByIdentity(core, match[1]!, match[2]!);
        if (id === null) throw new SparringError('not_found', `nobody is known as ${ref}`);
        return erasePerson(core, id);
      });
      io.out.write(`Erased ${ref} (${erased.rows} rows changed or deleted). Only anonymous counts remain.\n`);
      return 0;
    },
  },
};

/**
 * The bot on its platforms, until SIGINT or SIGTERM: then it stops claiming, lets deliveries and
 * requests under way finish within `deadlineMs`, closes the database and returns 0. A second
 * signal while stopping ends the process at once.
 */
async function runServer(config: Config, log: Logger, owner: string, deadlineMs: number): Promise<number> {
  const { startServer } = await import('./server');
  const server = await startServer(config, log, { owner });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info('stopping', { signal, deadlineMs });
  const now = (again: NodeJS.Signals) => {
    log.warn('stopping at once', { signal: again });
    process.exit(1);
  };
  process.once('SIGINT', now).once('SIGTERM', now);
  await server.stop(deadlineMs);
  log.info('stopped');
  return 0;
}

function programmeNamed(core: Core, name: string, find: (core: Core, name: string) => Programme | null): Programme {
  const programme = find(core, name);
  if (!programme) {
    const names = (core.db.prepare('SELECT name FROM programmes ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    throw new SparringError('not_found', `there is no programme called "${name}"${names.length ? `; there are: ${names.join(', ')}` : '; create one with sparring programme create'}`);
  }
  return programme;
}

function cliContext(core: Core, config: Config, timezone: string) {
  return { core, person: { id: 0, name: 'CLI', email: null, locale: config.defaultLocale, timezone, pausedUntil: null } };
}

function help(): string {
  const lines = ['Usage: sparring <command> [options]   (each command has --help)', ''];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push('', 'Environment: DATABASE_PATH (default ./data/sparring.db), DEFAULT_LOCALE, DEFAULT_TIMEZONE, LOG_LEVEL, …: every variable is in .env.example and the README.');
  return lines.join('\n') + '\n';
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err.write(`sparring: unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}. Try sparring --help.\n`);
    return 2;
  }
  try {
    const parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      io.out.write(`Usage: ${command.usage}\n${command.summary}\n`);
      return 0;
    }
    if (parsed.positionals.length > (command.positionals ?? 0)) throw new UsageError(`too many arguments; usage: ${command.usage}`);
    const { loadConfig } = await import('../src/config');
    const config = loadConfig(io.env);
    return await command.run(parsed as never, config, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err.write(
      error instanceof SparringError && error.code === 'config_invalid'
        ? message.split('\n').map((l) => `sparring: ${l}\n`).join('')
        : `sparring: ${message}${error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? `\nUsage: ${command.usage}` : ''}\n`,
    );
    return error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
