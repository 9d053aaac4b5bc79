/**
 * A meeting as a calendar file for one of the two people: the same UID for both and for every
 * version of the meeting (meeting-<id>-<installation>@sparring), SEQUENCE from the meeting (raised on
 * every move; a cancellation one higher), the place as LOCATION, the online link as URL, the
 * organizer from CALENDAR_ORGANIZER (core.calendarOrganizer) and both people as attendees. The
 * texts are in the reader's language.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '../core';
import type { Meeting } from '../meetings';
import type { Attachment } from '../message';
import type { Person } from '../people';
import type { Db } from '../store/database';
import { MINUTE } from '../time';
import { buildIcs } from './ics';

export const INSTALLATION_KEY = 'installation.id';

const known = new WeakMap<Db, string>();

/** This installation's id: generated once (migration 0012, or here should it be missing) and kept. */
export function installationId(db: Db): string {
  const cached = known.get(db);
  if (cached) return cached;
  const read = () => (db.prepare('SELECT value FROM kv WHERE key = ?').get(INSTALLATION_KEY) as { value: string } | undefined)?.value;
  let id = read();
  if (!id) {
    db.prepare('INSERT OR IGNORE INTO kv (key, value) VALUES (?, ?)').run(INSTALLATION_KEY, randomBytes(8).toString('hex'));
    id = read()!;
  }
  known.set(db, id);
  return id;
}

export const meetingUid = (meetingId: number, installation: string): string => `meeting-${meetingId}-${installation}@sparring`;

/** The meeting's online link (Teams, Zoom, Meet …), if one was given. */
export function onlineUrlOf(core: Core, meetingId: number): string | null {
  const row = core.db.prepare('SELECT online_url FROM meetings WHERE id = ?').get(meetingId) as { online_url: string | null } | undefined;
  return row?.online_url ?? null;
}

export interface MeetingPeople {
  meeting: Meeting;
  mentee: Person;
  mentor: Person;
}

export function meetingInvitation(core: Core, m: MeetingPeople, reader: Person, method: 'REQUEST' | 'CANCEL', sequence: number): Attachment {
  const t = (key: string, vars: Record<string, string> = {}) => core.text.t(reader.locale, key, { mentee: m.mentee.name, mentor: m.mentor.name, ...vars });
  return {
    filename: t('meeting.ics.filename'),
    mediaType: 'text/calendar',
    content: buildIcs({
      uid: meetingUid(m.meeting.id, installationId(core.db)),
      sequence,
      method,
      start: m.meeting.startsAt,
      end: m.meeting.startsAt + m.meeting.durationMin * MINUTE,
      stamp: core.clock.now(),
      summary: t('meeting.ics.summary'),
      location: m.meeting.place,
      url: onlineUrlOf(core, m.meeting.id),
      description: t('meeting.ics.description'),
      organizer: core.calendarOrganizer ?? null,
      attendees: [m.mentee, m.mentor].map((p) => ({ name: p.name, email: p.email })),
      words: { online: (url) => t('calendar.online', { url }), with: (names) => t('calendar.with', { names }) },
    }),
  };
}
