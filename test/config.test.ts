import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

describe('configuration from the environment', () => {
  it('has the defaults of the design card', () => {
    expect(loadConfig({})).toMatchObject({
      databasePath: './data/sparring.db',
      port: 3000,
      adapters: ['local'],
      defaultLocale: 'da',
      defaultTimezone: 'Europe/Copenhagen',
      coordinators: [],
      logLevel: 'warn',
    });
  });

  it('infers the adapters from the credentials present', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).adapters).toEqual(['slack']);
    expect(loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', MicrosoftAppType: 'MultiTenant' }).adapters).toEqual(['teams']);
    expect(loadConfig({ ADAPTERS: 'teams, local', TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).adapters).toEqual(['teams', 'local']);
  });

  it('reads coordinators as platform ids', () => {
    expect(loadConfig({ COORDINATORS: 'slack:U0123, teams:29:1abc' }).coordinators).toEqual(['slack:U0123', 'teams:29:1abc']);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a whole number from 1 to 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be a whole number/],
    [{ ADAPTERS: 'slack,irc' }, /^ADAPTERS each must be one of slack, teams, local/],
    [{ DEFAULT_LOCALE: 'de' }, /^DEFAULT_LOCALE must be one of da, en \(got "de"\)$/],
    [{ DEFAULT_TIMEZONE: 'Mars/Olympus' }, /^DEFAULT_TIMEZONE must be an IANA time zone/],
    [{ COORDINATORS: 'U0123' }, /^COORDINATORS each must look like slack:U0123/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL /],
    [{ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN must start with xoxb- \(the Bot User OAuth Token\)$/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET is missing: copy it from Basic Information/],
    [{ SLACK_API_URL: 'not a url' }, /^SLACK_API_URL must be a URL/],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppType: 'MultiTenant' }, /^MicrosoftAppPassword is missing/],
    [{ MicrosoftAppId: 'my-bot', MicrosoftAppPassword: 'p', MicrosoftAppType: 'MultiTenant' }, /^MicrosoftAppId must be a GUID such as .*Azure Bot/],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p' }, /^MicrosoftAppTenantId is missing: without MicrosoftAppType the bot is SingleTenant/],
    [{ ADAPTERS: 'teams' }, /^MicrosoftAppId is missing, but ADAPTERS includes teams: .*TEAMS_ALLOW_UNAUTHENTICATED=true/],
    [{ ADAPTERS: 'teams', TEAMS_ALLOW_UNAUTHENTICATED: 'yes' }, /^TEAMS_ALLOW_UNAUTHENTICATED must be true or false \(got "yes"\)$/],
    [{ ADAPTERS: 'teams', TEAMS_ALLOW_UNAUTHENTICATED: 'true', NODE_ENV: 'production' }, /^TEAMS_ALLOW_UNAUTHENTICATED cannot be true when NODE_ENV is production/],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', MicrosoftAppType: 'MultiTenant', TEAMS_ALLOW_UNAUTHENTICATED: 'true' }, /^TEAMS_ALLOW_UNAUTHENTICATED is true, but MicrosoftAppId is set/],
  ])('names the variable and the problem in one line: %j', (env, message) => {
    try {
      loadConfig(env);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const lines = (error as Error).message.split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  });

  it('runs Teams without authentication only when asked to, and says so in the configuration', () => {
    expect(loadConfig({ ADAPTERS: 'teams', TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).teams).toEqual({ allowUnauthenticated: true });
    expect(loadConfig({ ADAPTERS: 'teams', TEAMS_ALLOW_UNAUTHENTICATED: 'true', NODE_ENV: 'development' }).teams?.allowUnauthenticated).toBe(true);
  });

  it('takes a Teams app without a type as SingleTenant, which Azure creates', () => {
    const teams = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', MicrosoftAppTenantId: 'c0ffee00-0000-4000-8000-000000000000' }).teams;
    expect(teams).toMatchObject({ appId: APP_ID, appType: 'SingleTenant', allowUnauthenticated: false });
  });

  it('never repeats a secret in its message', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'secret-value', SLACK_SIGNING_SECRET: 's' })).toThrow(/^((?!secret-value).)*$/s);
  });

  it('reads the public address, the organizer mailbox and the shutdown deadline', () => {
    const config = loadConfig({ ...slack, PUBLIC_URL: 'https://sparring.example.org/mentoring/', CALENDAR_ORGANIZER: 'mentoring@university.example', SHUTDOWN_TIMEOUT_MS: '8000' });
    expect(config).toMatchObject({ publicUrl: 'https://sparring.example.org/mentoring', calendarOrganizer: 'mentoring@university.example', shutdownTimeoutMs: 8000 });
  });

  it('gives the local chat its own address, a deployment none unless set, and stops within 10 s by default', () => {
    expect(loadConfig({ PORT: '4000' })).toMatchObject({ publicUrl: 'http://localhost:4000', shutdownTimeoutMs: 10_000, production: false });
    expect(loadConfig({ ...slack, NODE_ENV: 'production' })).toMatchObject({ publicUrl: undefined, calendarOrganizer: undefined, production: true });
  });

  it.each([
    [{ PUBLIC_URL: 'sparring.example.org' }, /^PUBLIC_URL must be the http\(s\) address at which PORT is reached/],
    [{ PUBLIC_URL: 'ftp://sparring.example.org' }, /^PUBLIC_URL must be the http\(s\) address/],
    [{ PUBLIC_URL: 'https://sparring.example.org/?a=1' }, /^PUBLIC_URL must be a base address without \? or #/],
    [{ CALENDAR_ORGANIZER: 'mentoring' }, /^CALENDAR_ORGANIZER must be an e-mail address, such as mentoring@university.example \(got "mentoring"\)$/],
    [{ SHUTDOWN_TIMEOUT_MS: '8s' }, /^SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds, e.g. 10000 \(got "8s"\)$/],
  ])('says what is wrong with a new variable in one line: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every bad variable, one per line', () => {
    expect(() => loadConfig({ PORT: '0', DEFAULT_LOCALE: 'fr' })).toThrow(/PORT.*\nDEFAULT_LOCALE/);
  });
});
