/**
 * Importing the participants CSV from the browser, by the same rules as chat and the CLI (import.ts):
 * every row checked, every problem shown by line and column, and the file applied all or nothing in
 * one transaction. "Check" reads the file and stores nothing.
 */
import { MAX_IMPORT_BYTES } from '../../../src/coordinator/chat-import';
import { applyParticipants, checkParticipants, columns, ImportRefusedError, parseParticipants, type ImportProblem, type ImportResult } from '../../../src/coordinator/import';
import { problemText } from '../../../src/coordinator/import-problems';
import { html, type Html } from '../html';
import { formBasics, scrollTable, t, tx, type Desk, type Page } from '../layout';
import type { UploadedFile } from '../web';

export type ImportOutcome =
  | { kind: 'problems'; filename: string; problems: ImportProblem[] }
  | { kind: 'checked'; filename: string; rows: number }
  | { kind: 'imported'; filename: string; result: ImportResult }
  | { kind: 'noFile' }
  | { kind: 'tooLarge'; filename: string };

/** Runs the upload through the import use cases; nothing is stored unless every row is right. */
export function runImport(d: Desk, file: UploadedFile | undefined, apply: boolean): ImportOutcome {
  if (!file || (file.filename === '' && file.content.length === 0)) return { kind: 'noFile' };
  const filename = file.filename.slice(0, 80);
  if (file.content.length > MAX_IMPORT_BYTES) return { kind: 'tooLarge', filename };
  const parsed = parseParticipants(file.content);
  if (!parsed.ok) return { kind: 'problems', filename, problems: parsed.problems };
  // A coordinator changes people of their own programmes only (import.ts).
  const importer = { coordinatorId: d.person.id };
  if (!apply) {
    const problems = checkParticipants(d.core, d.programme.id, parsed.rows, importer);
    return problems.length > 0 ? { kind: 'problems', filename, problems } : { kind: 'checked', filename, rows: parsed.rows.length };
  }
  try {
    return { kind: 'imported', filename, result: applyParticipants(d.core, d.programme.id, parsed.rows, importer) };
  } catch (error) {
    if (error instanceof ImportRefusedError) return { kind: 'problems', filename, problems: error.problems };
    throw error;
  }
}

function outcome(d: Desk, o: ImportOutcome): Html {
  switch (o.kind) {
    case 'noFile':
      return html`<p class="problem" role="alert">${t(d, 'import.noFile')}</p>`;
    case 'tooLarge':
      return html`<p class="problem" role="alert">${tx(d, 'coordinator.import.tooLarge', { file: o.filename, mb: MAX_IMPORT_BYTES / 1024 / 1024 })}</p>`;
    case 'checked':
      return html`<p class="notice" role="status">${t(d, 'import.checked', { file: o.filename, n: o.rows })}</p>`;
    case 'imported':
      return html`<p class="notice" role="status">${t(d, 'import.done', { file: o.filename, programme: d.programme.name, ...o.result })}</p>`;
    case 'problems':
      return html`<div class="problem" role="alert"><p><strong>${t(d, 'import.refused', { file: o.filename, n: o.problems.length })}</strong></p></div>
${scrollTable(
  'table-problems',
  t(d, 'import.problemsCaption', { n: o.problems.length }),
  html`<tr><th scope="col" class="num">${t(d, 'import.line')}</th><th scope="col">${t(d, 'import.column')}</th><th scope="col">${t(d, 'import.problem')}</th></tr>`,
  o.problems.map((p) => html`<tr><td class="num">${p.line}</td><td>${p.column ?? '—'}</td><td>${problemText(d.core.text, d.locale, p)}</td></tr>`),
)}`;
  }
}

export function importPage(d: Desk, result?: ImportOutcome): Page {
  const body = html`<h1>${t(d, 'import.title')}</h1>
${result ? outcome(d, result) : ''}
<p>${t(d, 'import.intro')}</p>
<p class="note">${t(d, 'import.columns', { columns: columns.join(', ') })}</p>
<form method="post" action="/desk/import" enctype="multipart/form-data" class="stack">
${formBasics(d)}
<div><label for="file">${t(d, 'import.file')}</label>
<input id="file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="file-hint">
<span id="file-hint" class="note">${t(d, 'import.fileHint')}</span></div>
<div class="actions">
<button type="submit" name="action" value="apply">${t(d, 'import.apply')}</button>
<button type="submit" name="action" value="check" class="secondary">${t(d, 'import.check')}</button>
</div>
</form>`;
  return { section: 'import', title: t(d, 'nav.import'), body, status: result?.kind === 'problems' || result?.kind === 'noFile' || result?.kind === 'tooLarge' ? 422 : 200 };
}
