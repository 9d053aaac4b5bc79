/**
 * Charts as inline SVG that a screen reader can name (role="img", a title and a description) and
 * that never stand alone: each is drawn beside a table with the same numbers. Labels are text in
 * the picture; colours are the programme poster's, and every segment is also outlined and labelled.
 * Made with html`…`, so every label is escaped.
 */
import { html, type Html } from './html';

const WIDTH = 640;
/** Roughly how wide a character of 13px text is, to lay out legends and keep labels inside their bar. */
const CHAR = 7.2;

/** The poster's five colours, strongly agree … strongly disagree, and the text colour that reads on each. */
export const agreePalette = { fill: ['#1b7837', '#7fbf7b', '#d9d9d9', '#f4a582', '#b2182b'], text: ['#ffffff', '#1a1a1a', '#1a1a1a', '#1a1a1a', '#ffffff'] };
/** The same colours for a rating where 1 is poor and 5 good. */
export const ratingPalette = { fill: [...agreePalette.fill].reverse(), text: [...agreePalette.text].reverse() };
export type Palette = typeof agreePalette;

interface Frame {
  id: string;
  title: string;
  desc: string;
}

function svg(frame: Frame, height: number, content: Html): Html {
  return html`<svg role="img" aria-labelledby="${frame.id}-title ${frame.id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" class="chart">
<title id="${frame.id}-title">${frame.title}</title>
<desc id="${frame.id}-desc">${frame.desc}</desc>
<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>
${content}
</svg>`;
}

/** Legend items laid out left to right, wrapping; returns the fragment and the height it takes. */
function legend(items: { label: string; colour: string }[], top: number): { fragment: Html; height: number } {
  let [x, y] = [12, top];
  const parts: Html[] = [];
  for (const item of items) {
    const width = 22 + item.label.length * CHAR + 18;
    if (x + width > WIDTH - 12 && x > 12) [x, y] = [12, y + 22];
    parts.push(html`<rect x="${x}" y="${y}" width="14" height="14" fill="${item.colour}" stroke="#1a1a1a" stroke-width="0.5"/><text x="${x + 20}" y="${y + 12}" font-size="13" fill="#1a1a1a">${item.label}</text>`);
    x += width;
  }
  return { fragment: html`${parts}`, height: y - top + 22 };
}

export interface StackedRow {
  label: string;
  /** Answers per scale point; null when the group is too small to show. */
  counts: number[] | null;
  /** What is written at the end of the bar ("58 % · n = 12"), or why there is no bar. */
  note: string;
}

/** One horizontal bar per row, split over the scale's points, like the evaluation poster. */
export function stackedBars(frame: Frame, scale: string[], rows: StackedRow[], palette: Palette = agreePalette): Html {
  const key = legend(
    scale.map((label, i) => ({ label, colour: palette.fill[i]! })),
    12,
  );
  const top = 12 + key.height + 8;
  const [rowHeight, barWidth] = [48, 480];
  const height = top + rows.length * rowHeight + 8;
  const bars = rows.map((row, i) => {
    const y = top + i * rowHeight;
    const label = html`<text x="12" y="${y + 14}" font-size="13" fill="#1a1a1a">${row.label}</text>`;
    if (!row.counts) return html`${label}<text x="12" y="${y + 36}" font-size="13" fill="#4a4a4a">${row.note}</text>`;
    const n = row.counts.reduce((a, b) => a + b, 0);
    let x = 12;
    const segments = row.counts.map((count, v) => {
      const w = n === 0 ? 0 : (count / n) * barWidth;
      const segment = html`<rect x="${x.toFixed(1)}" y="${y + 20}" width="${w.toFixed(1)}" height="20" fill="${palette.fill[v]!}" stroke="#1a1a1a" stroke-width="0.5"><title>${scale[v]!}: ${count}</title></rect>${
        w >= 22 ? html`<text x="${(x + w / 2).toFixed(1)}" y="${y + 35}" font-size="12" text-anchor="middle" fill="${palette.text[v]!}">${count}</text>` : ''
      }`;
      x += w;
      return segment;
    });
    return html`${label}${segments}<text x="${12 + barWidth + 10}" y="${y + 35}" font-size="13" fill="#1a1a1a">${row.note}</text>`;
  });
  return svg(frame, height, html`${key.fragment}${bars}`);
}

/** Horizontal bars, one per row, with the value written after each. */
export function horizontalBars(frame: Frame, rows: { label: string; value: number }[], colour = '#0b5394'): Html {
  const labelWidth = Math.min(260, Math.max(...rows.map((r) => r.label.length * CHAR), 60) + 16);
  const barMax = WIDTH - labelWidth - 60;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 30;
  const height = rows.length * rowHeight + 16;
  const bars = rows.map((r, i) => {
    const y = 8 + i * rowHeight;
    const w = (r.value / max) * barMax;
    return html`<text x="${labelWidth - 8}" y="${y + 17}" font-size="13" text-anchor="end" fill="#1a1a1a">${r.label}</text><rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="18" fill="${colour}"/><text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 17}" font-size="13" fill="#1a1a1a">${r.value}</text>`;
  });
  return svg(frame, height, html`${bars}`);
}

export interface Series {
  name: string;
  colour: string;
}

/** Columns over time: for each period a group of bars, one per series, with the period named below. */
export function columns(frame: Frame, series: Series[], periods: { label: string; values: number[] }[]): Html {
  const key = legend(
    series.map((s) => ({ label: s.name, colour: s.colour })),
    10,
  );
  const top = 10 + key.height + 10;
  const [left, bottom, plotHeight] = [36, 34, 170];
  const height = top + plotHeight + bottom;
  const max = Math.max(1, ...periods.flatMap((p) => p.values));
  const step = Math.max(1, Math.ceil(max / 4));
  const slot = periods.length === 0 ? 0 : (WIDTH - left - 12) / periods.length;
  const barWidth = Math.max(2, (slot - 4) / Math.max(1, series.length));
  const y = (v: number) => top + plotHeight - (v / (step * 4)) * plotHeight;
  const grid = [0, 1, 2, 3, 4].map(
    (g) => html`<line x1="${left}" x2="${WIDTH - 12}" y1="${y(g * step).toFixed(1)}" y2="${y(g * step).toFixed(1)}" stroke="#c8c8c8" stroke-width="1"/><text x="${left - 6}" y="${(y(g * step) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#4a4a4a">${g * step}</text>`,
  );
  // Every period's label when there is room for it, else every second or third.
  const every = Math.max(1, Math.ceil((periods.reduce((m, p) => Math.max(m, p.label.length), 0) * 6.5 + 6) / Math.max(1, slot)));
  const bars = periods.map((p, i) => {
    const x0 = left + i * slot + 2;
    return html`${p.values.map((v, s) =>
      v > 0 ? html`<rect x="${(x0 + s * barWidth).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${(top + plotHeight - y(v)).toFixed(1)}" fill="${series[s]!.colour}"><title>${p.label}, ${series[s]!.name}: ${v}</title></rect>` : '',
    )}${i % every === 0 ? html`<text x="${(x0 + (slot - 4) / 2).toFixed(1)}" y="${top + plotHeight + 18}" font-size="11" text-anchor="middle" fill="#1a1a1a">${p.label}</text>` : ''}`;
  });
  return svg(frame, height, html`${key.fragment}${grid}${bars}`);
}
