/**
 * Teams gives a bot no simple way to send a file, so a calendar invitation (.ics) becomes a link that
 * opens the event, filled in, in the person's Outlook calendar (Microsoft 365's compose deep link).
 * A cancellation (METHOD:CANCEL, or a published event with STATUS:CANCELLED) has no link: its text
 * says it, and there is nothing to add. The online-meeting link is in the description, so in the body.
 */

/** The properties of the first VEVENT of an iCalendar text, unfolded and unescaped. */
export function readEvent(ics: string): Record<string, string> {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const props: Record<string, string> = {};
  let inEvent = false;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') inEvent = true;
    else if (line === 'END:VEVENT') break;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).split(';')[0]!.toUpperCase();
    const value = line.slice(colon + 1).replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');
    if (name === 'METHOD' || inEvent) props[name] ??= value;
  }
  return props;
}

/** 20261008T140000Z → 2026-10-08T14:00:00Z */
const isoOf = (utc: string) => utc.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');

export function outlookLink(ics: string): string | null {
  const e = readEvent(ics);
  if (e.METHOD === 'CANCEL' || e.STATUS === 'CANCELLED' || !e.DTSTART || !e.DTEND || !/Z$/.test(e.DTSTART)) return null;
  const query = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: e.SUMMARY ?? '',
    startdt: isoOf(e.DTSTART),
    enddt: isoOf(e.DTEND),
    ...(e.LOCATION ? { location: e.LOCATION } : {}),
    ...(e.DESCRIPTION ? { body: e.DESCRIPTION } : {}),
  });
  return `https://outlook.office.com/calendar/0/deeplink/compose?${query.toString()}`;
}
