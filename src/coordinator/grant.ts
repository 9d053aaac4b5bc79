/**
 * COORDINATORS (e.g. "slack:U0123,teams:29:1abc") are granted the coordinator role of every
 * programme at start. Someone not known yet is created with that identity, to be named later.
 */
import type { Core } from '../core';
import { addIdentity, addParticipant, createPerson, findPersonByIdentity } from '../people';
import { inTransaction } from '../store/database';

export function grantCoordinators(core: Core, ids: string[]): void {
  if (ids.length === 0) return;
  inTransaction(core.db, () => {
    const programmes = core.db.prepare('SELECT id FROM programmes').all() as { id: number }[];
    for (const ref of ids) {
      const colon = ref.indexOf(':');
      const [platform, platformId] = [ref.slice(0, colon), ref.slice(colon + 1)];
      let personId = findPersonByIdentity(core, platform, platformId);
      if (personId === null) {
        personId = createPerson(core, { name: ref });
        // A Slack member id is an address already; a Teams user is reachable once the app is installed.
        addIdentity(core, personId, platform, platformId, platform === 'local' ? `local:${personId}` : platform === 'slack' ? `slack:${platformId}` : null);
      }
      for (const p of programmes) addParticipant(core, p.id, personId, 'coordinator');
    }
  });
}
