/**
 * The privacy notice and terms of use the Teams package links to, served by the bot: in Danish or
 * English, naming each programme's data controller and contact from its settings, every text
 * escaped, and nothing loaded from anywhere else.
 */
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { LEGAL_PATHS, legalRoutes } from '../../adapters/legal';
import { silentLogger } from '../../src/log';
import { createProgramme } from '../../src/programme/programmes';
import { createTestSparring, type TestSparring } from '../helpers/sparring';

describe('GET /privacy and GET /terms', () => {
  let s: TestSparring;
  let http: HttpServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${http.port}${path}`, { headers });

  beforeEach(async () => {
    s = createTestSparring();
    createProgramme(s.core, {
      name: 'Mentor <Efterår> 2026',
      startsOn: '2026-09-01',
      endsOn: '2026-12-18',
      settings: { retentionMonths: 18, privacy: { controller: 'Aarhus Universitet, Nordre Ringgade 1 <script>alert(1)</script>', contact: 'dpo@au.example' }, contacts: { coordinator: 'mentor@au.example' } },
    });
    http = await startHttpServer(0, legalRoutes(s.core), silentLogger, '127.0.0.1');
  });
  afterEach(async () => {
    await http.close();
    s.close();
  });

  it('are exported as the two paths the Teams package links to', () => {
    expect(legalRoutes(s.core).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /privacy', 'GET /terms']);
    expect(LEGAL_PATHS).toEqual({ privacy: '/privacy', terms: '/terms' });
  });

  it('name the programme’s data controller and contact, in Danish by default, escaped', async () => {
    const response = await get('/privacy');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-language')).toBe('da');
    const html = await response.text();
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('Privatlivspolitik for Sparring');
    expect(html).toContain('Mentor &lt;Efterår&gt; 2026: Aarhus Universitet, Nordre Ringgade 1 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('dpo@au.example');
    expect(html).toContain('18 måneder');
    expect(html).not.toContain('<script');
  });

  it('speak English when the browser asks for it, or ?lang=en', async () => {
    const byHeader = await (await get('/privacy', { 'accept-language': 'en-GB,en;q=0.9,da;q=0.5' })).text();
    expect(byHeader).toContain('Sparring privacy notice');
    expect(byHeader).toContain('Questions about your data in Mentor &lt;Efterår&gt; 2026: dpo@au.example');
    const terms = await (await get('/terms?lang=en', { 'accept-language': 'da' })).text();
    expect(terms).toContain('Sparring terms of use');
    expect(terms).toContain('Mentor &lt;Efterår&gt; 2026: mentor@au.example');
    expect(terms).toContain('<a href="/terms?lang=da"');
  });

  it('load nothing from anywhere else: no scripts, images or style sheets, and a policy that allows none', async () => {
    for (const path of ['/privacy', '/terms']) {
      const response = await get(path);
      const html = await response.text();
      expect(html).not.toMatch(/<(script|img|link|iframe)\b|\bsrc=|https?:\/\//i);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('say who to ask when no programme names a data controller', async () => {
    s.core.db.prepare("UPDATE programmes SET settings = json_remove(settings, '$.privacy.controller', '$.privacy.contact')").run();
    const html = await (await get('/privacy?lang=en')).text();
    expect(html).toContain('The institution that runs your mentoring programme is the data controller.');
  });
});
