/**
 * What Sparring holds about one person, for `mydata` (text, in their language) and `export-person`
 * (JSON): the same groups, their own data only. See person-data.ts for the shape.
 */
import type { Core } from '../core';
import type { Person } from '../people';
import { gatherPerson } from './gather';
import { renderMydata } from './mydata-text';
import type { PersonExport } from './person-data';

export type { PersonExport } from './person-data';

export function exportPerson(core: Core, person: Person): PersonExport {
  return gatherPerson(core, person);
}

export function exportPersonText(core: Core, person: Person): string {
  return renderMydata(core, person, gatherPerson(core, person));
}
