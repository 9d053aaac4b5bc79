/**
 * Issue 12, items 5 and 10: every CSV Sparring writes is safe to open in Excel (formula cells
 * neutralised, UTF-8 with a byte-order mark, CRLF), and the evaluation report shows no distribution
 * for a group smaller than the programme's minGroupSize, in chat, Markdown, CSV and the chart.
 */
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { PassThrough } from 'node:stream';
import { runCli } from '../../bin/cli';
import { reportCsv, reportMarkdown, seasonReport } from '../../src/coordinator/report';
import { joinProgramme, matchPair } from '../../src/flows/season';
import { attachmentBytes, type Attachment, type Message } from '../../src/message';
import { addIdentity, createPerson } from '../../src/people';
import { createProgramme, type Programme } from '../../src/programme/programmes';
import { createTestSparring, runUntil, type TestSparring } from '../helpers/sparring';

const hostile = ['=HYPERLINK("http://x")', '+SUM(1)', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1)', '\tTAB', '\rCR'];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function person(s: TestSparring, name: string): number {
  const id = createPerson(s.core, { name });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  return id;
}

function chat(s: TestSparring, personId: number, text: string): Message[] {
  return s.bot.handle(personId, { type: 'text', text }).replies;
}

/** Every cell that a spreadsheet would read as a formula. */
const formulaCells = (csv: string) => (parse(csv, { bom: true, relax_column_count: true }) as string[][]).flat().filter((c) => /^[=+\-@\t\r]/.test(c));

function expectExcelReady(bytes: Buffer): string {
  expect(bytes.subarray(0, 3)).toEqual(BOM);
  const text = bytes.toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  // Outside quoted cells (where a name's own line break may stand), every line ends in CRLF.
  expect(text.replace(/"(?:[^"]|"")*"/g, '').replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  return text;
}

async function cli(args: string[], databasePath: string): Promise<{ status: number; out: Buffer }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer | string) => chunks.push(Buffer.from(c)));
  const status = await runCli(args, { out, err: new PassThrough(), env: { DATABASE_PATH: databasePath }, stdin: new PassThrough() });
  return { status, out: Buffer.concat(chunks) };
}

describe('CSV out is safe and opens in Excel', () => {
  let s: TestSparring;
  beforeEach(() => {
    s = createTestSparring({ start: '2026-09-14T08:00:00Z' });
  });
  afterEach(() => s.close());

  it('the chat export neutralises names that would be formulas, and is UTF-8 with BOM and CRLF', () => {
    const programme = createProgramme(s.core, { name: 'Forår', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const coordinator = person(s, 'Helle Munk');
    joinProgramme(s.core, programme.id, coordinator, 'coordinator');
    const mentor = person(s, 'Søren Ærø Åberg');
    joinProgramme(s.core, programme.id, mentor, 'mentor', { capacity: hostile.length });
    for (const name of hostile) {
      const mentee = person(s, name);
      joinProgramme(s.core, programme.id, mentee, 'mentee');
      matchPair(s.core, programme.id, mentee, mentor);
    }

    const [reply] = chat(s, coordinator, 'export');

    expect(reply!.text).toBe(`Eksporten af Forår er vedhæftet som CSV (${hostile.length} par).`);
    const file = reply!.attachments!.find((a: Attachment) => a.filename.endsWith('.csv'))!;
    const text = expectExcelReady(attachmentBytes(file));
    expect(formulaCells(text)).toEqual([]);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.mentee).sort()).toEqual(hostile.map((n) => `'${n}`).sort());
    expect(rows.every((r) => r.mentor === 'Søren Ærø Åberg')).toBe(true);
  });

  it('the CLI report as CSV is UTF-8 with BOM and CRLF, and has no formula cell', async () => {
    const programme = createProgramme(s.core, { name: 'Forår', startsOn: '2026-09-01', endsOn: '2026-12-18' });

    const run = await cli(['report', '--programme', programme.name, '--format', 'csv'], s.databasePath);

    expect(run.status).toBe(0);
    const text = expectExcelReady(run.out);
    expect(text.split('\r\n')[0]).toBe('\uFEFFgroup,item,n,count_1,count_2,count_3,count_4,count_5,share,average,note');
    expect(formulaCells(text)).toEqual([]);
  });
});

