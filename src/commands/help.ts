/** `help`: the commands for the reader's roles, by the reader's own words, in their language. */
import type { Core } from '../core';
import type { Person } from '../people';
import { rolesOf } from '../people';
import type { Command } from './command';
import { commandWord } from './words';
import { mentorHelpLines } from '../flows/mentor-worry';

/** Commands whose help line is folded into another's (Danish "par @navn" is in "par"). */
const folded = new Set(['pair']);

export function helpText(core: Core, person: Person, commands: readonly Command[]): string {
  const t = (key: string) => core.text.t(person.locale, key);
  const roles = new Set<string>(rolesOf(core, person.id).map((r) => r.role));
  const line = (c: Command) => {
    const help = t(`commands.${c.name}.help`);
    return help.startsWith('*') ? `• ${help}` : `• *${commandWord(core, person.locale, c.name)}* — ${help}`;
  };
  const mine = commands.filter((c) => !folded.has(c.name) && !c.for.includes('coordinator') && (c.for.includes('anyone') || c.for.some((r) => roles.has(r))));
  const lines = [t('commands.intro'), ...mine.map(line)];
  // A mentor who meets a worry: where to point the mentee, and `contact` (src/flows/mentor-worry.ts).
  if (roles.has('mentor')) lines.push('', ...mentorHelpLines(core, person));
  if (roles.has('coordinator')) lines.push('', t('commands.coordinatorHeader'), ...commands.filter((c) => !folded.has(c.name) && c.for.includes('coordinator')).map(line));
  lines.push('', t('commands.outro'));
  return lines.join('\n');
}
