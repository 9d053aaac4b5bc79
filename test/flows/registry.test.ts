/**
 * The flows are declared once and registered in one place: no kind of nudge or dialogue is named
 * twice, every dialogue has its title in both languages, every table a flow writes is covered by the
 * export, a meeting event reaches the flows through the registry, and meetings.ts no longer sits in
 * an import circle with the flows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { bookMeeting, cancelMeeting } from '../../src/meetings';
import { flowDefinitions, seasonCommands, seasonFlows, seasonTasks } from '../../src/flows/registry';
import { exportCoverage } from '../../src/privacy/coverage';
import { allTasks } from '../../src/tasks';
import { loadTexts } from '../../src/text/catalog';
import { createTestSparring, seedPair } from '../helpers/sparring';

const duplicates = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);

describe('the flow registry', () => {
  it('names every kind of nudge once, and the scheduler knows every one of them', () => {
    const kinds = seasonTasks.map((t) => t.kind);
    expect(duplicates(kinds)).toEqual([]);
    for (const kind of kinds) expect(allTasks.get(kind)).toBe(seasonTasks.find((t) => t.kind === kind));
  });

  it('names every flow and every dialogue once, and each dialogue has its title in both languages', () => {
    expect(duplicates(flowDefinitions.map((d) => d.name))).toEqual([]);
    const names = seasonFlows.map((f) => f.name);
    expect(duplicates(names)).toEqual([]);
    const texts = loadTexts();
    for (const locale of ['da', 'en'] as const) {
      expect(names.filter((n) => !texts[locale].has(`talk.title.${n}`)).map((n) => `${locale}: talk.title.${n}`)).toEqual([]);
    }
  });

  it('lists the season’s commands once, in the order the mentee meets them', () => {
    const names = seasonCommands.map((c) => c.name);
    expect(duplicates(names)).toEqual([]);
    expect(names).toEqual(['prep', 'book', 'summary', 'actions', 'agreement', 'topics']);
  });

  it('knows only real tables as what a flow stores, each covered by the export', () => {
    const s = createTestSparring();
    const tables = new Set((s.core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const stores = flowDefinitions.flatMap((d) => (d.stores ?? []).map((table) => ({ flow: d.name, table })));
    expect(stores.length).toBeGreaterThan(0);
    expect(stores.filter(({ table }) => !tables.has(table) || !(table in exportCoverage))).toEqual([]);
    s.close();
  });

  it('lets the flows plan and unplan a meeting through the announced events', () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    const kinds = () => (s.core.db.prepare("SELECT kind FROM nudges WHERE status = 'pending' ORDER BY id").all() as { kind: string }[]).map((r) => r.kind);
    const before = kinds();

    const meeting = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-14T14:00:00Z'), durationMin: 60, bookedBy: pair.menteeId });
    const planned = kinds().slice(before.length);
    // In the registry's order: the invitations first, then the alignment questions, then the prep prompt.
    expect(planned.filter((k) => k !== 'quiet.check')).toEqual([
      'meeting.invite',
      'meeting.reminder',
      'meeting.invite',
      'meeting.reminder',
      'planning.ask',
      'align.ask',
      'align.ask',
      'prep.prompt',
      'prepMentor.ask',
      'after.ask',
      'reflect.ask',
    ]);

    // Cancelled before its invitations went out: nobody hears of it, and nothing tied to it is left.
    cancelMeeting(s.core, meeting.id, pair.mentorId);
    expect(kinds()).not.toContain('meeting.cancelled');
    expect(kinds()).not.toContain('meeting.invite');
    expect(kinds()).not.toContain('prep.prompt');
    s.close();
  });
});

describe('the import graph of src/', () => {
  const src = resolve(__dirname, '../../src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const all = files(src);
  const known = new Set(all);
  const importLine = /^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.[^'"]+)['"]/gm;

  /** The modules a file loads when it runs: `import type` (and imports of types only) are erased, so they do not count. */
  function runtimeImports(file: string): string[] {
    const out: string[] = [];
    for (const [, typeOnly, names, spec] of readFileSync(file, 'utf8').matchAll(importLine)) {
      const specifiers = /^\{([^}]*)\}$/.test(names!.trim()) ? names!.replace(/[{}]/g, '').split(',').map((n) => n.trim()).filter(Boolean) : null;
      if (typeOnly || (specifiers && specifiers.length > 0 && specifiers.every((n) => n.startsWith('type ')))) continue;
      const base = resolve(dirname(file), spec!);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((f) => known.has(f));
      if (target) out.push(target);
    }
    return out;
  }

  /** The groups of modules that import each other in a circle (Tarjan's strongly connected components). */
  function cycles(): string[][] {
    const graph = new Map(all.map((f) => [f, runtimeImports(f)]));
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    const visit = (v: string) => {
      index.set(v, index.size);
      low.set(v, index.get(v)!);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v)!) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          group.push(relative(src, w));
        } while (w !== v);
        if (group.length > 1) found.push(group.sort());
      }
    };
    for (const f of all) if (!index.has(f)) visit(f);
    return found;
  }

  it('reads the imports it checks', () => {
    expect(runtimeImports(join(src, 'flows/registry.ts')).map((f) => relative(src, f))).toEqual(expect.arrayContaining(['flows/prep/index.ts', 'flows/booking/index.ts']));
    expect(runtimeImports(join(src, 'flows/definition.ts'))).toEqual([]);
  });

  it('has no circle through meetings.ts or the flows', () => {
    const through = cycles().filter((group) => group.some((f) => f === 'meetings.ts' || f.startsWith('flows/')));
    expect(through).toEqual([]);
  });

  it('has meetings.ts import no flow', () => {
    expect(runtimeImports(join(src, 'meetings.ts')).filter((f) => relative(src, f).startsWith('flows/'))).toEqual([]);
  });
});
