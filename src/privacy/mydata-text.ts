/**
 * `mydata` as the person reads it: every group of their export (person-data.ts), in their language
 * and time zone, in order of date, past meetings shown as past. Texts in prompts/{da,en}/mydata.json.
 */
import { TZDate } from '@date-fns/tz';
// Only what is used: the package's index and all its locales take about 0.4 s to load.
import { format } from 'date-fns/format';
import { da } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import type { Core } from '../core';
import type { Person } from '../people';
import type { Vars } from '../text/catalog';
import type { PersonExport } from './person-data';

const patterns = {
  da: { when: "EEEE 'den' d. MMMM yyyy 'kl.' HH.mm", date: 'd. MMMM yyyy' },
  en: { when: "EEEE d MMMM yyyy 'at' HH:mm", date: 'd MMMM yyyy' },
};
const dateLocales = { da, en: enGB };

const groupOrder = ['profile', 'roles', 'pairs', 'meetings', 'preparations', 'introductions', 'summaries', 'steps', 'agreement', 'goals', 'reflections', 'checkins', 'surveys', 'growth', 'pauses', 'conversation'] as const;
type Group = (typeof groupOrder)[number];
/** Groups only one role can have: shown when there is something, not listed as "nothing stored yet". */
const roleGroups: ReadonlySet<Group> = new Set(['introductions', 'goals', 'growth']);

const BULLET = '• ';
const INDENT = '   ';

