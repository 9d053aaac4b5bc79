/**
 * The coordinator's commands in chat: status, pairs, pair, match, unmatch, nudge, report, export.
 * Each checks the role first (coordinatorAccess). What they show is counts, dates and flags.
 */
import type { Command, CommandContext } from '../commands/command';
import { getPair, type Pair } from '../pairs';
import type { Message } from '../message';
import type { Programme } from '../programme/programmes';
import { retentionOf } from '../privacy/retention';
import { formatLocal } from '../time';
import { coordinatorAccess } from './access';
import { pairsCsv } from './export';
import { confirmMatch, suggestMatches, unmatchedMentees } from './matching';
import { endPair, nudgeNow, rematchReply } from './pair-actions';
import { resolvePerson, splitRefs } from './refs';
import { anyWithheld, jobShadowingText, seasonReport } from './report';
import { flagMark, pairFlagLines, pairLines, programmeStatus, riskSection } from './status';
import { riskCommands } from './flag-commands';
import { assessPair } from './risk';
import { deskCommand } from '../desk/command';

type Run = (ctx: CommandContext, programme: Programme, args: string[]) => Message[];

function coordinatorCommand(name: string, run: Run): Command {
  return {
    name,
    for: ['coordinator'],
    accepts: () => true,
    run(ctx, args) {
      const access = coordinatorAccess(ctx.core, ctx.person, name, args);
      return access.ok ? run(ctx, access.programme, access.args) : [access.reply];
    },
  };
}

const date = (ctx: CommandContext, at: number | null) => (at === null ? ctx.core.text.t(ctx.person.locale, 'coordinator.pairs.none') : formatLocal(at, ctx.person.timezone, ctx.person.locale, 'date'));

export function statusText(ctx: CommandContext, programme: Programme): string {
  const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
  const s = programmeStatus(ctx.core, programme.id);
  const distribution = Object.entries(s.meetingsPerPair.distribution)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
  const lines = [
    t('coordinator.status.title', { programme: programme.name, date: date(ctx, ctx.core.clock.now()) }),
    t('coordinator.status.participants', { mentees: s.participants.mentee, mentors: s.participants.mentor, coordinators: s.participants.coordinator }),
    t('coordinator.status.pairs', s.pairs),
    t('coordinator.status.meetings', s.meetings),
    t('coordinator.status.perPair', { average: s.meetingsPerPair.average.toLocaleString(ctx.person.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }), distribution: distribution || '—' }),
    t('coordinator.status.noMeeting', { n: s.pairsWithoutMeeting }),
    t('coordinator.status.activity', { preps: s.prepsCompleted, summaries: s.summariesWritten }),
    t('coordinator.status.surveys', s.surveys),
  ];
  if (s.paused.length > 0) lines.push(t('coordinator.status.paused', { list: s.paused.map((p) => `${p.name} (${date(ctx, p.until)})`).join(', ') }));
  const kept = retentionOf(ctx.core, programme.id);
  const withYear = (at: number) => formatLocal(at, ctx.person.timezone, ctx.person.locale, 'dateYear');
  lines.push(
    kept.deletedAt !== null
      ? t('coordinator.status.retentionDone', { date: withYear(kept.deletedAt) })
      : kept.dueAt !== null
        ? t('coordinator.status.retentionDue', { date: withYear(kept.dueAt), months: kept.months })
        : t('coordinator.status.retentionRunning', { months: kept.months }),
  );
  lines.push('', ...riskSection(ctx.core, ctx.person, programme.id));
  return lines.join('\n');
}

function resolve(ctx: CommandContext, programme: Programme, ref: string | undefined, example: string): { personId: number; name: string } | Message {
  const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
  if (!ref) return { text: t('coordinator.person.usage', { example }) };
  const found = resolvePerson(ctx.core, programme.id, ref);
  if (found.ok) return found;
  return { text: t(found.problem === 'ambiguous' ? 'coordinator.person.ambiguous' : 'coordinator.person.unknown', { ref, programme: programme.name, names: found.candidates.join(', ') }) };
}

function activePairOf(ctx: CommandContext, programmeId: number, personId: number): Pair | null {
  const row = ctx.core.db.prepare("SELECT id FROM pairs WHERE programme_id = ? AND status = 'active' AND (mentee_id = ? OR mentor_id = ?)").get(programmeId, personId, personId) as { id: number } | undefined;
  return row ? getPair(ctx.core, row.id) : null;
}

const isMessage = (x: unknown): x is Message => typeof x === 'object' && x !== null && 'text' in x;