describe('reports protect small groups', () => {
  let s: TestSparring;
  let programme: Programme;
  let coordinator: number;
  beforeEach(() => {
    s = createTestSparring({ start: '2026-12-08T08:00:00Z' });
    programme = createProgramme(s.core, { name: 'Forår', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    coordinator = person(s, 'Helle Munk');
    joinProgramme(s.core, programme.id, coordinator, 'coordinator');
  });
  afterEach(() => s.close());

  /** `count` pairs whose mentees and mentors all answer the evaluation survey when it comes. */
  async function season(count: number): Promise<void> {
    const people: number[] = [];
    for (let i = 1; i <= count; i += 1) {
      const mentee = person(s, `Mentee ${i}`);
      const mentor = person(s, `Mentor ${i}`);
      joinProgramme(s.core, programme.id, mentee, 'mentee');
      joinProgramme(s.core, programme.id, mentor, 'mentor');
      matchPair(s.core, programme.id, mentee, mentor);
      people.push(mentee, mentor);
    }
    await runUntil(s, '2026-12-11T12:00:00Z');
    for (const id of people) {
      let message: Message | undefined = s.messenger.ofKind('survey.ask', `test:${id}`)[0]?.message;
      expect(message?.question).toBeDefined();
      while (message?.question) {
        const step = message.question.id;
        const value = /match/.test(step) ? '4' : /engagement/.test(step) ? '5' : /shadowing/.test(step) ? 'yes' : /learned/.test(step) ? '-' : '5';
        message = s.bot.handle(id, { type: 'answer', questionId: step, value }).replies.find((m) => m.question);
      }
    }
  }

  /** Pixels in the chart's bar area painted in the "strongly agree" colour. */
  function agreeBarPixels(png: Buffer): number {
    const image = PNG.sync.read(png);
    let n = 0;
    for (let y = 120; y < image.height - 90; y += 1) {
      for (let x = 420; x < 980; x += 1) {
        const i = (y * image.width + x) * 4;
        if (image.data[i] === 0x1b && image.data[i + 1] === 0x78 && image.data[i + 2] === 0x37) n += 1;
      }
    }
    return n;
  }

  it('with 2 answers: no distribution anywhere, only "too few answers to show"', async () => {
    await season(2);

    const report = seasonReport(s.core, programme.id);
    const [reply] = chat(s, coordinator, 'report');
    const chatText = reply!.text;
    const png = attachmentBytes(reply!.attachments![0]!);
    const markdown = reportMarkdown(s.core, report, 'da', programme.name);
    const english = reportMarkdown(s.core, report, 'en', programme.name);
    const csv = reportCsv(report, 'da', s.core.text);

    expect(report.outcomes.every((r) => !r.shown)).toBe(true);
    expect(chatText).toContain('• Klarere karriereønsker og -retning: for få svar til at vise');
    expect(chatText).toContain('Godt match (4 eller 5): for få svar til at vise');
    expect(chatText).toContain('Grupper med færre end 5 svar bliver ikke vist');
    expect(chatText).toContain('job shadowing i 2 par\n');
    expect(markdown).toContain('for få svar til at vise');
    expect(english).toContain('too few answers to show');
    for (const shown of [chatText, markdown, english]) {
      expect(shown).not.toMatch(/\(n = \d+\)|\b100 %|\b0 %.*enige|agree \(n/);
      expect(shown).not.toMatch(/\| 2 \| 0 \| 0 \| 0 \| 0 \| 2 \|/);
    }
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const outcome = rows.filter((r) => r.group === 'outcome');
    expect(outcome).toHaveLength(8);
    for (const r of [...outcome, ...rows.filter((r) => r.item === 'match' || r.item === 'engagement')]) {
      expect(r).toMatchObject({ n: '', count_1: '', share: '', average: '', note: 'for få svar til at vise' });
    }
    expect(agreeBarPixels(png)).toBe(0);
  }, 60_000);

  it('with 6 answers: the distribution is shown', async () => {
    await season(6);

    const report = seasonReport(s.core, programme.id);
    const [reply] = chat(s, coordinator, 'report');
    const chatText = reply!.text;
    const png = attachmentBytes(reply!.attachments![0]!);
    const markdown = reportMarkdown(s.core, report, 'da', programme.name);
    const csv = reportCsv(report, 'da', s.core.text);

    expect(report.outcomes.every((r) => r.shown && r.n === 6)).toBe(true);
    expect(chatText).toContain('• Klarere karriereønsker og -retning: 100 % enige (n = 6)');
    expect(chatText).not.toContain('for få svar');
    expect(markdown).toContain('| 6 | 0 | 0 | 0 | 0 | 6 | 100 % |');
    expect(markdown).not.toContain('for få svar');
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.item === 'careerDirection')).toMatchObject({ n: '6', count_5: '6', share: '1.000', note: '' });
    expect(agreeBarPixels(png)).toBeGreaterThan(1000);
  }, 60_000);

  it('a programme may set its own minimum group size', async () => {
    s.core.db.prepare('UPDATE programmes SET settings = ? WHERE id = ?').run(JSON.stringify({ ...programme.settings, minGroupSize: 8 }), programme.id);
    await season(6);

    const report = seasonReport(s.core, programme.id);

    expect(report.minGroupSize).toBe(8);
    expect(report.outcomes.every((r) => !r.shown)).toBe(true);
    expect(chat(s, coordinator, 'report')[0]!.text).toContain('Grupper med færre end 8 svar bliver ikke vist');
  }, 60_000);
});
