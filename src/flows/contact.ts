/**
 * Writing privately to the coordinator: at any time (`contact` / `kontakt`), from a low check-in, or
 * as the fit check's request for a new match. The person chooses what it is about ("this isn't
 * working", "I want to leave", a question; a mentor also "the pair needs attention", which carries no
 * words), then writes an optional message. The coordinators of the programme each get it as a direct
 * message naming the person and the programme; the pair is flagged (recordHelpRequest). The partner
 * is never sent anything. The message is the person's own, to the coordinator: it is stored only in
 * coordinator_messages (erased with the person, deleted at retention) and never logged.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { coordinatorsOf } from '../coordinator/notify';
import { recordHelpRequest } from '../coordinator/requests';
import type { Message } from '../message';
import { getPair, type Pair } from '../pairs';
import { firstName, getPerson, type Person } from '../people';
import { getProgramme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { inTransaction } from '../store/database';
import { DAY } from '../time';
import type { FlowDefinition } from './definition';
import { formFlow, startForm, type FormContext, type FormSpec } from './form';
import { plan } from './plan';

export const CONTACT_MESSAGE = 'contact.message';

/** What a person writes to the coordinator about; `rematch` comes from the fit check only. */
export type ContactKind = 'notWorking' | 'leave' | 'question' | 'attention' | 'rematch';

const stored: Record<ContactKind, string> = { notWorking: 'not_working', leave: 'leave', question: 'question', attention: 'attention', rematch: 'rematch' };
const kindOf = (column: string): ContactKind => (Object.entries(stored).find(([, v]) => v === column)?.[0] as ContactKind | undefined) ?? 'question';

/** Where the person writes from: the programme, and the pair when they are in one. */
export interface ContactPlace {
  programmeId: number;
  pairId: number | null;
}

/** The person's active pairs, newest last. */
function pairsOf(core: Core, personId: number): Pair[] {
  const ids = core.db.prepare("SELECT id FROM pairs WHERE status = 'active' AND (mentee_id = ? OR mentor_id = ?) ORDER BY matched_at, id").pluck().all(personId, personId) as number[];
  return ids.map((id) => getPair(core, id)!);
}

/**
 * Where a person writes to the coordinator from: their one active pair, the pair whose partner they
 * name (a mentor with several mentees), or their latest programme as a participant. `choose` lists the
 * partners when there are several and none was named; null when the person is in no programme.
 */
export function contactPlace(core: Core, person: Person, partner?: string): ContactPlace | { choose: string[] } | null {
  const pairs = pairsOf(core, person.id);
  const partnerOf = (p: Pair) => getPerson(core, p.menteeId === person.id ? p.mentorId : p.menteeId);
  if (partner) {
    const wanted = partner.replace(/^<?@/, '').replace(/>$/, '').toLowerCase();
    const hit = pairs.find((p) => {
      const name = partnerOf(p)?.name.toLowerCase() ?? '';
      return name === wanted || firstName(name) === wanted || name.split(' ')[0] === wanted;
    });
    if (hit) return { programmeId: hit.programmeId, pairId: hit.id };
  }
  if (pairs.length === 1) return { programmeId: pairs[0]!.programmeId, pairId: pairs[0]!.id };
  if (pairs.length > 1) return { choose: pairs.map((p) => firstName(partnerOf(p)?.name ?? '?')) };
  const row = core.db
    .prepare("SELECT programme_id FROM participants WHERE person_id = ? AND role IN ('mentee', 'mentor') ORDER BY joined_at DESC, programme_id DESC LIMIT 1")
    .get(person.id) as { programme_id: number } | undefined;
  return row ? { programmeId: row.programme_id, pairId: null } : null;
}

const isMentorIn = (core: Core, personId: number, programmeId: number) =>
  !!core.db.prepare("SELECT 1 FROM participants WHERE person_id = ? AND programme_id = ? AND role = 'mentor'").get(personId, programmeId);

