/**
 * Dates and times as people type them, in Danish or English (both for everyone), read in their own
 * zone: "10/12 kl. 16", "10.12.2026 16.00", "2026-12-10T16:00", "tirsdag kl. 14", "i morgen 10",
 * "next Tuesday 2pm", "7 Oct 16:00", "tomorrow at noon", "i morgen aften kl. 7". `readDateTime` only reads; `parseDateTimeAnswer` decides what
 * an answer means for a booking: accept it, confirm it first, ask for the time, or say what is wrong.
 */
import type { Core } from '../core';
import type { Message } from '../message';
import type { Person } from '../people';
import type { Vars } from '../text/catalog';
import { atLocalTime, formatClock, formatDay, formatLocal, formatWhen, localParts, parseLocalDate, shiftLocalDate, type LocalDate } from '../time';

export { formatWhen } from '../time';

// typedWeekday (0 Sunday … 6 Saturday) is there only when a weekday typed with the date does not
// match it ("tirsdag den 10/12" when 10 December is a Thursday): the date wins, and it is asked about.
export type DateReading =
  | { kind: 'instant'; at: number; rolled: boolean; typedWeekday?: number } // rolled: no year was typed and this year's date had passed
  | { kind: 'dateOnly'; date: LocalDate; rolled?: boolean; typedWeekday?: number; later?: Later } // later: "i morgen eftermiddag"
  | { kind: 'timeOnly'; hour: number; minute: number }
  | { kind: 'invalid'; problem: 'unreadable' | 'noSuchDate' | 'badTime' };

export type DateTimeAnswer =
  | { ok: true; value: number }
  | { ok: 'confirm'; value: number; question: string }
  | { ok: 'needTime'; date: PendingDate; question: string }
  | { ok: false; reply: Message };

// ---- words -------------------------------------------------------------------------------------

