/**
 * Time-zone arithmetic. The store holds UTC epoch milliseconds; people see and are
 * scheduled in their own zone. Everything here is DST-correct because it goes through
 * TZDate, never through a fixed offset.
 */
import { TZDate } from '@date-fns/tz';
// Only what is used: the package's index and all its locales take about 0.4 s to load.
import { format } from 'date-fns/format';
import { da } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import type { Locale } from './text/locale';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

/**
 * Remembers a pure function's last few thousand answers. Converting between zones (TZDate asks Intl
 * for the offset) is most of the cost of composing a message, and a busy tick asks about the same
 * moments again and again (now, the meeting's start).
 */
function remembered<A extends unknown[], R>(fn: (...args: A) => R, size = 5_000): (...args: A) => R {
  const known = new Map<string, R>();
  return (...args: A) => {
    const key = args.join('|');
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const value = fn(...args);
    if (known.size >= size) known.clear();
    known.set(key, value);
    return value;
  };
}

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 Sunday … 6 Saturday
}

/** The wall clock in `zone` at `at` (the same frozen object for the same arguments). */
export const localParts: (at: number, zone: string) => Readonly<LocalParts> = remembered((at: number, zone: string) => {
  const d = new TZDate(at, zone);
  return Object.freeze({
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    weekday: d.getDay(), // 0 Sunday … 6 Saturday
  });
});

/** The instant at which the wall clock in `zone` shows `date` at hour:minute. */
export function atLocalTime(date: LocalDate, hour: number, minute: number, zone: string): number {
  return wallClockToInstant(date.year, date.month, date.day, hour, minute, zone);
}

const wallClockToInstant = remembered((year: number, month: number, day: number, hour: number, minute: number, zone: string) =>
  new TZDate(year, month - 1, day, hour, minute, 0, 0, zone).getTime(),
);

/** The local calendar date `days` days after (negative: before) the local date of `at`. */
export function shiftLocalDate(at: number, days: number, zone: string): LocalDate {
  const p = localParts(at, zone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function parseLocalDate(text: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const w = weekdayOf(date);
  return w === 0 || w === 6;
}

export interface QuietHours {
  /** Local hour from which nothing unprompted is sent (e.g. 20). */
  from: number;
  /** Local hour until which nothing unprompted is sent (e.g. 8). */
  until: number;
  weekends: boolean;
}

export const defaultQuietHours: QuietHours = { from: 20, until: 8, weekends: true };

/** The first moment at or after `at` when an unprompted message may reach a person in `zone`. */
export function nextAllowedMoment(at: number, zone: string, quiet: QuietHours): number {
  const p = localParts(at, zone);
  const today = { year: p.year, month: p.month, day: p.day };
  const dayOk = !(quiet.weekends && isWeekend(today));
  const minutes = p.hour * 60 + p.minute;
  if (dayOk && minutes >= quiet.until * 60 && minutes < quiet.from * 60) return at;
  let offset = dayOk && minutes < quiet.until * 60 ? 0 : 1;
  for (;;) {
    const date = shiftLocalDate(at, offset, zone);
    if (!(quiet.weekends && isWeekend(date))) return atLocalTime(date, quiet.until, 0, zone);
    offset += 1;
  }
}

/** The latest weekday on or before `date` (Friday for a weekend day). */
export function previousWeekday(date: LocalDate): LocalDate {
  let d = new Date(Date.UTC(date.year, date.month - 1, date.day));
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d = new Date(d.getTime() - DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const dateLocales = { da, en: enGB };
/** Danish running text writes times "kl. 16.00"; British English "16:00". */
const patterns = {
  da: {
    dateTime: "EEEE 'den' d. MMMM 'kl.' H.mm",
    dateTimeYear: "EEEE 'den' d. MMMM yyyy 'kl.' H.mm",
    date: "EEEE 'den' d. MMMM",
    dateYear: "EEEE 'den' d. MMMM yyyy",
    dayMonth: 'd. MMMM',
    weekday: 'EEEE',
    time: 'H.mm',
  },
  en: {
    dateTime: "EEEE d MMMM 'at' HH:mm",
    dateTimeYear: "EEEE d MMMM yyyy 'at' HH:mm",
    date: 'EEEE d MMMM',
    dateYear: 'EEEE d MMMM yyyy',
    dayMonth: 'd MMMM',
    weekday: 'EEEE',
    time: 'HH:mm',
  },
};
export type DateStyle = keyof (typeof patterns)['da'];

export function formatLocal(at: number, zone: string, locale: Locale, style: DateStyle = 'dateTime'): string {
  return formatted(at, zone, locale, style);
}

const formatted = remembered((at: number, zone: string, locale: Locale, style: DateStyle) =>
  format(new TZDate(at, zone), patterns[locale][style], { locale: dateLocales[locale] }),
);

/**
 * A moment as people read it in running text: "tirsdag den 10. december kl. 16.00" / "Tuesday
 * 10 December at 16:00", with the year when it is not the year of `now` (in the same zone).
 */
export function formatWhen(at: number, zone: string, locale: Locale, now: number): string {
  const sameYear = localParts(at, zone).year === localParts(now, zone).year;
  return formatLocal(at, zone, locale, sameYear ? 'dateTime' : 'dateTimeYear');
}

/**
 * A calendar day: "tirsdag den 10. december" / "Tuesday 10 December" (or without the weekday:
 * "10. december" / "10 December"), with the year when it is not the year of `now`.
 */
export function formatDay(date: LocalDate, zone: string, locale: Locale, now: number, weekday = true): string {
  const noon = atLocalTime(date, 12, 0, zone);
  const sameYear = date.year === localParts(now, zone).year;
  if (weekday) return formatLocal(noon, zone, locale, sameYear ? 'date' : 'dateYear');
  return formatLocal(noon, zone, locale, 'dayMonth') + (sameYear ? '' : ` ${date.year}`);
}

/** A time of day on its own: "16.00" / "16:00". */
export function formatClock(hour: number, minute: number, locale: Locale): string {
  return format(new Date(2000, 0, 1, hour, minute), patterns[locale].time);
}

/** "2d", "3h", "30m", "1w" (and combinations such as "1d12h") as milliseconds; null if not that shape. */
export function parseDuration(text: string): number | null {
  const units: Record<string, number> = { w: 7 * DAY, d: DAY, h: HOUR, m: MINUTE };
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+[wdhm])+$/.test(trimmed)) return null;
  let total = 0;
  for (const [, n, u] of trimmed.matchAll(/(\d+)([wdhm])/g)) total += Number(n) * units[u!]!;
  return total;
}
