/**
 * Forms in a modal. A form of several questions (booking, the meeting summary, the agreement) is
 * walked in one modal: each submission answers the open question through the core, and the modal
 * then shows the next question, or closes when the form is done. When the core does not accept an
 * answer, its explanation is shown under the field, and nothing moves on.
 */
import type { Message, Question } from '../../src/message';
import { localParts } from '../../src/time';
import { plain, type Block } from './blocks';

export const MODAL_CALLBACK = 'sparring_answer';
export const ANSWER_BLOCK = 'answer';
const ANSWER_ACTION = 'value';

export const VIEW_LIMITS = { blocks: 100, title: 24, button: 24, metadata: 3000, label: 2000, input: 3000, radio: 10 };

export interface ModalWords {
  title: string;
  submit: string;
  close: string;
  label: string;
}

/** Where the answer goes and where the form started (to tidy up the message it came from). */
export interface ModalMeta {
  questionId: string;
  channel?: string;
}

function inputElement(q: Question): Block {
  switch (q.kind) {
    case 'text':
      return { type: 'plain_text_input', action_id: ANSWER_ACTION, multiline: q.multiline, max_length: Math.min(q.maxLength, VIEW_LIMITS.input) };
    case 'datetime':
      return { type: 'datetimepicker', action_id: ANSWER_ACTION };
    case 'choice':
    case 'rating': {
      const options = q.kind === 'choice' ? q.options : Array.from({ length: q.max - q.min + 1 }, (_, i) => ({ value: String(q.min + i), label: String(q.min + i) }));
      const rendered = options.slice(0, 100).map((o) => ({ text: plain(o.label, 75), value: o.value.slice(0, 150) }));
      return options.length <= VIEW_LIMITS.radio ? { type: 'radio_buttons', action_id: ANSWER_ACTION, options: rendered } : { type: 'static_select', action_id: ANSWER_ACTION, options: rendered };
    }
  }
}

/** The modal that asks `message`'s question; `before` are messages shown above it (e.g. a thank-you). */
export function questionView(message: Message & { question: Question }, words: ModalWords, meta: ModalMeta, before: Message[] = []): Block {
  const text = [...before.map((m) => m.text), message.text].join('\n\n');
  const blocks: Block[] = [];
  for (let rest = text; rest.length > 0 && blocks.length < 20; rest = rest.slice(3000)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, 3000) } });
  blocks.push({
    type: 'input',
    block_id: ANSWER_BLOCK,
    // Empty is allowed through, so that the core can say what it needs (or accept "not yet").
    optional: message.question.kind !== 'choice',
    label: plain(words.label, VIEW_LIMITS.label),
    element: inputElement(message.question),
  });
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK,
    private_metadata: JSON.stringify(meta).slice(0, VIEW_LIMITS.metadata),
    title: plain(words.title, VIEW_LIMITS.title),
    submit: plain(words.submit, VIEW_LIMITS.button),
    close: plain(words.close, VIEW_LIMITS.button),
    // Closing the form half-way tells the bot, which leaves the open question in the DM.
    notify_on_close: true,
    blocks,
  };
}

interface StateValue {
  type: string;
  value?: string | null;
  selected_option?: { value: string; text: { text: string } } | null;
  selected_date_time?: number | null;
}

/**
 * The submitted answer as the text a person would have typed: a date and time in their own zone,
 * a choice's value; an empty date is "not yet" (the core decides whether that may be skipped).
 */
export function submittedAnswer(values: Record<string, Record<string, StateValue>>, zone: string, notYet: string): { value: string; label: string } {
  const v = values[ANSWER_BLOCK]?.[ANSWER_ACTION];
  if (!v) return { value: '', label: '' };
  if (v.type === 'datetimepicker') {
    if (!v.selected_date_time) return { value: notYet, label: notYet };
    const p = localParts(v.selected_date_time * 1000, zone);
    const pad = (n: number) => String(n).padStart(2, '0');
    const text = `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
    return { value: text, label: text };
  }
  if (v.selected_option) return { value: v.selected_option.value, label: v.selected_option.text.text };
  return { value: v.value ?? '', label: v.value ?? '' };
}

export function parseMeta(raw: string | undefined): ModalMeta | null {
  try {
    const meta = JSON.parse(raw ?? '') as Partial<ModalMeta>;
    return typeof meta.questionId === 'string' ? { questionId: meta.questionId, channel: typeof meta.channel === 'string' ? meta.channel : undefined } : null;
  } catch {
    return null;
  }
}

/** What breaks Slack's limits for a modal, if anything. */
export function viewProblems(view: Block): string[] {
  const problems: string[] = [];
  const blocks = view.blocks as Block[];
  if (blocks.length > VIEW_LIMITS.blocks) problems.push(`${blocks.length} blocks in a view`);
  for (const key of ['title', 'submit', 'close'] as const) {
    const t = (view[key] as { text: string } | undefined)?.text ?? '';
    if (t.length > (key === 'title' ? VIEW_LIMITS.title : VIEW_LIMITS.button)) problems.push(`${key} longer than allowed: ${t}`);
  }
  if (String(view.private_metadata ?? '').length > VIEW_LIMITS.metadata) problems.push('private_metadata too long');
  for (const b of blocks) {
    if (b.type === 'section' && (b.text as { text: string }).text.length > 3000) problems.push('section text too long');
    if (b.type === 'input' && (b.label as { text: string }).text.length > VIEW_LIMITS.label) problems.push('input label too long');
  }
  return problems;
}
