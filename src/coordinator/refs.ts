/** A person named in a command: "@astrid", "@Astrid Holm", a Slack mention "<@U0123|astrid>", or "slack:U0123". */
import type { Core } from '../core';

export type Resolved = { ok: true; personId: number; name: string } | { ok: false; problem: 'unknown' | 'ambiguous'; candidates: string[] };

export function resolvePerson(core: Core, programmeId: number, ref: string): Resolved {
  const members = core.db
    .prepare('SELECT DISTINCT p.id, p.name FROM participants pa JOIN people p ON p.id = pa.person_id WHERE pa.programme_id = ?')
    .all(programmeId) as { id: number; name: string }[];
  const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(ref);
  const platformRef = /^(slack|teams|local):(.+)$/.exec(ref);
  if (mention || platformRef) {
    const [platform, id] = mention ? ['slack', mention[1]!] : [platformRef![1]!, platformRef![2]!];
    const row = core.db.prepare('SELECT person_id FROM identities WHERE platform = ? AND platform_id = ?').get(platform, id) as { person_id: number } | undefined;
    const member = members.find((m) => m.id === row?.person_id);
    return member ? { ok: true, personId: member.id, name: member.name } : { ok: false, problem: 'unknown', candidates: [] };
  }
  const wanted = ref.replace(/^@/, '').trim().toLowerCase().replace(/[._]/g, ' ');
  const exact = members.filter((m) => m.name.toLowerCase() === wanted);
  const found = exact.length > 0 ? exact : members.filter((m) => m.name.toLowerCase().startsWith(wanted) || m.name.toLowerCase().split(' ').some((w) => w === wanted));
  if (found.length === 1) return { ok: true, personId: found[0]!.id, name: found[0]!.name };
  return { ok: false, problem: found.length === 0 ? 'unknown' : 'ambiguous', candidates: found.map((f) => f.name) };
}

/** Splits "@Astrid Holm @jonas" into references: a name runs until the next @ or mention. */
export function splitRefs(args: string[]): string[] {
  const refs: string[] = [];
  for (const a of args) {
    if (a.startsWith('@') || a.startsWith('<@') || /^(slack|teams|local):/.test(a)) refs.push(a);
    else if (refs.length > 0 && refs[refs.length - 1]!.startsWith('@')) refs[refs.length - 1] += ` ${a}`;
  }
  return refs;
}
