/** The two nudges of preparation: the prompt to the mentee, and the agenda to the mentor when shared. */
import { z } from 'zod';
import { openDialogueOf } from '../../dialogues';
import type { NudgeTask } from '../../scheduler/task';
import { isUpcoming, meetingContext, meetingWhen } from '../meeting-context';
import { askStep, openPrepDialogue } from './flow';
import { PREP_AGENDA, PREP_PROMPT } from './plan';
import { getPrep, prepQuestions } from './store';

const payload = z.object({ meetingId: z.number().int().positive() });

export const prepPromptTask: NudgeTask<z.infer<typeof payload>> = {
  kind: PREP_PROMPT,
  opensDialogue: true,
  payload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || !isUpcoming(core, m.meeting)) return { drop: 'the meeting is no longer ahead' };
    if (m.pair.status !== 'active') return { drop: 'the pair has ended' };
    if (getPrep(core, m.meeting.id)?.completedAt) return { drop: 'already prepared' };
    const open = openDialogueOf(core, person.id);
    if (open?.flow === 'prep' && open.meetingId === m.meeting.id) return { drop: 'preparation already under way' };
    const when = meetingWhen(m.meeting, person);
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, { name: person.name.split(' ')[0]!, mentor: m.mentor.name, when, ...vars });
    const first = askStep(core, person, m, prepQuestions[0]);
    return {
      text: `${t('prep.intro')}\n\n${first.text}`,
      why: t('prep.why', { days: m.programme.settings.prepLeadDays }),
      question: first.question,
    };
  },
  delivered({ core, payload }) {
    const m = meetingContext(core, payload.meetingId);
    if (m) openPrepDialogue(core, m);
  },
};

export const prepAgendaTask: NudgeTask<z.infer<typeof payload>> = {
  kind: PREP_AGENDA,
  payload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || !isUpcoming(core, m.meeting)) return { drop: 'the meeting is no longer ahead' };
    const prep = getPrep(core, m.meeting.id);
    if (!prep?.shared) return { drop: 'the mentee has not shared the preparation' };
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, { mentee: m.mentee.name, when: meetingWhen(m.meeting, person), ...vars });
    const lines = prepQuestions
      .filter((q) => prep.answers[q])
      .map((q) => t(`prep.agenda.${q}`, { answer: prep.answers[q]! }));
    return { text: [t('prep.agenda'), '', ...lines, '', t('prep.agenda.tip')].join('\n'), why: t('prep.agenda.why') };
  },
};
