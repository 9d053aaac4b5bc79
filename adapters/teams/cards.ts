/**
 * A platform-neutral Message as an Adaptive Card (schema 1.5, as Teams renders it): each line a text
 * block, the reason small and subtle, a choice as buttons (or a choice set when there are more than
 * five), free text as a text input, a date and time as date and time inputs. Every submit carries the
 * question id, so the answer finds the dialogue step it answers.
 */
import type { Message } from '../../src/message';

export type Card = Record<string, unknown> & { type: 'AdaptiveCard'; body: Element[]; actions?: Element[] };
type Element = Record<string, unknown> & { type: string };

export const CARD_VERSION = '1.5';
export const SUBMIT_KIND = 'sparring.answer';
/** A "show more" button: asks for the next page of a list too long for one card (pages.ts). */
export const MORE_KIND = 'sparring.more';
/** The id prefix of the element that carries a planned message's nudge key. */
export const NUDGE_ID = 'sparring-nudge:';
/** Teams refuses messages larger than about 28 KB; the card must leave room for the envelope (longer lists are paged). */
export const LIMITS = { cardBytes: 26_000, actions: 6, choices: 100, textLength: 5_000 };

export interface CardWords {
  send: string;
}

/** An image the card shows (by https link, or inline as a data: URL). */
export interface CardImage {
  url: string;
  altText: string;
}

/** What a page of a long message adds: its place, and the button that asks for the next page. */
export interface CardPaging {
  /** "Side 2 af 7" / "Page 2 of 7", shown small. */
  label?: string;
  /** The "show more" button, when another page follows. */
  more?: { title: string; list: string; page: number };
}

/** A link shown as a button under the card (e.g. "Add to calendar"). */
export interface CardLink {
  title: string;
  url: string;
}

/** Our light markdown (*bold*, "• " bullets) in Teams' markdown (**bold**), one text block per line. */
function textBlocks(text: string, options: Partial<Element> = {}): Element[] {
  return text
    .split('\n')
    .map((line, i, lines) => ({ line, blankBefore: i > 0 && lines[i - 1]!.trim() === '' }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, blankBefore }, i) => ({
      type: 'TextBlock',
      text: line.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s.,:;!?)])/g, '$1**$2**').slice(0, LIMITS.textLength),
      wrap: true,
      ...(i > 0 ? { spacing: blankBefore ? 'Medium' : 'None' } : {}),
      ...options,
    }));
}

const card = (body: Element[], actions: Element[] = []): Card => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body,
  ...(actions.length > 0 ? { actions } : {}),
});

const submitAction = (title: string, data: Record<string, unknown>): Element => ({ type: 'Action.Submit', title: title.slice(0, 80), data: { kind: SUBMIT_KIND, ...data } });

/**
 * `key` (a planned message's nudge key) is kept where no one sees it: as the id of the first text
 * block, and in every submit's data, so a submitted card tells which post it came from.
 */
