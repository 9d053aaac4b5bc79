/**
 * The desk without any workspace: the local chat serves it on localhost, and `skrivebord`, typed as
 * the demo's coordinator, prints a link that signs her in.
 */
import { createFakeClock } from '../helpers/fake-clock';
import { until } from '../helpers/net';
import { startLocalChat } from '../helpers/run-local';
import { tempDatabasePath } from '../helpers/sparring';

describe('the local chat', () => {
  it('serves the desk on localhost and prints a sign-in link for the coordinator', async () => {
    const { input, printed, running } = startLocalChat(tempDatabasePath(), createFakeClock('2026-09-14T08:00:00Z'), { desk: { port: 0 } });
    try {
      await until(() => /Koordinatorens skrivebord: http:\/\/localhost:\d+\/desk — vær koordinator \(as Helle\)/.test(printed()), 'the desk to be served');
      input.write('as helle\nskrivebord\n');
      await until(() => /sign-in\?token=[0-9a-f]{64}/.test(printed()), 'the sign-in link');

      expect(printed()).toContain('Jeg har sendt dig et link til skrivebordet i en direkte besked');
      const link = /(http:\/\/localhost:\d+\/desk\/sign-in\?token=[0-9a-f]{64})/.exec(printed())![1]!.replace('localhost', '127.0.0.1');
      const signedIn = await fetch(link, { redirect: 'manual' });
      expect(signedIn.status).toBe(200);
      const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
      const overview = await fetch(new URL('/desk', link), { headers: { cookie } });
      expect(overview.status).toBe(200);
      const page = await overview.text();
      expect(page).toContain('Demo 2026');
      expect(page).toContain('2 aktive · 0 afsluttede');
    } finally {
      input.end();
      await running;
    }
  });
});
