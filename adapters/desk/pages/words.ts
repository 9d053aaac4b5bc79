/** How the desk names a reason for risk, with its counts and dates (never anyone's words). */
import { toMs, day, t, type Desk } from '../layout';

const who = (d: Desk, detail: Record<string, number | string>, keys: [string, string]) => {
  const [mentee, mentor] = [detail[keys[0]] !== undefined, detail[keys[1]] !== undefined];
  return t(d, mentee && mentor ? 'reason.both' : mentor ? 'reason.mentor' : 'reason.mentee');
};

/** The reason's short name, for lists and filters. */
export function reasonName(d: Desk, code: string): string {
  return d.core.text.has(`desk.reasonName.${code}`) ? t(d, `reasonName.${code}`) : code;
}

/** The reason with what the desk may say about it: days without a meeting, the lowest score, who. */
export function reasonText(d: Desk, code: string, detail: Record<string, number | string> = {}): string {
  switch (code) {
    case 'quiet':
      return typeof detail.days === 'number' ? t(d, 'reason.quiet', { days: detail.days }) : reasonName(d, code);
    case 'low_checkin':
      return typeof detail.lowest === 'number' ? t(d, 'reason.low_checkin', { lowest: detail.lowest }) : reasonName(d, code);
    case 'asked_for_help':
      return t(d, Number(detail.rematch ?? 0) > 0 ? 'reason.asked_for_rematch' : 'reason.asked_for_help');
    case 'unreachable':
      return t(d, 'reason.unreachable', { who: who(d, detail, ['mentee', 'mentor']) });
    case 'long_pause': {
      const until = toMs(detail.menteeUntil ?? detail.mentorUntil);
      return t(d, 'reason.long_pause', { who: who(d, detail, ['menteeUntil', 'mentorUntil']), until: day(d, until) });
    }
    default:
      return reasonName(d, code);
  }
}
