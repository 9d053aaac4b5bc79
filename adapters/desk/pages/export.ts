/** The downloads: pairs and evaluation as a spreadsheet, and the pairs as CSV (the same as `export` in chat). */
import { html } from '../html';
import { href, t, type Desk, type Page } from '../layout';

export function exportPage(d: Desk): Page {
  const body = html`<h1>${t(d, 'export.title')}</h1>
<p>${t(d, 'export.intro')}</p>
<ul>
<li><a href="${href(d, '/desk/export.xlsx')}">${t(d, 'export.xlsx')}</a> — ${t(d, 'export.xlsxHint')}</li>
<li><a href="${href(d, '/desk/export.csv')}">${t(d, 'export.csv')}</a> — ${t(d, 'export.csvHint')}</li>
</ul>
<p class="note">${t(d, 'export.privacy')}</p>`;
  return { section: 'export', title: t(d, 'nav.export'), body };
}

/** A file name from the programme's name: letters, digits and dashes only. */
export function fileSlug(name: string): string {
  return (
    name
      .replace(/[æÆ]/g, 'ae')
      .replace(/[øØ]/g, 'oe')
      .replace(/[åÅ]/g, 'aa')
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/[\s_]+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'programme'
  );
}
