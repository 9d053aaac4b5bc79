/**
 * A mentor who meets a worry: when a mentor writes something that speaks of study rules and exams, or
 * of stress, anxiety and the like, the bot answers the mentor alone with what lies outside the
 * mentoring and where to point the mentee (the programme's own contacts), and how to tell the
 * coordinator that the pair needs attention without passing on what the mentee said (`contact`).
 * The same guidance is in `help` for mentors. Nothing is recorded (src/flows/signposting.ts calls this).
 */
import type { Core } from '../core';
import type { Person } from '../people';
import { getProgramme } from '../programme/programmes';
import type { SignpostKind } from './signposting';

/** The programme the person is a mentor in (the latest joined), if any. */
function mentorProgramme(core: Core, personId: number): number | null {
  const row = core.db.prepare("SELECT programme_id FROM participants WHERE person_id = ? AND role = 'mentor' ORDER BY joined_at DESC, programme_id DESC LIMIT 1").get(personId) as
    | { programme_id: number }
    | undefined;
  return row?.programme_id ?? null;
}

function contactsFor(core: Core, person: Person, programmeId: number): Record<SignpostKind, string> {
  const { contacts } = getProgramme(core, programmeId).settings;
  return {
    study: contacts.studyCounselling ?? core.text.t(person.locale, 'fit.mentor.contact.study'),
    wellbeing: contacts.wellbeing ?? core.text.t(person.locale, 'fit.mentor.contact.wellbeing'),
  };
}

/** The guidance for a mentor whose text touches these kinds of worry; empty for anyone who is not a mentor. */
export function mentorWorryLines(core: Core, person: Person, kinds: readonly SignpostKind[]): string[] {
  if (kinds.length === 0) return [];
  const programmeId = mentorProgramme(core, person.id);
  if (programmeId === null) return [];
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  const contacts = contactsFor(core, person, programmeId);
  const or = ` ${t('fit.mentor.worry.and')} `;
  return [
    t('fit.mentor.worry', {
      topics: kinds.map((k) => t(`fit.mentor.worry.${k}`)).join(or),
      contacts: kinds.map((k) => contacts[k]).join(or),
    }),
  ];
}

/** The mentor's lines in `help`: what is out of scope, where to point the mentee, and `contact`. */
export function mentorHelpLines(core: Core, person: Person): string[] {
  const programmeId = mentorProgramme(core, person.id);
  if (programmeId === null) return [];
  return [core.text.t(person.locale, 'fit.mentor.help', contactsFor(core, person, programmeId))];
}