function table(groups: string[][], first = 1): Map<string, number> {
  return new Map(groups.flatMap((names, i) => names.map((n) => [n, i + first] as const)));
}
const months = table([
  ['januar', 'january', 'jan'],
  ['februar', 'february', 'feb'],
  ['marts', 'march', 'mar'],
  ['april', 'apr'],
  ['maj', 'may'],
  ['juni', 'june', 'jun'],
  ['juli', 'july', 'jul'],
  ['august', 'aug'],
  ['september', 'sept', 'sep'],
  ['oktober', 'october', 'okt', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
]);
const weekdays = table(
  [
    ['søndag', 'sunday', 'søn', 'sun', 'soendag', 'sondag'],
    ['mandag', 'monday', 'man', 'mon'],
    ['tirsdag', 'tuesday', 'tirs', 'tir', 'tues', 'tue'],
    ['onsdag', 'wednesday', 'ons', 'wed'],
    ['torsdag', 'thursday', 'tors', 'tor', 'thurs', 'thur', 'thu'],
    ['fredag', 'friday', 'fre', 'fri'],
    ['lørdag', 'saturday', 'lør', 'sat', 'loerdag', 'lordag'],
  ],
  0,
);
const relativeDays = table(
  [
    ['i dag', 'idag', 'today', 'i aften', 'tonight', 'this evening', 'i eftermiddag', 'this afternoon'],
    ['i morgen', 'imorgen', 'tomorrow'],
    ['i overmorgen', 'overmorgen', 'the day after tomorrow', 'day after tomorrow'],
  ],
  0,
);

const words = (m: Map<string, number>) => [...m.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/\./g, '\\.')).join('|');
const END = '(?=\\s|$)';
const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?=\s|$)/;
const NUMERIC = /^(\d{1,2})([./-])(\d{1,2})(?:[./-](\d{4})|[./](\d{2}))?\.?(?=\s|$)/;
const DAY_MONTH = new RegExp(`^(\\d{1,2})(?:\\.|st|nd|rd|th)?\\s*(?:of\\s+)?(${words(months)})\\.?(?:\\s+(\\d{4}))?${END}`);
const MONTH_DAY = new RegExp(`^(${words(months)})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+(\\d{4}))?${END}`);
const RELATIVE = new RegExp(`^(${words(relativeDays)})${END}`);
const WEEKDAY = new RegExp(`^(?:(næste|next|kommende|this|denne)\\s+)?(${words(weekdays)})\\.?${END}`);
const TIME = /^(?:(?:kl\.?|klokken|at|om|@)\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?(?=\s|$)/;
const NOON = /^(?:(?:kl\.?|klokken|at|ved|om|@)\s*)?(?:12\s+)?(?:noon|midday|middagstid|middag)(?=\s|$)/;
// A part of the day after a day ("i morgen eftermiddag", "tuesday evening"): an hour without am/pm is read in it.
// "i morgen" is always tomorrow in Danish, never "in the morning" (that is "om morgenen").
const PART_OF_DAY = /^(?:(?:om|in the)\s+|i\s+(?!morgen))?(tidlig|formiddag(?:en)?|morgen(?:en)?|morning|eftermiddag(?:en)?|afternoon|aften(?:en)?|evening|tonight)(?=\s|$)/;
/** The afternoon or the evening of a day: an hour without am/pm is read in it where it fits. */
export type Later = 'afternoon' | 'evening';
const partOf = (word: string): Later | undefined => (/^(eftermiddag|afternoon)/.test(word) ? 'afternoon' : /^(aften|evening|tonight)/.test(word) ? 'evening' : undefined);
// Today, in a later part of it: "i aften kl. 7" is seven in the evening.
const LATER_TODAY = new Map<string, Later>([
  ['i aften', 'evening'],
  ['tonight', 'evening'],
  ['this evening', 'evening'],
  ['i eftermiddag', 'afternoon'],
  ['this afternoon', 'afternoon'],
]);

/**
 * An hour typed without am/pm in the afternoon (1–6) or evening (5–11) is after noon; any other is left
 * as typed, so "eftermiddag kl. 11" stays 11:00 (and the usual checks ask about it). `true` is the
 * older form of a pending date, before the part was kept: any hour from 1 to 11.
 */
function inPartOfDay(hour: number, later: Later | true | undefined): number {
  if (later === 'afternoon') return hour >= 1 && hour <= 6 ? hour + 12 : hour;
  if (later === 'evening') return hour >= 5 && hour <= 11 ? hour + 12 : hour;
  if (later === true) return hour >= 1 && hour <= 11 ? hour + 12 : hour;
  return hour;
}
const LEAD = /^(?:(?:på|on|den|d\.|the)\s+)+/;
const DATE_LEAD = /^(?:den|d\.|the)\s+/;

// ---- structure: what was typed, not yet checked -------------------------------------------------

type Day = (
  | { kind: 'calendar'; day: number; month: number; year: number | null; weekday?: number }
  | { kind: 'relative'; days: number }
  | { kind: 'weekday'; weekday: number; next: boolean }
) & { later?: Later }; // later: in the afternoon or evening ("i morgen aften"), so "7" is 19:00
interface TimeOfDay {
  hour: number;
  minute: number;
  meridiem: 'am' | 'pm' | null;
}
interface Taken<T> {
  value: T;
  rest: string;
}

function normalise(raw: string): string {
  return raw
    .normalize('NFC')
    .toLowerCase()
    .replace(/[*_«»"“”]/g, '') // emphasis copied from an example
    .replace(/(\d{4}-\d{1,2}-\d{1,2})t(?=\d)/, '$1 ') // ISO's "T"
    .replace(/(\d{1,2}[:.]\d{2})\s*[-–]\s*\d{1,2}[:.]\d{2}/, '$1') // "16:00-17:00": the start
    .replace(/[,;]/g, ' ')
    .replace(/\s+[-–]\s+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?]+$/, '');
}

const rest = (text: string, match: RegExpExecArray) => text.slice(match[0].length).trim();

/** "10/12", "10.12.2026", "2026-12-10", "7. okt", "October 7 2026". With `strict`, "14.10" (also a time) is not a date. */
function takeCalendar(text: string, strict: boolean): Taken<Day> | null {
  let m = ISO.exec(text);
  if (m) return { value: { kind: 'calendar', year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, rest: rest(text, m) };
  m = NUMERIC.exec(text);
  if (m) {
    const [day, month] = [Number(m[1]), Number(m[3])];
    const year = m[4] ? Number(m[4]) : m[5] ? 2000 + Number(m[5]) : null;
    // "16.00" and "9-17" are not dates; "31/02" is a date that does not exist.
    const plausible = day >= 1 && day <= 31 && month >= 1 && month <= 12;
    if (m[2] === '/' || year !== null || (plausible && !strict)) return { value: { kind: 'calendar', day, month, year }, rest: rest(text, m) };
  }
  m = DAY_MONTH.exec(text);
  if (m) return { value: { kind: 'calendar', day: Number(m[1]), month: months.get(m[2]!)!, year: m[3] ? Number(m[3]) : null }, rest: rest(text, m) };
  m = MONTH_DAY.exec(text);
  if (m) return { value: { kind: 'calendar', day: Number(m[2]), month: months.get(m[1]!)!, year: m[3] ? Number(m[3]) : null }, rest: rest(text, m) };
  return null;
}

/** Every way the text can start with a day ("på tirsdag", "i morgen", "tirsdag den 10/12", "10/12"). */
function takeDay(input: string): Taken<Day>[] {
  const text = input.replace(LEAD, '');
  const relative = RELATIVE.exec(text);
  if (relative) return [{ value: { kind: 'relative', days: relativeDays.get(relative[1]!)!, later: LATER_TODAY.get(relative[1]!) }, rest: rest(text, relative) }];
  const weekday = WEEKDAY.exec(text);
  if (weekday) {
    const after = rest(text, weekday);
    // A weekday followed by a date ("tirsdag den 10. december"): the date decides.
    const named = weekdays.get(weekday[2]!)!;
    const dated = DATE_LEAD.test(after) ? takeCalendar(after.replace(DATE_LEAD, ''), false) : takeCalendar(after, true);
    const alone: Taken<Day> = { value: { kind: 'weekday', weekday: named, next: !!weekday[1] && /næste|next/.test(weekday[1]) }, rest: after };
    return dated ? [{ value: { ...dated.value, weekday: named } as Day, rest: dated.rest }, alone] : [alone];
  }
  const calendar = takeCalendar(text, false);
  return calendar ? [calendar] : [];
}

/** A part of the day after the day itself ("tirsdag eftermiddag", "tomorrow morning"). */
function takePartOfDay(day: Taken<Day>): Taken<Day> {
  const m = PART_OF_DAY.exec(day.rest);
  if (!m) return day;
  return { value: { ...day.value, later: day.value.later ?? partOf(m[1]!) }, rest: rest(day.rest, m) };
}

function takeTime(text: string): Taken<TimeOfDay> | null {
  const noon = NOON.exec(text);
  if (noon) return { value: { hour: 12, minute: 0, meridiem: null }, rest: rest(text, noon) };
  const m = TIME.exec(text);
  if (!m) return null;
  const meridiem = m[3] ? (m[3].startsWith('a') ? 'am' : 'pm') : null;
  return { value: { hour: Number(m[1]), minute: Number(m[2] ?? 0), meridiem }, rest: rest(text, m) };
}

/** The readings of the whole text, most likely first: a day then a time, or a time then a day. */
function structures(text: string): { day: Day | null; time: TimeOfDay | null }[] {
  const found: { day: Day | null; time: TimeOfDay | null }[] = [];
  for (const day of takeDay(text).map(takePartOfDay)) {
    if (day.rest === '') found.push({ day: day.value, time: null });
    const time = takeTime(day.rest);
    if (time && time.rest === '') found.push({ day: day.value, time: time.value });
  }
  const time = takeTime(text);
  if (time && time.rest === '') found.push({ day: null, time: time.value });
  if (time && time.rest !== '') for (const day of takeDay(time.rest).map(takePartOfDay)) if (day.rest === '') found.push({ day: day.value, time: time.value });
  return found;
}

// ---- meaning: the structure in the person's zone and calendar -----------------------------------

const order = (d: LocalDate) => d.year * 10_000 + d.month * 100 + d.day;
const iso = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const exists = (d: LocalDate) => parseLocalDate(iso(d)) !== null;
const weekdayOf = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

function clockOf(time: TimeOfDay, later?: Later): { hour: number; minute: number } | null {
  let { hour } = time;
  if (time.meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (time.meridiem === 'pm' ? 12 : 0);
  } else {
    hour = inPartOfDay(hour, later); // "i morgen aften kl. 7", "tuesday afternoon 3"
  }
  return hour <= 23 && time.minute <= 59 ? { hour, minute: time.minute } : null;
}

function resolve(day: Day | null, time: TimeOfDay | null, zone: string, now: number): DateReading {
  const clock = time ? clockOf(time, day?.later) : null;
  if (!day) return clock ? { kind: 'timeOnly', ...clock } : { kind: 'invalid', problem: 'badTime' };
  const p = localParts(now, zone);
  const today: LocalDate = { year: p.year, month: p.month, day: p.day };
  let date: LocalDate;
  let rolled = false;
  if (day.kind === 'calendar') {
    date = { year: day.year ?? today.year, month: day.month, day: day.day };
    // No year and this year's day is behind us: the next one, flagged so it is never taken silently.
    if (day.year === null && order(date) < order(today)) [date, rolled] = [{ ...date, year: today.year + 1 }, true];
    if (!exists(date)) return { kind: 'invalid', problem: 'noSuchDate' };
  } else if (day.kind === 'relative') {
    date = shiftLocalDate(now, day.days, zone);
  } else {
    let ahead = (day.weekday - p.weekday + 7) % 7;
    // Today's weekday is today only while its time is still ahead, and never with "next".
    if (ahead === 0 && (day.next || !clock || atLocalTime(today, clock.hour, clock.minute, zone) <= now)) ahead = 7;
    date = shiftLocalDate(now, ahead, zone);
  }
  if (time && !clock) return { kind: 'invalid', problem: 'badTime' };
  const typed = day.kind === 'calendar' && day.weekday !== undefined && day.weekday !== weekdayOf(date) ? { typedWeekday: day.weekday } : {};
  if (!clock) return { kind: 'dateOnly', date, ...(rolled ? { rolled } : {}), ...typed, ...(day.later ? { later: day.later } : {}) };
  return { kind: 'instant', at: atLocalTime(date, clock.hour, clock.minute, zone), rolled, ...typed };
}

/** What the text says, read in `zone` at `now`; nothing is judged here but whether it exists. */
export function readDateTime(raw: string, zone: string, now: number): DateReading {
  const [first] = structures(normalise(raw));
  return first ? resolve(first.day, first.time, zone, now) : { kind: 'invalid', problem: 'unreadable' };
}

/** The instant of a full date and time (next year's when this year's has passed), or null. Kept for older callers. */
export function parseDateTime(raw: string, zone: string, now: number): number | null {
  const reading = readDateTime(raw, zone, now);
  return reading.kind === 'instant' ? reading.at : null;
}

// ---- judgement: what a typed answer means for a booking -----------------------------------------

export interface DateTimeOptions {
  /** The programme's season as local dates (YYYY-MM-DD): a time outside it is confirmed first. */
  season?: { startsOn: string; endsOn: string };
  /** A day already given without a time: a time alone completes it, a new date replaces it. */
  pendingDate?: PendingDate | null;
}

/** A day given without a time, and whether it was the afternoon or evening of it (then "3" is 15:00). */
export type PendingDate = LocalDate & { later?: Later | true };

const MERIDIEM = /\d\s*(am|pm|a\.m|p\.m)/;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
// A Sunday, from which the weekday numbered n is n days on.
const SUNDAY: LocalDate = { year: 2026, month: 11, day: 29 };

export function parseDateTimeAnswer(core: Core, person: Person, raw: string, options: DateTimeOptions): DateTimeAnswer {
  const { locale, timezone: zone } = person;
  const now = core.clock.now();
  const t = (key: string, vars: Vars = {}) => capitalise(core.text.t(locale, `dates.${key}`, vars));
  const fail = (key: string, vars: Vars = {}): DateTimeAnswer => ({ ok: false, reply: { text: t(key, vars) } });
  const p = localParts(now, zone);
  const today: LocalDate = { year: p.year, month: p.month, day: p.day };
  const limit: LocalDate = { year: today.year + 1, month: today.month, day: today.day }; // 12 months ahead
  const day = (d: LocalDate, weekday = true) => formatDay(d, zone, locale, now, weekday);
  // The day as typed, without a year: "1. november" / "1 November".
  const typed = (d: LocalDate) => formatDay(d, zone, locale, atLocalTime(d, 12, 0, zone), false);
  const weekdayName = (n: number) => formatLocal(atLocalTime({ ...SUNDAY, day: SUNDAY.day + n }, 12, 0, zone), zone, locale, 'weekday');
  const mismatch = (d: LocalDate, typedWeekday: number | undefined) =>
    typedWeekday === undefined ? [] : [t('weekdayMismatch', { day: typed(d), actual: weekdayName(weekdayOf(d)), typed: weekdayName(typedWeekday) })];

  let reading = readDateTime(raw, zone, now);
  const pending = options.pendingDate ?? null;
  // Asked for a time, "14.10" is ten past two, not 14 October.
  if (pending && reading.kind === 'dateOnly' && /^\d{1,2}\.\d{2}$/.test(normalise(raw))) reading = resolve(null, takeTime(normalise(raw))!.value, zone, now);

  if (reading.kind === 'invalid') return fail(reading.problem);
  if (reading.kind === 'timeOnly') {
    if (!pending) return fail('needDate', { time: formatClock(reading.hour, reading.minute, locale) });
    const hour = MERIDIEM.test(normalise(raw)) ? reading.hour : inPartOfDay(reading.hour, pending.later);
    const date: LocalDate = { year: pending.year, month: pending.month, day: pending.day };
    reading = { kind: 'instant', at: atLocalTime(date, hour, reading.minute, zone), rolled: false };
  }
  if (reading.kind === 'dateOnly') {
    const { date } = reading;
    if (order(date) < order(today)) return fail('passed', { when: day(date) });
    if (order(date) > order(limit)) return fail('tooFar');
    const ask = reading.rolled ? t('needTimeRolled', { day: typed(date), date: day(date) }) : t('needTime', { date: day(date) });
    return { ok: 'needTime', date: reading.later ? { ...date, later: reading.later } : date, question: [...mismatch(date, reading.typedWeekday), ask].join(' ') };
  }

  const { at, rolled } = reading;
  const when = formatWhen(at, zone, locale, now);
  if (at <= now) return fail('passed', { when });
  if (at > atLocalTime(limit, p.hour, p.minute, zone)) return fail('tooFar');

  // What makes it worth asking before booking: a day that is not what was typed, or an odd time.
  const local = localParts(at, zone);
  const date: LocalDate = { year: local.year, month: local.month, day: local.day };
  const notes = [...mismatch(date, reading.typedWeekday), ...(rolled ? [t('passedThisYear', { day: typed(date) })] : [])];
  const reason = (key: string, vars: Vars = {}) => core.text.t(locale, `dates.reason.${key}`, vars);
  const reasons: string[] = [];
  if (local.weekday === 0 || local.weekday === 6) reasons.push(reason('weekend'));
  if (local.hour < 6) reasons.push(reason('night'));
  else if (local.hour < 7) reasons.push(reason('early'));
  else if (local.hour >= 22) reasons.push(reason('late'));
  const { season } = options;
  if (season && iso(date) < season.startsOn) reasons.push(reason('beforeSeason', { date: day(parseLocalDate(season.startsOn)!, false) }));
  if (season && iso(date) > season.endsOn) reasons.push(reason('afterSeason', { date: day(parseLocalDate(season.endsOn)!, false) }));
  if (notes.length === 0 && reasons.length === 0) return { ok: true, value: at };

  const list = reasons.length > 1 ? `${reasons.slice(0, -1).join(', ')} ${core.text.t(locale, 'dates.and')} ${reasons.at(-1)}` : (reasons[0] ?? '');
  if (notes.length === 0) return { ok: 'confirm', value: at, question: t('confirm.anyway', { when, reasons: list }) };
  const question = [...notes, t('confirm.meant', { when }), ...(list ? [t('confirm.also', { reasons: list })] : [])].join(' ');
  return { ok: 'confirm', value: at, question };
}
