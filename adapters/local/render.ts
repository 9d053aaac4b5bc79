/** A platform-neutral Message as terminal lines: *bold* in bold, choices as numbered options. */
import type { Message } from '../../src/message';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
}

export const plain: Style = { bold: (s) => s, dim: (s) => s };
export const ansi: Style = { bold: (s) => `\x1b[1m${s}\x1b[22m`, dim: (s) => `\x1b[2m${s}\x1b[22m` };

export function inline(text: string, style: Style): string {
  return text.replace(/\*([^*\n]+)\*/g, (_, inner: string) => style.bold(inner));
}

export function renderMessage(
  message: Message,
  style: Style,
  hints: { choice: string; text: string; why: (why: string) => string },
): string[] {
  const lines = inline(message.text, style).split('\n').map((l) => `  ${l}`);
  const q = message.question;
  if (q?.kind === 'choice') {
    q.options.forEach((o, i) => lines.push(`    ${style.bold(String(i + 1))}) ${o.label}`));
    lines.push(style.dim(`  ${hints.choice}`));
  } else if (q?.kind === 'text') {
    lines.push(style.dim(`  ${hints.text}`));
  }
  if (message.why) lines.push(style.dim(`  ${hints.why(message.why)}`));
  return lines;
}