export const coordinatorCommands: Command[] = [
  coordinatorCommand('status', (ctx, programme) => [{ text: statusText(ctx, programme) }]),

  coordinatorCommand('pairs', (ctx, programme, args) => {
    const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
    const atRisk = args.some((a) => a.toLowerCase() === 'at-risk');
    const lines = pairLines(ctx.core, programme.id, atRisk);
    // None at risk is good news, not "no pairs yet".
    if (lines.length === 0) return [{ text: t(atRisk && pairLines(ctx.core, programme.id, false).length > 0 ? 'risk.status.none' : 'coordinator.pairs.empty') }];
    return [
      {
        text: [
          t('coordinator.pairs.title', { programme: programme.name, n: lines.length }),
          ...lines.map((l) =>
            t('coordinator.pairs.line', { mentee: l.mentee, mentor: l.mentor, held: l.held, last: date(ctx, l.lastMeeting), next: date(ctx, l.nextMeeting), flag: flagMark(ctx.core, ctx.person, l) }),
          ),
        ].join('\n'),
      },
    ];
  }),

  coordinatorCommand('pair', (ctx, programme, args) => {
    const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
    const who = resolve(ctx, programme, splitRefs(args)[0], 'pair @astrid');
    if (isMessage(who)) return [who];
    const pair = activePairOf(ctx, programme.id, who.personId);
    if (!pair) return [{ text: t('coordinator.pair.none', { name: who.name }) }];
    const db = ctx.core.db;
    const names = db.prepare('SELECT (SELECT name FROM people WHERE id = ?) AS mentee, (SELECT name FROM people WHERE id = ?) AS mentor').get(pair.menteeId, pair.mentorId) as { mentee: string; mentor: string };
    const row = db.prepare('SELECT matched_at, job_shadowing FROM pairs WHERE id = ?').get(pair.id) as { matched_at: number; job_shadowing: string | null };
    const lowCheckin = assessPair(ctx.core, pair.id)?.reasons.some((r) => r.code === 'low_checkin') ?? false;
    const meetings = db
      .prepare(
        `SELECT m.starts_at, m.status, (SELECT completed_at IS NOT NULL FROM preps WHERE meeting_id = m.id) AS prepared,
                EXISTS (SELECT 1 FROM summaries WHERE meeting_id = m.id) AS summed
           FROM meetings m WHERE m.pair_id = ? ORDER BY m.starts_at`,
      )
      .all(pair.id) as { starts_at: number; status: string; prepared: number | null; summed: number }[];
    const checkins = (db.prepare('SELECT count(*) AS n FROM checkins WHERE pair_id = ?').get(pair.id) as { n: number }).n;
    const lines = [
      t('coordinator.pair.title', names),
      t('coordinator.pair.matched', { date: date(ctx, row.matched_at) }),
      ...meetings.map((m) =>
        t('coordinator.pair.meeting', {
          when: formatLocal(m.starts_at, ctx.person.timezone, ctx.person.locale),
          status: t(`common.status.${m.status}`),
          prep: m.prepared ? t('coordinator.pair.prep') : '',
          summary: m.summed ? t('coordinator.pair.summary') : '',
        }),
      ),
      t('coordinator.pair.checkin', { answered: checkins, low: lowCheckin ? t('coordinator.pair.low') : '' }),
      t('coordinator.pair.shadowing', { value: t(`coordinator.pair.shadowing.${row.job_shadowing ?? 'none'}`) }),
    ];
    lines.push(...pairFlagLines(ctx.core, ctx.person, pair.id));
    return [{ text: lines.join('\n') }];
  }),

  coordinatorCommand('match', (ctx, programme, args) => {
    const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
    // `match @a @b again` (igen): the coordinator asks for a repeat of an earlier pairing in so many words.
    const again = args.length > 0 && /^(again|igen)$/i.test(args[args.length - 1]!);
    const refs = splitRefs(again ? args.slice(0, -1) : args);
    if (refs.length === 0) {
      const suggestions = suggestMatches(ctx.core, programme.id);
      const mentees = [...new Set(suggestions.map((s) => s.menteeId))];
      const picks = programme.settings.matching === 'mentee-picks' ? unmatchedMentees(ctx.core, programme.id) : [];
      const count = (w: string | null) => picks.filter((m) => m.waiting === w).length;
      const picking = picks.length > 0 ? [t('season.match.picks', { pick: count('pick'), mentor: count('mentor'), idle: count(null) }), t('season.match.picksHint', { programme: programme.name }), ''] : [];
      if (mentees.length === 0) return [{ text: [...picking, t('coordinator.match.none')].join('\n') }];
      const lines = [...picking, t('coordinator.match.title', { n: mentees.length })];
      for (const menteeId of mentees.slice(0, 15)) {
        const own = suggestions.filter((s) => s.menteeId === menteeId);
        lines.push(t('coordinator.match.mentee', { mentee: own[0]!.mentee }));
        own.forEach((s, i) =>
          lines.push(t('coordinator.match.option', { rank: i + 1, mentor: s.mentor, score: s.score, reasons: [...s.reasons.map((r) => t(`coordinator.match.reason.${r.reason}`, { detail: r.detail ?? '' })), ...s.warnings.map((w) => t(`season.match.warning.${w.warning}`))].join(', ') })),
        );
      }
      if (mentees.length > 15) lines.push(t('coordinator.match.more', { n: mentees.length - 15, programme: programme.name }));
      lines.push('', t('coordinator.match.hint'));
      return [{ text: lines.join('\n') }];
    }
    const mentee = resolve(ctx, programme, refs[0], 'match @astrid @jonas');
    if (isMessage(mentee)) return [mentee];
    const mentor = resolve(ctx, programme, refs[1], 'match @astrid @jonas');
    if (isMessage(mentor)) return [mentor];
    // A mentee who already has a mentor is re-matched: the old pair ends and both old partners are told kindly.
    const current = activePairOf(ctx, programme.id, mentee.personId);
    if (current && current.menteeId === mentee.personId) return rematchReply(ctx, programme, current, mentee, mentor, again);
    const confirmed = confirmMatch(ctx.core, programme.id, mentee.personId, mentor.personId, { allowRepeat: again });
    if (!confirmed.ok && confirmed.problem === 'repeat') {
      const first = (name: string) => name.split(' ')[0]!.toLowerCase();
      return [{ text: t('season.match.repeat', { mentee: mentee.name, mentor: mentor.name, menteeFirst: first(mentee.name), mentorFirst: first(mentor.name) }) }];
    }
    if (!confirmed.ok) {
      const who = confirmed.problem === 'notMentor' || confirmed.problem === 'full' ? mentor : mentee;
      return [{ text: t(`coordinator.match.${confirmed.problem}`, { name: who.name, programme: programme.name, first: who.name.split(' ')[0]!.toLowerCase() }) }];
    }
    return [{ text: t('coordinator.match.done', { mentee: mentee.name, mentor: mentor.name }) }];
  }),

  coordinatorCommand('unmatch', (ctx, programme, args) => {
    const who = resolve(ctx, programme, splitRefs(args)[0], 'unmatch @astrid');
    if (isMessage(who)) return [who];
    const pair = activePairOf(ctx, programme.id, who.personId);
    if (!pair) return [{ text: ctx.core.text.t(ctx.person.locale, 'coordinator.pair.none', { name: who.name }) }];
    const names = ctx.core.db.prepare('SELECT (SELECT name FROM people WHERE id = ?) AS mentee, (SELECT name FROM people WHERE id = ?) AS mentor').get(pair.menteeId, pair.mentorId) as { mentee: string; mentor: string };
    endPair(ctx.core, pair);
    return [{ text: ctx.core.text.t(ctx.person.locale, 'coordinator.unmatch.done', names) }];
  }),

  coordinatorCommand('nudge', (ctx, programme, args) => {
    const who = resolve(ctx, programme, splitRefs(args)[0], 'nudge @astrid');
    if (isMessage(who)) return [who];
    const pair = activePairOf(ctx, programme.id, who.personId);
    if (!pair) return [{ text: ctx.core.text.t(ctx.person.locale, 'coordinator.pair.none', { name: who.name }) }];
    nudgeNow(ctx.core, pair.id, [who.personId], ctx.person.name);
    return [{ text: ctx.core.text.t(ctx.person.locale, 'coordinator.nudge.done', { names: who.name }) }];
  }),

  coordinatorCommand('report', (ctx, programme) => {
    const report = seasonReport(ctx.core, programme.id);
    // The chart's drawing libraries take a third of a second to load: only `report` pays for them.
    const { reportPng } = require('./chart') as typeof import('./chart');
    const png = reportPng(ctx.core, report, ctx.person.locale, programme.name);
    const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
    const pct = (x: number) => `${Math.round(x * 100)} %`;
    const { mentee, mentor } = report.match;
    const lines = [
      t('coordinator.report.chat', { programme: programme.name }),
      '',
      ...report.outcomes.map((r) => (r.shown ? t('coordinator.report.chatLine', { item: t(`coordinator.item.${r.item}`), share: pct(r.share), n: r.n }) : t('coordinator.report.chatLineTooFew', { item: t(`coordinator.item.${r.item}`) }))),
      '',
      mentee.shown && mentor.shown ? t('coordinator.report.chatMatch', { mentees: pct(mentee.share), mentors: pct(mentor.share), n: mentee.n + mentor.n }) : t('coordinator.report.chatMatchTooFew'),
      `${t('coordinator.report.meetingsPerPair', { n: report.meetingsPerPair.toLocaleString(ctx.person.locale, { maximumFractionDigits: 1 }) })} · ${jobShadowingText(ctx.core, report, ctx.person.locale)}`,
    ];
    if (anyWithheld(report)) lines.push('', t('coordinator.report.tooFewNote', { min: report.minGroupSize }));
    return [
      {
        text: lines.join('\n'),
        attachments: [{ filename: 'evaluering.png', mediaType: 'image/png', content: png.toString('base64'), encoding: 'base64' }],
      },
    ];
  }),

  coordinatorCommand('export', (ctx, programme) => {
    const csv = pairsCsv(ctx.core, programme.id);
    const n = (ctx.core.db.prepare('SELECT count(*) AS n FROM pairs WHERE programme_id = ?').get(programme.id) as { n: number }).n;
    return [
      {
        text: ctx.core.text.t(ctx.person.locale, 'coordinator.export.done', { programme: programme.name, n }),
        attachments: [{ filename: 'par.csv', mediaType: 'text/csv', content: csv }],
      },
    ];
  }),

  deskCommand,
  ...riskCommands,
];
