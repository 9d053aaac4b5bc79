/**
 * A date and time typed by a person, read in their own zone: "7/10 16:00", "7.10.2026 kl. 16",
 * "2026-10-07 16:30". Without a year it is the next such day. It must lie ahead, within a year.
 */
import type { Core } from '../core';
import type { Message } from '../message';
import type { Person } from '../people';
import { atLocalTime, DAY, localParts, parseLocalDate, type LocalDate } from '../time';

export type DateTimeAnswer = { ok: true; value: number | null } | { ok: false; reply: Message };

function valid(d: LocalDate): boolean {
  return parseLocalDate(`${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`) !== null;
}

/** The instant, or null if the text is not a date and time. */
export function parseDateTime(raw: string, zone: string, now: number): number | null {
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\b(kl\.?|at|klokken)\s*/g, '');
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})[ t](\d{1,2})(?:[:.](\d{2}))?$/.exec(text);
  const dmy = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.? (\d{1,2})(?:[:.](\d{2}))?$/.exec(text);
  let date: LocalDate;
  let hour: number;
  let minute: number;
  if (iso) {
    date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    [hour, minute] = [Number(iso[4]), Number(iso[5] ?? 0)];
  } else if (dmy) {
    const today = localParts(now, zone);
    const year = dmy[3] ? Number(dmy[3].length === 2 ? `20${dmy[3]}` : dmy[3]) : today.year;
    date = { year, month: Number(dmy[2]), day: Number(dmy[1]) };
    [hour, minute] = [Number(dmy[4]), Number(dmy[5] ?? 0)];
    if (!dmy[3] && valid(date) && atLocalTime(date, hour, minute, zone) <= now) date = { ...date, year: year + 1 };
  } else {
    return null;
  }
  if (!valid(date) || hour > 23 || minute > 59) return null;
  return atLocalTime(date, hour, minute, zone);
}

export function parseDateTimeAnswer(core: Core, person: Person, raw: string, options: { skippable: boolean }): DateTimeAnswer {
  const t = (key: string) => core.text.t(person.locale, key);
  if (options.skippable && t('common.answer.notYetWords').split('|').includes(raw.trim().toLowerCase())) return { ok: true, value: null };
  const now = core.clock.now();
  const at = parseDateTime(raw, person.timezone, now);
  if (at === null) return { ok: false, reply: { text: t('common.answer.dateInvalid') } };
  if (at <= now) return { ok: false, reply: { text: t('common.answer.datePast') } };
  if (at > now + 366 * DAY) return { ok: false, reply: { text: t('common.answer.dateFar') } };
  return { ok: true, value: at };
}
