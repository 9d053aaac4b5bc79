/**
 * A person's own overview, for a platform's home view (Slack's App Home): the next meeting of each
 * pair, the open action items, whether a question waits for an answer, and for coordinators the
 * programme's status. Counts and dates for coordinators; a participant sees only their own pair.
 */
import type { CommandContext } from './commands/command';
import { statusText } from './coordinator/commands';
import type { Core } from './core';
import { currentDialogue } from './dialogues';
import { nextMeeting } from './meetings';
import { activePairsOf, partnerName } from './pairs';
import { getPerson, type Person } from './people';
import { getProgramme } from './programme/programmes';
import { formatLocal } from './time';

export interface HomeSection {
  heading: string;
  text: string;
}

function pairSections(core: Core, person: Person): HomeSection[] {
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  return activePairsOf(core, person.id).map((pair) => {
    const other = partnerName(core, pair, person.id);
    const next = nextMeeting(core, pair.id);
    const meeting = next
      ? t('home.nextMeeting', { when: formatLocal(next.startsAt, person.timezone, person.locale), place: next.place ?? '—' })
      : t(pair.menteeId === person.id ? 'home.noMeetingMentee' : 'home.noMeetingMentor');
    const items = core.db
      .prepare(
        `SELECT a.text, p.name AS owner FROM action_items a JOIN people p ON p.id = a.owner_id
          WHERE a.pair_id = ? AND a.done_at IS NULL ORDER BY a.created_at, a.id LIMIT 10`,
      )
      .all(pair.id) as { text: string; owner: string }[];
    const actions = items.length === 0 ? t('home.noActions') : [t('home.actions'), ...items.map((i) => `• ${i.text} — ${i.owner}`)].join('\n');
    return { heading: t('home.pair', { other }), text: `${meeting}\n\n${actions}` };
  });
}

export function homeFor(core: Core, personId: number): HomeSection[] {
  const person = getPerson(core, personId);
  if (!person) return [];
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  const sections: HomeSection[] = [];
  const dialogue = currentDialogue(core, person.id);
  sections.push({ heading: t('home.waitingHeading'), text: dialogue ? t('home.waiting') : t('home.nothingWaiting') });
  sections.push(...pairSections(core, person));
  const ctx: CommandContext = { core, person };
  const coordinated = core.db.prepare("SELECT programme_id AS id FROM participants WHERE person_id = ? AND role = 'coordinator' ORDER BY programme_id").all(person.id) as { id: number }[];
  for (const { id } of coordinated) sections.push({ heading: t('home.programme'), text: statusText(ctx, getProgramme(core, id)) });
  if (sections.length === 1 && coordinated.length === 0) sections.push({ heading: t('home.welcomeHeading'), text: t('common.notParticipant') });
  sections.push({ heading: t('home.helpHeading'), text: t('home.help') });
  return sections;
}
