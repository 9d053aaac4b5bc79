/**
 * A Message as a Teams activity that Teams will take. Teams refuses a message above about 28 KB (and
 * a card above 28 KB), so:
 * - a text too long for one card is paged (pages.ts): the first page goes, with "show more";
 * - an image goes by a signed link under PUBLIC_URL (images.ts), or, without PUBLIC_URL, inline as a
 *   PNG reduced to fit what is left of the message (png.ts); one that cannot fit is left out, and the
 *   text says so;
 * - a calendar invitation becomes an "Add to calendar" link; other files cannot go, and the text says so.
 * Should Teams still refuse a message as too large (413), the sender asks for the next smaller form
 * (SHRINK): without images, then as plain text, then a short notice, so the person always gets something.
 */
import { ActivityTypes, type Activity } from 'botbuilder';
import type { Core } from '../../src/core';
import { attachmentBytes, type Attachment, type Message } from '../../src/message';
import type { Locale } from '../../src/text/locale';
import { outlookLink } from './calendar-link';
import { LIMITS, toCard, type Card, type CardImage, type CardLink } from './cards';
import type { ServedImages } from './images';
import { paginate, type PagedLists } from './pages';
import { reducePng } from './png';

export const CARD = 'application/vnd.microsoft.card.adaptive';
/** What a whole message may weigh: Teams refuses about 28 KB (28,672 bytes); this leaves room for its envelope. */
export const ACTIVITY_BYTES = 27_000;
/** A plain-text message (the smaller form) is cut at this many bytes. */
const TEXT_BYTES = 20_000;

/** The forms of a message, from the full one to the smallest; the sender moves on after a 413. */
export enum Shrink {
  Full = 0,
  WithoutImages = 1,
  PlainText = 2,
  Notice = 3,
}

export interface RendererOptions {
  core: Core;
  localeOf(userId: string): Locale;
  /** Where images are served by link (with PUBLIC_URL), else null: inline, reduced. */
  images: ServedImages | null;
  pages: PagedLists;
}

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

/** Our light markdown without its marks, for a plain-text message. */
const plain = (text: string) => text.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s.,:;!?)])/g, '$1$2');

function cutToBytes(text: string, max: number, note: string): string {
  if (Buffer.byteLength(text) <= max) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let size = Buffer.byteLength(note) + 2;
  for (const line of lines) {
    size += Buffer.byteLength(line) + 1;
    if (size > max) break;
    kept.push(line);
  }
  return `${kept.join('\n')}\n\n${note}`;
}