export function renderMydata(core: Core, person: Person, data: PersonExport): string {
  const locale = person.locale;
  const t = (key: string, vars: Vars = {}) => core.text.t(locale, `mydata.${key}`, vars);
  const has = (key: string) => core.text.has(`mydata.${key}`);
  const stamp = (isoTime: string, style: 'when' | 'date') => format(new TZDate(Date.parse(isoTime), person.timezone), patterns[locale][style], { locale: dateLocales[locale] });
  const when = (isoTime: string) => stamp(isoTime, 'when');
  const date = (isoTime: string) => stamp(isoTime, 'date');
  const answer = (text: string | null) => text ?? t('skipped');

  const groups: Record<Group, string[]> = {
    profile: [
      t('profile.name', { name: data.person.name }),
      data.person.email ? t('profile.email', { email: data.person.email }) : t('profile.noEmail'),
      t('profile.language', { language: has(`language.${data.person.language}`) ? t(`language.${data.person.language}`) : data.person.language, timezone: data.person.timeZone }),
      ...(data.person.identities.length > 0 ? [t('profile.accounts', { accounts: data.person.identities.map((i) => `${i.platform} ${i.platformId}`).join(', ') })] : []),
      t('profile.since', { date: date(data.person.createdAt) }),
    ],
    roles: data.roles.flatMap((r) => {
      const details = Object.entries(r.details)
        .filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => `${has(`detail.${k}`) ? t(`detail.${k}`) : k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
      return [
        BULLET + t('role.line', { role: t(`role.${r.role}`), programme: r.programme, date: date(r.since) }),
        ...(details.length > 0 ? [INDENT + t('role.details', { details: details.join(' · ') })] : []),
      ];
    }),
    pairs: data.pairs.flatMap((p) => [
      BULLET + t(`pair.${p.yourRole}.${p.status}`, { partner: p.partner, programme: p.programme, matched: date(p.matchedAt), ended: p.endedAt ? date(p.endedAt) : '' }),
      ...(p.jobShadowing && has(`pair.shadowing.${p.jobShadowing}`) ? [INDENT + t(`pair.shadowing.${p.jobShadowing}`)] : []),
    ]),
    meetings: data.meetings.map(
      (m) => BULLET + t(m.place ? 'meeting.linePlace' : 'meeting.line', { when: when(m.startsAt), partner: m.partner, place: m.place ?? '', status: t(`status.${m.status}`) }),
    ),
    preparations: data.preparations.flatMap((p) => {
      const partner = data.pairs.find((x) => data.meetings.some((m) => m.meetingId === p.meetingId && m.pairId === x.pairId))?.partner ?? '';
      const sharing = p.shared === true ? t('prep.sharedYes', { partner }) : p.shared === false ? t('prep.sharedNo') : t('prep.unfinished');
      const heading = p.whose === 'yours' ? t('prep.yours', { when: when(p.meetingStartsAt), sharing }) : t('prep.sharedWithYou', { mentee: p.mentee, when: when(p.meetingStartsAt) });
      const label = (q: string) => {
        const key = `prep.${p.whose === 'yours' ? 'own' : 'shared'}.${q}`;
        return has(key) ? t(key, { mentee: p.mentee }) : q;
      };
      return [BULLET + heading, ...p.answers.map((a) => `${INDENT}${label(a.question)}: ${answer(a.answer)}`)];
    }),
    summaries: data.summaries.flatMap((s) => {
      const mentor = s.whose === 'yours' ? (data.pairs.find((x) => data.meetings.some((m) => m.meetingId === s.meetingId && m.pairId === x.pairId))?.partner ?? '') : '';
      const lines = [BULLET + (s.whose === 'yours' ? t('summary.yours', { when: when(s.meetingStartsAt) }) : t('summary.sentToYou', { writer: s.writtenBy, when: when(s.meetingStartsAt) }))];
      if (s.points) lines.push(INDENT + s.points);
      const owners = [...new Set(s.steps.map((x) => x.owner))];
      const steps = owners.map((o) => `${o}: ${s.steps.filter((x) => x.owner === o).map((x) => x.text).join('; ')}`).join(' · ');
      if (steps) lines.push(INDENT + t('summary.steps', { steps }));
      if (s.mentorAddition) lines.push(INDENT + (s.whose === 'yours' ? t('summary.additionTheirs', { mentor, addition: s.mentorAddition }) : t('summary.additionYours', { addition: s.mentorAddition })));
      if (s.confirmedAt) lines.push(INDENT + (s.whose === 'yours' ? t('summary.confirmedTheirs', { mentor, date: date(s.confirmedAt) }) : t('summary.confirmedYours', { date: date(s.confirmedAt) })));
      return lines;
    }),
    steps: data.steps.map((s) => {
      const text = s.meetingStartsAt ? t('step.fromMeeting', { text: s.text, when: when(s.meetingStartsAt) }) : s.text;
      return `${BULLET}${text} — ${s.doneAt ? t('step.done', { date: date(s.doneAt) }) : t('step.open')}`;
    }),
    agreement: [...new Set(data.agreement.map((a) => a.pairId))].flatMap((pairId) => {
      const rows = data.agreement.filter((a) => a.pairId === pairId);
      return [
        BULLET + t('agreement.pair', { partner: rows[0]!.partner }),
        ...rows.map((a) => {
          const label = has(`agreement.item.${a.item}`) ? t(`agreement.item.${a.item}`) : a.item;
          const value = a.item === 'notes' && a.answer && has(`agreement.notes.${a.answer}`) ? t(`agreement.notes.${a.answer}`) : answer(a.answer);
          return `${INDENT}${label}: ${value}`;
        }),
      ];
    }),
    reflections: data.reflections.flatMap((r) => [
      BULLET + t('reflection.meeting', { when: when(r.meetingStartsAt) }),
      `${INDENT}${t('reflection.worked')}: ${answer(r.worked)}`,
      `${INDENT}${t('reflection.notWorked')}: ${answer(r.didNotWork)}`,
    ]),
    checkins: data.checkins.map((c) => BULLET + t('checkin.line', { date: date(c.answeredAt), partner: c.partner, professional: c.professional, personal: c.personal })),
    introductions: data.introductions.flatMap((i) => {
      const yours = i.whose === 'yours';
      const heading = yours ? t('introduction.yours', { partner: i.partner, sharing: i.shared ? t('prep.sharedYes', { partner: i.partner }) : t('prep.sharedNo') }) : t('introduction.sharedWithYou', { partner: i.partner });
      return [
        BULLET + heading,
        `${INDENT}${t(yours ? 'introduction.about' : 'introduction.theirAbout', { partner: i.partner })}: ${answer(i.about)}`,
        `${INDENT}${t(yours ? 'introduction.curious' : 'introduction.theirCurious', { partner: i.partner })}: ${answer(i.curious)}`,
      ];
    }),
    goals: data.goals.flatMap((g) => [
      BULLET + (g.droppedAt ? t('goal.dropped', { goal: g.goal ?? '', date: date(g.droppedAt) }) : (g.goal ?? '')),
      ...(g.progress.length === 0 ? [INDENT + t('goal.notRated')] : g.progress.map((p) => INDENT + t(`goal.${p.moment}`, { value: p.value, date: date(p.answeredAt) }))),
    ]),
    growth: [...new Set(data.growth.map((o) => o.programme))].flatMap((programme) => [
      BULLET + t('growth.programme', { programme }),
      ...data.growth
        .filter((o) => o.programme === programme)
        .map((o) => `${INDENT}${has(`survey.item.${o.item}`) ? t(`survey.item.${o.item}`) : o.item}: ${t('growth.line', { start: o.start ?? '–', end: o.end ?? '–' })}`),
    ]),
    surveys: [...new Set(data.surveys.map((s) => s.programme))].flatMap((programme) => {
      const rows = data.surveys.filter((s) => s.programme === programme);
      return [
        BULLET + t('survey.programme', { programme, date: date(rows[rows.length - 1]!.answeredAt) }),
        ...rows.map((s) => `${INDENT}${has(`survey.item.${s.item}`) ? t(`survey.item.${s.item}`) : s.item}: ${surveyValue(s)}`),
      ];
    }),
    pauses: data.pauses.map((p) => BULLET + t(p.activeNow ? 'pause.active' : 'pause.ended', { until: when(p.pausedUntil) })),
    conversation: conversationLines(),
  };

  function surveyValue(s: PersonExport['surveys'][number]): string {
    if (s.text !== null) return s.item === 'shadowing' && has(`survey.${s.text}`) ? t(`survey.${s.text}`) : s.text;
    if (s.value === null) return t('skipped');
    if (s.item === 'match' || s.item === 'engagement') return t('survey.scale', { value: s.value });
    return has(`survey.agree.${s.value}`) ? t(`survey.agree.${s.value}`) : String(s.value);
  }

  function conversationLines(): string[] {
    const c = data.conversation;
    const lines: string[] = [];
    const open = c.questions.filter((q) => q.status === 'open').length;
    if (open > 0) lines.push(BULLET + t('conversation.open', { count: open }));
    const delivered = c.messages.filter((m) => m.status === 'delivered').length;
    const planned = c.messages.filter((m) => m.status === 'pending' || m.status === 'sending').length;
    if (delivered + planned > 0) lines.push(BULLET + t('conversation.messages', { delivered, planned }));
    if (c.localChat.length > 0) lines.push(BULLET + t('conversation.localChat', { count: c.localChat.length }));
    if (c.toCoordinator.length > 0) lines.push(BULLET + t('conversation.toCoordinator', { count: c.toCoordinator.length }));
    return lines;
  }

  const out = [t('intro', { date: date(data.exportedAt) })];
  const empty: string[] = [];
  for (const group of groupOrder) {
    if (groups[group].length === 0) {
      if (!roleGroups.has(group)) empty.push(t(`group.${group}`).toLocaleLowerCase(locale));
      continue;
    }
    out.push('', `*${t(`group.${group}`)}*`, ...groups[group]);
  }
  if (empty.length > 0) out.push('', t('empty', { groups: empty.join(', ') }));
  out.push('', t('outro'));
  return out.join('\n');
}
