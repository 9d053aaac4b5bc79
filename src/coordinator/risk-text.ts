/**
 * How a flag reads for a coordinator, in chat, the CLI, the digest and the alert: the pair's names,
 * the reason as counts and dates, when it began, its state and the coordinators' private notes.
 * Never anything a participant wrote: nothing here reads a free-text column.
 */
import type { Core } from '../core';
import type { Locale } from '../text/locale';
import { formatLocal } from '../time';
import type { Flag } from './flags';
import type { RiskCode } from './risk';

/** Who reads it: their language and zone. */
export interface Reader {
  locale: Locale;
  timezone: string;
}

export interface PairNames {
  mentee: string;
  mentor: string;
}

const first = (name: string) => name.trim().split(/\s+/)[0] ?? name;

export function pairNames(core: Core, pairId: number): PairNames {
  return core.db
    .prepare('SELECT me.name AS mentee, mo.name AS mentor FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id WHERE p.id = ?')
    .get(pairId) as PairNames;
}

export function dayText(reader: Reader, at: string | number): string {
  return formatLocal(typeof at === 'number' ? at : Date.parse(at), reader.timezone, reader.locale, 'dayMonth');
}

/** The reason in a few words, e.g. "no meeting held or booked for 38 days (last meeting 2 November)". */
export function reasonText(core: Core, reader: Reader, code: RiskCode, detail: Record<string, number | string>, names: PairNames): string {
  const t = (key: string, vars = {}) => core.text.t(reader.locale, key, vars);
  const who = (roles: string[]) => roles.map((r) => first(r === 'mentee' ? names.mentee : names.mentor)).join(t('risk.and'));
  switch (code) {
    case 'quiet': {
      const text =
        typeof detail.lastMeeting === 'string' ? t('risk.reason.quiet', { days: detail.days ?? 0, last: dayText(reader, detail.lastMeeting) }) : t('risk.reason.quiet.never', { days: detail.days ?? 0 });
      return Number(detail.missed ?? 0) > 0 ? text + t('risk.reason.quiet.missed', { n: detail.missed! }) : text;
    }
    case 'low_checkin':
      return t('risk.reason.low_checkin', { score: detail.lowest ?? '?' });
    case 'asked_for_help':
      return t(Number(detail.rematch ?? 0) > 0 ? 'risk.reason.asked_for_help.rematch' : 'risk.reason.asked_for_help');
    case 'unreachable': {
      const none = ['mentee', 'mentor'].filter((r) => detail[`${r}NoAddress`] === 1);
      if (none.length > 0) return t('risk.reason.unreachable.noAddress', { who: who(none) });
      const roles = ['mentee', 'mentor'].filter((r) => typeof detail[r] === 'number');
      return t('risk.reason.unreachable', { who: who(roles), n: roles.reduce((n, r) => n + Number(detail[r]), 0) });
    }
    case 'long_pause': {
      const roles = ['mentee', 'mentor'].filter((r) => typeof detail[`${r}Until`] === 'string');
      const until = roles.map((r) => Date.parse(String(detail[`${r}Until`]))).reduce((a, b) => Math.max(a, b), 0);
      return t('risk.reason.long_pause', { who: who(roles), date: dayText(reader, until) });
    }
  }
}

/** One flag as a line: "• Emil Madsen & Sara Holm — no meeting … (since 9 December) · flag 3", with its state and note when asked. */
export function flagLine(core: Core, reader: Reader, flag: Flag, names: PairNames, withState = false): string {
  const t = (key: string, vars = {}) => core.text.t(reader.locale, key, vars);
  const line = t('risk.line', { pair: `${names.mentee} & ${names.mentor}`, reason: reasonText(core, reader, flag.code, flag.detail, names), since: dayText(reader, flag.since), id: flag.id });
  if (!withState) return line;
  const states: string[] = [];
  if (flag.acknowledgedAt) states.push(t('risk.state.acknowledged', { date: dayText(reader, flag.acknowledgedAt) }));
  if (flag.resolvedAt) states.push(t(flag.resolvedBy === 'itself' ? 'risk.state.resolvedItself' : 'risk.state.resolved', { date: dayText(reader, flag.resolvedAt) }));
  const extra = [...states, ...(flag.note ? [t('risk.note', { note: flag.note.replace(/\n/g, ' · ') })] : [])];
  return extra.length ? `${line}\n   ${extra.join(' · ')}` : line;
}