export function createRenderer(o: RendererOptions) {
  const t = (locale: Locale, key: string, vars = {}) => o.core.text.t(locale, key, vars);

  function base(message: Message, key?: string): Partial<Activity> {
    return {
      type: ActivityTypes.Message,
      ...(key !== undefined ? { channelData: { sparring: { key } } } : {}),
      summary: plain(message.text).slice(0, 200),
    };
  }

  /** The smaller forms: the text alone (cut to fit), or only a notice that it was too large. */
  function smaller(locale: Locale, message: Message, key: string | undefined, level: Shrink): Partial<Activity> {
    if (level >= Shrink.Notice) return { ...base(message, key), text: t(locale, 'teams.tooLarge'), textFormat: 'plain' };
    return { ...base(message, key), text: cutToBytes(plain(message.text), TEXT_BYTES, t(locale, 'teams.shortened')), textFormat: 'plain' };
  }

  /** The images as links (kept and served), or null when they are to go inline. */
  function linkedImages(images: Attachment[]): CardImage[] | null {
    if (!o.images || images.length === 0) return null;
    const served = o.images;
    return images.map((f) => ({ url: served.put(f.mediaType, attachmentBytes(f)), altText: f.filename }));
  }

  /**
   * The card, paged when the text is too long for one: the first page (with the question, links,
   * images and reason) and the pages after it, kept for "show more".
   */
  function pagedCard(userId: string, locale: Locale, message: Message, links: CardLink[], key: string | undefined, images: CardImage[]): Card {
    const words = { send: t(locale, 'teams.send') };
    const whole = toCard(message, words, links, key, { images });
    if (bytes(whole) <= LIMITS.cardBytes) return whole;
    const paging = (n: number, of: number | string) => ({ label: t(locale, 'teams.page', { n, of }), more: { title: t(locale, 'teams.showMore'), list: 'x'.repeat(16), page: n + 1 } });
    const pages = paginate(message.text, (page, index) =>
      index === 0
        ? bytes(toCard({ ...message, text: page }, words, links, key, { images, paging: paging(1, 999) })) <= LIMITS.cardBytes
        : bytes(toCard({ text: page }, words, [], undefined, { paging: paging(index + 1, 999) })) <= LIMITS.cardBytes,
    );
    const list = pages.length > 1 ? o.pages.keep(userId, pages) : '';
    const first = { label: t(locale, 'teams.page', { n: 1, of: pages.length }), ...(pages.length > 1 ? { more: { title: t(locale, 'teams.showMore'), list, page: 2 } } : {}) };
    return toCard({ ...message, text: pages[0] ?? '' }, words, links, key, { images, paging: first });
  }

  /** A Message as an activity, in the given form (Full first; a smaller one after Teams refused it as too large). */
  function render(userId: string, message: Message, key?: string, level: Shrink = Shrink.Full): Partial<Activity> {
    const locale = o.localeOf(userId);
    const files = message.attachments ?? [];
    const images = files.filter((f) => f.mediaType.startsWith('image/'));
    const calendars = files.filter((f) => f.mediaType === 'text/calendar');
    const others = files.filter((f) => !f.mediaType.startsWith('image/') && f.mediaType !== 'text/calendar');
    const notes = others.map((f) => t(locale, 'teams.fileNotSent', { file: f.filename }));
    if (level >= Shrink.WithoutImages) notes.push(...images.map((f) => t(locale, 'teams.imageNotSent', { file: f.filename })));
    const text = notes.length > 0 ? `${message.text}\n\n${notes.join('\n')}` : message.text;
    if (level >= Shrink.PlainText) return smaller(locale, { ...message, text }, key, level);

    const links = calendars.flatMap((f) => {
      const url = outlookLink(attachmentBytes(f).toString('utf8'));
      return url ? [{ title: t(locale, 'teams.addToCalendar'), url }] : [];
    });
    const inline = level === Shrink.Full ? images : [];
    const linked = linkedImages(inline);
    const card = pagedCard(userId, locale, { ...message, text }, links, key, linked ?? []);
    const activity: Partial<Activity> = { ...base(message, key), attachments: [{ contentType: CARD, content: card }] };
    if (linked || inline.length === 0) return activity;

    // Inline, each image reduced to what is left of the message; one that cannot fit: the text says so.
    for (const f of inline) {
      const left = ACTIVITY_BYTES - bytes(activity) - 200;
      const fitted = f.mediaType === 'image/png' ? reducePng(attachmentBytes(f), Math.floor((left * 3) / 4)) : attachmentBytes(f).length <= (left * 3) / 4 ? attachmentBytes(f) : null;
      if (!fitted) return render(userId, message, key, Shrink.WithoutImages);
      activity.attachments!.push({ contentType: f.mediaType, contentUrl: `data:${f.mediaType};base64,${fitted.toString('base64')}`, name: f.filename });
    }
    return activity;
  }

  /** Page `n` of a list kept for "show more", or a message that it is gone. */
  function page(userId: string, list: string, n: number, level: Shrink = Shrink.Full): Partial<Activity> {
    const locale = o.localeOf(userId);
    const pages = o.pages.pages(userId, list);
    const text = pages?.[n - 1];
    if (!pages || text === undefined) return render(userId, { text: t(locale, 'teams.moreGone') }, undefined, level);
    if (level >= Shrink.PlainText) return smaller(locale, { text }, undefined, level);
    const more = n < pages.length ? { more: { title: t(locale, 'teams.showMore'), list, page: n + 1 } } : {};
    const card = toCard({ text }, { send: t(locale, 'teams.send') }, [], undefined, { paging: { label: t(locale, 'teams.page', { n, of: pages.length }), ...more } });
    return { ...base({ text }), attachments: [{ contentType: CARD, content: card }] };
  }

  return { render, page };
}

/** Whether Teams refused a request as too large. */
export const isTooLarge = (error: unknown): boolean => (error as { statusCode?: number } | null)?.statusCode === 413;

/**
 * Posts the full form, and after each 413 the next smaller one (a form no different from the one
 * refused is skipped); other failures are thrown as they are. `onSmaller` hears of each step down
 * (for a log line, without the message).
 */
export async function sendShrinking<A, T>(renderAt: (level: Shrink) => A, post: (activity: A) => Promise<T>, onSmaller: (level: Shrink) => void = () => {}): Promise<T> {
  let refused: string | null = null;
  for (let level = Shrink.Full; level <= Shrink.Notice; level += 1) {
    const activity = renderAt(level);
    const json = JSON.stringify(activity);
    if (json === refused) continue;
    if (refused !== null) onSmaller(level);
    try {
      return await post(activity);
    } catch (error) {
      if (!isTooLarge(error) || level >= Shrink.Notice) throw error;
      refused = json;
    }
  }
  throw new Error('unreachable: the smallest form is always tried');
}
