/**
 * Gathers everything Sparring holds about one person (see person-data.ts for the shape, and
 * coverage.ts for where each table goes): the profile and how they are reached, roles, the season
 * (gather-season.ts), survey answers, pauses, and the conversation with the bot.
 */
import type { Core } from '../core';
import type { Person, Role } from '../people';
import { gatherGoals } from './gather-goals';
import { gatherSeason, iso } from './gather-season';
import type { PersonExport } from './person-data';

const parseJson = (text: string | null): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text ?? '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

function identities(core: Core, person: Person): PersonExport['person']['identities'] {
  const rows = core.db.prepare('SELECT platform, platform_id, address, workspace FROM identities WHERE person_id = ? ORDER BY platform, platform_id').all(person.id) as {
    platform: string;
    platform_id: string;
    address: string | null;
    workspace: string | null;
  }[];
  return rows.map((r) => {
    const identity: PersonExport['person']['identities'][number] = { platform: r.platform, platformId: r.platform_id, reachable: r.address !== null, workspace: r.workspace };
    if (r.platform === 'teams') {
      const t = core.db.prepare('SELECT tenant_id, aad_object_id, updated_at FROM teams_conversations WHERE user_id = ?').get(r.platform_id) as
        | { tenant_id: string | null; aad_object_id: string | null; updated_at: number }
        | undefined;
      if (t) identity.teams = { tenantId: t.tenant_id, aadObjectId: t.aad_object_id, savedAt: iso(t.updated_at) };
    }
    if (r.platform === 'slack') {
      const q = core.db.prepare('SELECT question_id FROM slack_questions WHERE user_id = ?').get(r.platform_id) as { question_id: string } | undefined;
      if (q) identity.slackQuestionWaiting = q.question_id;
    }
    return identity;
  });
}

function conversation(core: Core, person: Person): PersonExport['conversation'] {
  // Questions asked in the chat: the open ones with the answers given so far, and (once closed) only
  // when and how they closed. Read column by column, so that an older store without them still works.
  const dialogues = core.db.prepare('SELECT * FROM dialogues WHERE person_id = ?').all(person.id) as Record<string, unknown>[];
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const isoOf = (v: unknown) => (num(v) === null ? null : iso(num(v)!));
  return {
    questions: dialogues
      .map((d) => ({
        flow: String(d.flow),
        step: String(d.step),
        status: typeof d.status === 'string' ? d.status : 'open',
        meetingId: num(d.meeting_id),
        askedAt: isoOf(d.created_at ?? d.updated_at),
        expiresAt: isoOf(d.expires_at),
        closedAt: isoOf(d.closed_at),
        answersSoFar: (parseJson(typeof d.state === 'string' ? d.state : null).answers as Record<string, unknown> | undefined) ?? {},
      }))
      .sort((a, b) => (a.askedAt ?? '').localeCompare(b.askedAt ?? '')),
    messages: (core.db.prepare('SELECT kind, status, due_at, delivered_at FROM nudges WHERE person_id = ? ORDER BY due_at, id').all(person.id) as {
      kind: string;
      status: string;
      due_at: number;
      delivered_at: number | null;
    }[]).map((n) => ({ kind: n.kind, status: n.status, dueAt: iso(n.due_at), deliveredAt: n.delivered_at === null ? null : iso(n.delivered_at) })),
    localChat: (core.db.prepare('SELECT message, delivered_at FROM local_inbox WHERE person_id = ? ORDER BY delivered_at, id').all(person.id) as {
      message: string;
      delivered_at: number;
    }[]).map((m) => ({ deliveredAt: iso(m.delivered_at), text: localText(m.message) })),
    toCoordinator: (core.db
      .prepare('SELECT g.name AS programme, c.kind, c.message, c.created_at FROM coordinator_messages c JOIN programmes g ON g.id = c.programme_id WHERE c.person_id = ? ORDER BY c.created_at, c.id')
      .all(person.id) as { programme: string; kind: string; message: string | null; created_at: number }[]).map((m) => ({ programme: m.programme, about: m.kind, message: m.message, sentAt: iso(m.created_at) })),
  };
}

/** The local chat stores the delivered Message as JSON; the person's copy is its text. */
function localText(stored: string): string {
  const parsed = parseJson(stored);
  return typeof parsed.text === 'string' ? parsed.text : stored;
}

export function gatherPerson(core: Core, person: Person): PersonExport {
  const db = core.db;
  const now = core.clock.now();
  const row = db.prepare('SELECT created_at FROM people WHERE id = ?').get(person.id) as { created_at: number } | undefined;
  const roles = db
    .prepare('SELECT g.name AS programme, pa.role, pa.joined_at, pa.profile FROM participants pa JOIN programmes g ON g.id = pa.programme_id WHERE pa.person_id = ? ORDER BY pa.joined_at, g.name')
    .all(person.id) as { programme: string; role: Role; joined_at: number; profile: string }[];
  const surveys = db
    .prepare(
      `SELECT g.name AS programme, s.role, s.item, s.value, s.text, s.answered_at FROM survey_responses s JOIN programmes g ON g.id = s.programme_id
        WHERE s.person_id = ? ORDER BY s.answered_at, s.id`,
    )
    .all(person.id) as { programme: string; role: string; item: string; value: number | null; text: string | null; answered_at: number }[];
  return {
    exportedAt: iso(now),
    person: {
      id: person.id,
      name: person.name,
      email: person.email,
      language: person.locale,
      timeZone: person.timezone,
      createdAt: iso(row?.created_at ?? now),
      identities: identities(core, person),
    },
    roles: roles.map((r) => ({ programme: r.programme, role: r.role, since: iso(r.joined_at), details: parseJson(r.profile) })),
    ...gatherSeason(core, person),
    ...gatherGoals(core, person),
    surveys: surveys.map((s) => ({ programme: s.programme, role: s.role, item: s.item, value: s.value, text: s.text, answeredAt: iso(s.answered_at) })),
    pauses: person.pausedUntil === null ? [] : [{ pausedUntil: iso(person.pausedUntil), activeNow: person.pausedUntil > now }],
    conversation: conversation(core, person),
  };
}
