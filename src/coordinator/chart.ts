/**
 * The report as a picture: a stacked bar per outcome item over the five-point scale, like the
 * programme's own evaluation poster. Drawn in pure JavaScript (pureimage) with DejaVu Sans, so it
 * needs no native graphics library. A group too small to show (see report.ts) gets no bar, only
 * "too few answers to show".
 */
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import * as PImage from 'pureimage';
import type { Core } from '../core';
import type { Locale } from '../text/locale';
import { jobShadowingText, type SeasonReport } from './report';

const FAMILY = 'Sparring DejaVu Sans';
let fontLoaded = false;

function loadFont(): void {
  if (fontLoaded) return;
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  PImage.registerFont(join(dir, 'DejaVuSans.ttf'), FAMILY).loadSync();
  fontLoaded = true;
}

/** Red for 1 (strongly disagree) to green for 5 (strongly agree): every scale runs low to high. */
const colours = ['#b2182b', '#f4a582', '#d9d9d9', '#7fbf7b', '#1b7837'];

export function reportPng(core: Core, report: SeasonReport, locale: Locale, programme: string): Buffer {
  loadFont();
  const t = (key: string, vars = {}) => core.text.t(locale, key, vars);
  const rows = report.outcomes;
  const [width, left, barWidth, rowHeight, top] = [1100, 420, 560, 46, 120];
  const height = top + rows.length * rowHeight + 90;
  const image = PImage.make(width, height);
  const ctx = image.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#111111';
  ctx.font = `22pt '${FAMILY}'`;
  ctx.fillText(t('coordinator.report.title', { programme }), 24, 40);
  ctx.font = `13pt '${FAMILY}'`;
  const shownN = rows.flatMap((r) => (r.shown ? [r.n] : []));
  ctx.fillText(shownN.length > 0 ? t('coordinator.report.chartQuestion', { n: Math.max(...shownN) }) : t('coordinator.report.chartQuestionTooFew'), 24, 70);
  // legend
  let x = left;
  for (let v = 1; v <= 5; v += 1) {
    ctx.fillStyle = colours[v - 1]!;
    ctx.fillRect(x, 88, 14, 14);
    ctx.fillStyle = '#111111';
    ctx.font = `11pt '${FAMILY}'`;
    const label = t(`survey.agree.${v}`);
    ctx.fillText(label, x + 20, 100);
    x += 30 + label.length * 9;
  }
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    ctx.fillStyle = '#111111';
    ctx.font = `12pt '${FAMILY}'`;
    ctx.fillText(t(`coordinator.item.${r.item}`), 24, y + 26);
    if (!r.shown) {
      ctx.fillStyle = '#666666';
      ctx.fillText(t('coordinator.report.tooFew'), left, y + 26);
      return;
    }
    let offset = 0;
    r.counts.forEach((count, v) => {
      const w = Math.round((count / r.n) * barWidth);
      ctx.fillStyle = colours[v]!;
      ctx.fillRect(left + offset, y + 8, w, rowHeight - 16);
      offset += w;
    });
    ctx.fillStyle = '#111111';
    ctx.fillText(`${Math.round(r.share * 100)} % · n=${r.n}`, left + barWidth + 16, y + 26);
  });
  ctx.font = `12pt '${FAMILY}'`;
  const footer = `${t('coordinator.report.meetingsPerPair', { n: report.meetingsPerPair.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })} · ${jobShadowingText(core, report, locale)} · ${t('coordinator.report.matchGood', { share: report.match.mentee.shown ? `${Math.round(report.match.mentee.share * 100)} %` : t('coordinator.report.tooFew') })}`;
  ctx.fillText(footer, 24, height - 36);
  // pngjs's synchronous writer, so a command can build the picture inside its transaction.
  return PNG.sync.write({ width: image.width, height: image.height, data: Buffer.from(image.data) } as PNG);
}