export function toCard(message: Message, words: CardWords, links: CardLink[] = [], key?: string, extra: { images?: CardImage[]; paging?: CardPaging } = {}): Card {
  const { images = [], paging = {} } = extra;
  const body = textBlocks(message.text);
  if (key !== undefined && body[0]) body[0].id = `${NUDGE_ID}${key}`;
  for (const image of images) body.push({ type: 'Image', url: image.url, altText: image.altText.slice(0, 200), size: 'Stretch', spacing: 'Medium' });
  const actions: Element[] = [];
  const q = message.question;
  // The prompt rides along with the answer, so the answered card can still show what was asked.
  const submit = (title: string, data: Record<string, unknown>) => submitAction(title, { ...data, prompt: message.text.slice(0, 1500), ...(key !== undefined ? { nudge: key } : {}) });
  // Buttons while they fit beside the links and "show more" (Teams shows at most six actions), else a list.
  if (q?.kind === 'choice' && q.options.length <= Math.min(5, LIMITS.actions - links.length - (paging.more ? 1 : 0))) {
    for (const o of q.options) actions.push(submit(o.label, { questionId: q.id, value: o.value, label: o.label }));
  } else if (q?.kind === 'choice' || q?.kind === 'rating') {
    const options = q.kind === 'choice' ? q.options : Array.from({ length: q.max - q.min + 1 }, (_, i) => ({ value: String(q.min + i), label: String(q.min + i) }));
    body.push({ type: 'Input.ChoiceSet', id: 'choice', style: 'compact', isRequired: true, choices: options.slice(0, LIMITS.choices).map((o) => ({ title: o.label, value: o.value })) });
    actions.push(submit(words.send, { questionId: q.id }));
  } else if (q?.kind === 'text') {
    body.push({ type: 'Input.Text', id: 'text', isMultiline: q.multiline, maxLength: q.maxLength });
    actions.push(submit(words.send, { questionId: q.id }));
  } else if (q?.kind === 'datetime') {
    body.push({ type: 'ColumnSet', columns: [{ type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'date' }] }, { type: 'Column', width: 'stretch', items: [{ type: 'Input.Time', id: 'time' }] }] });
    actions.push(submit(words.send, { questionId: q.id }));
  }
  for (const link of links) actions.push({ type: 'Action.OpenUrl', title: link.title.slice(0, 80), url: link.url });
  if (paging.more) actions.push({ type: 'Action.Submit', title: paging.more.title.slice(0, 80), data: { kind: MORE_KIND, list: paging.more.list, page: paging.more.page } });
  if (paging.label) body.push(...textBlocks(paging.label, { size: 'Small', isSubtle: true, spacing: 'Medium' }));
  if (message.why) body.push(...textBlocks(message.why, { size: 'Small', isSubtle: true, spacing: 'Medium' }));
  return card(body, actions);
}

/** The card once answered: what was asked and the answer, nothing left to press. */
export function answeredCard(prompt: string, answered: string): Card {
  const shown = answered.length > 300 ? `${answered.slice(0, 299)}…` : answered;
  return card([...textBlocks(prompt), { type: 'TextBlock', text: `✓ ${shown}`, wrap: true, weight: 'Bolder', spacing: 'Medium' }]);
}

/** What a submitted card sends back, checked. */
export interface Submitted {
  questionId: string;
  value: string;
  label: string;
  prompt: string;
  /** The nudge key of the post the card came in, if it was a planned one. */
  nudge?: string;
}

/** A pressed "show more": which list, which page. */
export function moreRequest(value: unknown): { list: string; page: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.kind !== MORE_KIND || typeof v.list !== 'string' || typeof v.page !== 'number' || !Number.isInteger(v.page) || v.page < 1) return null;
  return { list: v.list.slice(0, 64), page: v.page };
}

export function submittedAnswer(value: unknown): Submitted | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.kind !== SUBMIT_KIND || typeof v.questionId !== 'string') return null;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const base = { questionId: v.questionId, prompt: str(v.prompt) ?? '', ...(str(v.nudge) !== undefined ? { nudge: str(v.nudge) } : {}) };
  if (str(v.value) !== undefined) return { ...base, value: str(v.value)!, label: str(v.label) ?? str(v.value)! };
  if (str(v.choice) !== undefined) return { ...base, value: str(v.choice)!, label: str(v.choice)! };
  if (str(v.date) !== undefined || str(v.time) !== undefined) {
    const text = `${str(v.date) ?? ''} ${str(v.time) ?? ''}`.trim();
    return { ...base, value: text, label: text };
  }
  const text = str(v.text) ?? '';
  return { ...base, value: text, label: text };
}

/** What breaks the limits Teams puts on a card, if anything. */
export function cardProblems(c: Card): string[] {
  const problems: string[] = [];
  if (c.version !== CARD_VERSION) problems.push(`version ${String(c.version)}`);
  const bytes = Buffer.byteLength(JSON.stringify(c));
  if (bytes > LIMITS.cardBytes) problems.push(`card of ${bytes} bytes`);
  if ((c.actions ?? []).length > LIMITS.actions) problems.push(`${c.actions!.length} actions`);
  const ids = new Set<string>();
  const walk = (elements: Element[]) => {
    for (const e of elements) {
      if (typeof e.id === 'string') {
        if (ids.has(e.id)) problems.push(`input id repeated: ${e.id}`);
        ids.add(e.id);
      }
      if (e.type === 'TextBlock' && (typeof e.text !== 'string' || e.text.trim() === '')) problems.push('empty text block');
      if (Array.isArray(e.columns)) for (const col of e.columns as Element[]) walk((col.items as Element[]) ?? []);
    }
  };
  walk(c.body);
  return problems;
}
