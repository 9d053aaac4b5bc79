/**
 * The desk's spreadsheet: the same pairs and the same report as the CSV exports (export.ts and
 * report.ts make the rows; this only lays them out), as one .xlsx file with a sheet each. Numbers
 * are numbers and days are dates; text stays text (an .xlsx cell of text is never a formula, and the
 * CSV rows it comes from are already neutralised).
 */
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { pairsCsv } from '../coordinator/export';
import { reportCsv, seasonReport } from '../coordinator/report';
import type { Core } from '../core';
import type { Locale } from '../text/locale';

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function cellValue(text: string): string | number | Date | null {
  if (text === '') return null;
  if (NUMBER.test(text)) return Number(text);
  if (DAY.test(text)) return new Date(`${text}T00:00:00Z`);
  return text;
}

function addSheet(workbook: ExcelJS.Workbook, name: string, csv: string): void {
  const rows = parse(csv, { bom: true }) as string[][];
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const [header = [], ...body] = rows;
  sheet.addRow(header);
  sheet.getRow(1).font = { bold: true };
  for (const row of body) sheet.addRow(row.map(cellValue));
  sheet.columns.forEach((column, i) => {
    const longest = Math.max(...rows.map((r) => (r[i] ?? '').length), 4);
    column.width = Math.min(40, longest + 2);
    if (body.some((r) => DAY.test(r[i] ?? ''))) column.numFmt = 'yyyy-mm-dd';
  });
  if (header.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
}

/** The pairs and the evaluation of a programme as an .xlsx file. */
export async function deskWorkbook(core: Core, programmeId: number, locale: Locale): Promise<Buffer> {
  // exceljs takes most of a second to load: only the desk's download pays for it, not every start.
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  workbook.creator = 'Sparring';
  workbook.created = new Date(core.clock.now());
  addSheet(workbook, core.text.t(locale, 'desk.export.sheetPairs'), pairsCsv(core, programmeId));
  addSheet(workbook, core.text.t(locale, 'desk.export.sheetReport'), reportCsv(seasonReport(core, programmeId), locale, core.text));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
