/**
 * HTML that escapes by default: html`<p>${name}</p>` escapes every interpolated value; a value is
 * inserted as it is only when it is already Html (a fragment made by html`…` itself, or raw() for a
 * trusted constant). Arrays are joined, and null, undefined and false leave nothing. Attributes are
 * always written in double quotes, so an escaped value cannot leave its attribute.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c]!);
}

export type Interpolated = Html | string | number | null | undefined | false | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/** A trusted fragment, inserted unescaped. Only for constants written in this code, never for data. */
export function raw(trusted: string): Html {
  return new Html(trusted);
}