/** The coordinators' names ("Helle Munk" / "Helle Munk and Per Lund"), or the programme's contact. */
function coordinatorNames(core: Core, person: Person, programmeId: number): string {
  const names = coordinatorsOf(core, programmeId).map((id) => getPerson(core, id)?.name ?? '').filter(Boolean);
  if (names.length === 0) return core.text.t(person.locale, 'contact.theCoordinator');
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} ${core.text.t(person.locale, 'contact.and')} ${names[names.length - 1]}`;
}

function partnerFirst(core: Core, pairId: number | null, personId: number): string {
  const pair = pairId === null ? null : getPair(core, pairId);
  if (!pair) return '';
  return firstName(getPerson(core, pair.menteeId === personId ? pair.mentorId : pair.menteeId)?.name ?? '');
}

const kindSteps = ['kind', 'kindMentor', 'offer', 'offerMentor'] as const;

export const contactForm: FormSpec = {
  name: 'contact',
  steps: {
    kind: { kind: 'choice', options: ['notWorking', 'leave', 'question'], labels: 'contact.choice' },
    kindMentor: { kind: 'choice', options: ['notWorking', 'leave', 'question', 'attention'], labels: 'contact.choice' },
    // Offered at the end of a low check-in: "nothing" comes first, so saying nothing is one tap.
    offer: { kind: 'choice', options: ['none', 'notWorking', 'leave', 'question'], labels: 'contact.choice' },
    offerMentor: { kind: 'choice', options: ['none', 'notWorking', 'leave', 'question', 'attention'], labels: 'contact.choice' },
    message: { kind: 'text', skippable: true },
  },
  next(step, answer) {
    if (step === 'message' || answer === 'none' || answer === 'attention') return null;
    return 'message';
  },
  vars(ctx) {
    const programmeId = ctx.dialogue.state.programmeId as number;
    const pairId = (ctx.dialogue.state.pairId as number | null | undefined) ?? null;
    const other = partnerFirst(ctx.core, pairId, ctx.person.id);
    return {
      coordinator: coordinatorNames(ctx.core, ctx.person, programmeId),
      programme: getProgramme(ctx.core, programmeId).name,
      other: other || ctx.core.text.t(ctx.person.locale, 'contact.nobody'),
    };
  },
  finish(ctx, answers) {
    const step = kindSteps.find((s) => answers[s] !== undefined && answers[s] !== null);
    const kind = step ? (answers[step] as string) : 'none';
    const t = (key: string) => ctx.core.text.t(ctx.person.locale, key, contactForm.vars!(ctx));
    if (kind === 'none') return [{ text: t('contact.nothingSent') }];
    const message = typeof answers.message === 'string' ? answers.message : null;
    return [sendToCoordinator(ctx.core, ctx.person, placeOf(ctx), kind as ContactKind, message)];
  },
};

const placeOf = (ctx: FormContext): ContactPlace => ({ programmeId: ctx.dialogue.state.programmeId as number, pairId: (ctx.dialogue.state.pairId as number | null | undefined) ?? null });

export const contactFlow = formFlow(contactForm);

/** Opens the contact form and returns its first question: what it is about (the mentor's list has "needs attention"). */
export function startContact(core: Core, person: Person, place: ContactPlace, from: 'command' | 'checkin' = 'command'): Message {
  const mentor = isMentorIn(core, person.id, place.programmeId) && (place.pairId === null || getPair(core, place.pairId)?.mentorId === person.id);
  const step = from === 'checkin' ? (mentor ? 'offerMentor' : 'offer') : mentor ? 'kindMentor' : 'kind';
  // The check-in's offer is a side question: it gives way after two days, the command's after a week.
  return startForm(contactForm, core, person, { state: { ...place }, step, expiresAt: core.clock.now() + (from === 'checkin' ? 2 : 7) * DAY });
}

/**
 * Records the person's message to the coordinators of the programme, flags the pair (a request for a
 * new match from `rematch`, a request for help otherwise) and plans one direct message to each
 * coordinator. Nothing goes to the partner. Returns the receipt for the person, saying who reads it.
 */
export function sendToCoordinator(core: Core, person: Person, place: ContactPlace, kind: ContactKind, message: string | null): Message {
  const programme = getProgramme(core, place.programmeId);
  const coordinators = coordinatorsOf(core, place.programmeId);
  inTransaction(core.db, () => {
    const now = core.clock.now();
    const text = kind === 'attention' || kind === 'rematch' ? null : message;
    const { lastInsertRowid } = core.db
      .prepare('INSERT INTO coordinator_messages (programme_id, pair_id, person_id, kind, message, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(place.programmeId, place.pairId, person.id, stored[kind], text, now);
    const pair = place.pairId === null ? null : getPair(core, place.pairId);
    // A question is a message, not a pair at risk: only the other kinds raise a flag (and an alert at once).
    if (pair && pair.status === 'active' && kind !== 'question') recordHelpRequest(core, { pairId: pair.id, personId: person.id, kind: kind === 'rematch' ? 'rematch' : 'help' });
    for (const coordinatorId of coordinators) {
      plan(core, {
        key: `${CONTACT_MESSAGE}:${Number(lastInsertRowid)}:${coordinatorId}`,
        kind: CONTACT_MESSAGE,
        personId: coordinatorId,
        subject: `coordinator:${coordinatorId}:contact`,
        payload: { messageId: Number(lastInsertRowid) },
        dueAt: now,
      });
    }
  });
  core.wake();
  const other = partnerFirst(core, place.pairId, person.id);
  const vars = {
    coordinator: coordinatorNames(core, person, place.programmeId),
    programme: programme.name,
    other: other || core.text.t(person.locale, 'contact.nobody'),
    contact: programme.settings.contacts.coordinator ?? core.text.t(person.locale, 'welcome.noContact'),
  };
  const t = (key: string) => core.text.t(person.locale, key, vars);
  if (coordinators.length === 0) return { text: t('contact.receipt.noCoordinator') };
  const lines = [t(kind === 'attention' ? 'contact.receipt.attention' : kind === 'rematch' ? 'contact.receipt.rematch' : 'contact.receipt')];
  lines.push(t(other ? 'contact.receipt.private' : 'contact.receipt.privateAlone'));
  return { text: lines.join(' ') };
}

const payload = z.object({ messageId: z.number().int() });

interface MessageRow {
  programme_id: number;
  pair_id: number | null;
  person_id: number;
  kind: string;
  message: string | null;
}

/** To a coordinator: who wrote, in which programme, about what, and their words (if any) as they wrote them. */
export const contactMessageTask: NudgeTask<z.infer<typeof payload>> = {
  kind: CONTACT_MESSAGE,
  payload,
  compose({ core, payload, person }) {
    const row = core.db.prepare('SELECT programme_id, pair_id, person_id, kind, message FROM coordinator_messages WHERE id = ?').get(payload.messageId) as MessageRow | undefined;
    if (!row) return { drop: 'the message is gone (erased)' };
    const writer = getPerson(core, row.person_id);
    if (!writer) return { drop: 'the writer is gone' };
    const programme = getProgramme(core, row.programme_id);
    const pair = row.pair_id === null ? null : getPair(core, row.pair_id);
    const partner = pair ? getPerson(core, pair.menteeId === writer.id ? pair.mentorId : pair.menteeId) : null;
    const role = pair ? (pair.menteeId === writer.id ? 'mentee' : 'mentor') : isMentorIn(core, writer.id, row.programme_id) ? 'mentor' : 'mentee';
    const t = (key: string) =>
      core.text.t(person.locale, key, {
        name: writer.name,
        first: firstName(writer.name),
        role: core.text.t(person.locale, `contact.role.${role}`),
        programme: programme.name,
        partner: partner?.name ?? '',
        other: partner ? firstName(partner.name) : '',
      });
    const kind = kindOf(row.kind);
    const lines = [t(partner ? 'contact.toCoordinator.head' : 'contact.toCoordinator.headAlone'), t(`contact.toCoordinator.${kind}`)];
    if (row.message) lines.push(row.message.split(/\r?\n/).map((l) => `> ${l}`).join('\n'));
    lines.push(t(!partner ? 'contact.toCoordinator.hintAlone' : kind === 'question' ? 'contact.toCoordinator.hintQuestion' : 'contact.toCoordinator.hint'));
    return { text: lines.join('\n\n'), why: t('contact.toCoordinator.why') };
  },
};

export const contactDefinition: FlowDefinition = {
  name: 'contact',
  dialogues: [contactFlow],
  tasks: [contactMessageTask],
  stores: ['coordinator_messages', 'help_requests'],
};
