/** What Sparring holds about one person, for `mydata` and `export-person`: their own data only. */
import type { Core } from '../core';
import type { Person, Role } from '../people';
import { formatLocal } from '../time';

export interface PersonExport {
  person: { id: number; name: string; email: string | null; locale: string; timezone: string; pausedUntil: string | null };
  identities: { platform: string; platformId: string }[];
  roles: { programme: string; role: Role }[];
  pairs: {
    pairId: number;
    mentee: string;
    mentor: string;
    meetings: { startsAt: string; status: string; prep?: Record<string, string | null> }[];
  }[];
}

export function exportPerson(core: Core, person: Person): PersonExport {
  const iso = (ms: number) => new Date(ms).toISOString();
  const pairs = core.db
    .prepare(
      `SELECT p.id, p.mentee_id, me.name AS mentee, mo.name AS mentor FROM pairs p
         JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id
        WHERE p.mentee_id = ? OR p.mentor_id = ?`,
    )
    .all(person.id, person.id) as { id: number; mentee_id: number; mentee: string; mentor: string }[];
  return {
    person: {
      id: person.id,
      name: person.name,
      email: person.email,
      locale: person.locale,
      timezone: person.timezone,
      pausedUntil: person.pausedUntil ? iso(person.pausedUntil) : null,
    },
    identities: core.db.prepare('SELECT platform, platform_id AS platformId FROM identities WHERE person_id = ?').all(person.id) as PersonExport['identities'],
    roles: core.db
      .prepare('SELECT g.name AS programme, pa.role FROM participants pa JOIN programmes g ON g.id = pa.programme_id WHERE pa.person_id = ?')
      .all(person.id) as PersonExport['roles'],
    pairs: pairs.map((p) => ({
      pairId: p.id,
      mentee: p.mentee,
      mentor: p.mentor,
      meetings: (core.db.prepare('SELECT id, starts_at, status FROM meetings WHERE pair_id = ? ORDER BY starts_at').all(p.id) as {
        id: number;
        starts_at: number;
        status: string;
      }[]).map((m) => {
        const meeting: PersonExport['pairs'][number]['meetings'][number] = { startsAt: iso(m.starts_at), status: m.status };
        // The preparation is the mentee's own: it is exported to the mentee, never to the mentor.
        if (p.mentee_id === person.id) {
          const answers = core.db.prepare('SELECT question, answer FROM prep_answers WHERE meeting_id = ?').all(m.id) as {
            question: string;
            answer: string | null;
          }[];
          if (answers.length > 0) meeting.prep = Object.fromEntries(answers.map((a) => [a.question, a.answer]));
        }
        return meeting;
      }),
    })),
  };
}

export function exportPersonText(core: Core, person: Person): string {
  const data = exportPerson(core, person);
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  const when = (iso: string) => formatLocal(Date.parse(iso), person.timezone, person.locale);
  const lines = [
    t('common.mydata.intro'),
    t('common.mydata.person', { name: person.name, email: person.email ?? t('common.mydata.none'), locale: person.locale, timezone: person.timezone }),
    t('common.mydata.roles', {
      roles: data.roles.map((r) => `${t(`common.role.${r.role}`)} (${r.programme})`).join(', ') || t('common.mydata.none'),
    }),
  ];
  if (data.person.pausedUntil) lines.push(t('common.mydata.paused', { until: when(data.person.pausedUntil) }));
  for (const pair of data.pairs) {
    lines.push('', t('common.mydata.pair', { mentee: pair.mentee, mentor: pair.mentor }));
    for (const m of pair.meetings) {
      lines.push(t('common.mydata.meeting', { when: when(m.startsAt), status: t(`common.status.${m.status}`) }));
      for (const [question, answer] of Object.entries(m.prep ?? {})) {
        lines.push(t('common.mydata.prepAnswer', { question: t(`prep.question.${question}`), answer: answer ?? t('common.answer.skipped') }));
      }
    }
  }
  return lines.join('\n');
}
