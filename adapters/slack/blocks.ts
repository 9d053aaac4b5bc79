/**
 * A platform-neutral Message as Block Kit: the text in sections, the reason in a small context
 * line, a choice as buttons (or a select when there are many), and the answer's place for free text.
 * Every block id carries the question id, so an answer finds its way to the dialogue step it answers.
 */
import type { Message } from '../../src/message';

export type Block = Record<string, unknown> & { type: string };

export const LIMITS = { blocks: 50, sectionText: 3000, contextText: 2000, buttonText: 75, optionText: 75, actionId: 255, value: 2000, buttons: 25, options: 100 };

/** A plain_text object, cut to Slack's limit for its place. */
export const plain = (text: string, max: number) => ({ type: 'plain_text', text: text.length > max ? `${text.slice(0, max - 1)}…` : text, emoji: true });

/** Our light markdown is Slack's mrkdwn already (*bold*, line breaks, • bullets); long text is split. */
function sections(text: string): Block[] {
  const out: Block[] = [];
  let rest = text;
  while (rest.length > 0) {
    let cut = rest.length <= LIMITS.sectionText ? rest.length : rest.lastIndexOf('\n', LIMITS.sectionText);
    if (cut <= 0) cut = LIMITS.sectionText;
    out.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  return out;
}

export interface Rendered {
  text: string;
  blocks: Block[];
}

/** The words around a question that depend on the person's language. */
export interface Hints {
  reply: string;
  openForm: string;
  pickDate: string;
}

export const FORM_ACTION = 'form:open';
const HINT_BLOCK = 'hint';

/** A choice as buttons (up to five) or as one select. */
function choiceElements(options: { value: string; label: string }[]): Block[] {
  if (options.length <= 5) {
    return options.map((o, i) => ({ type: 'button', action_id: `answer:${i}`, text: plain(o.label, LIMITS.buttonText), value: o.value.slice(0, LIMITS.value) }));
  }
  return [{ type: 'static_select', action_id: 'answer:select', options: options.slice(0, LIMITS.options).map((o) => ({ text: plain(o.label, LIMITS.optionText), value: o.value.slice(0, 150) })) }];
}

export function toBlocks(message: Message, hints: Hints): Rendered {
  const blocks: Block[] = sections(message.text);
  const q = message.question;
  if (q?.kind === 'choice') {
    blocks.push({ type: 'actions', block_id: `q:${q.id}`, elements: choiceElements(q.options) });
  } else if (q) {
    // Free text and dates can be typed as a reply, or given in a form (a modal with a date picker).
    blocks.push({ type: 'context', block_id: HINT_BLOCK, elements: [{ type: 'mrkdwn', text: hints.reply }] });
    const label = q.kind === 'datetime' ? hints.pickDate : hints.openForm;
    blocks.push({ type: 'actions', block_id: `q:${q.id}`, elements: [{ type: 'button', action_id: FORM_ACTION, text: plain(label, LIMITS.buttonText), value: q.id.slice(0, LIMITS.value) }] });
  }
  if (message.why) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: message.why.slice(0, LIMITS.contextText) }] });
  return { text: message.text.slice(0, 3000), blocks };
}

/** The message with its question answered: the buttons give way to the answer, so they cannot be pressed twice. */
export function answeredBlocks(blocks: Block[], answered: string): Block[] {
  const shown = answered.length > 300 ? `${answered.slice(0, 299)}…` : answered;
  return blocks.filter((b) => b.block_id !== HINT_BLOCK).map((b) => (b.type === 'actions' ? { type: 'context', elements: [{ type: 'mrkdwn', text: `✓ ${shown}` }] } : b));
}

/** What breaks Slack's published Block Kit limits, if anything. */
export function blockKitProblems(blocks: Block[]): string[] {
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks (at most ${LIMITS.blocks})`);
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  for (const b of blocks) {
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > 255) problems.push(`block_id longer than 255: ${b.block_id}`);
      if (blockIds.has(b.block_id)) problems.push(`block_id repeated: ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'section') {
      const text = (b.text as { text: string }).text;
      if (text.length > LIMITS.sectionText) problems.push(`section text of ${text.length} characters`);
      if (text.length === 0) problems.push('empty section text');
    }
    if (b.type === 'context') {
      const elements = b.elements as { text: string }[];
      if (elements.length > 10) problems.push('more than 10 context elements');
      for (const e of elements) if (e.text.length > LIMITS.contextText) problems.push(`context text of ${e.text.length} characters`);
    }
    if (b.type === 'actions') {
      const elements = b.elements as { action_id: string; text?: { text: string }; value?: string; options?: { text: { text: string } }[] }[];
      if (elements.length > LIMITS.buttons) problems.push(`${elements.length} elements in an actions block`);
      for (const e of elements) {
        if (actionIds.has(e.action_id)) problems.push(`action_id repeated: ${e.action_id}`);
        actionIds.add(e.action_id);
        if (e.action_id.length > LIMITS.actionId) problems.push(`action_id longer than ${LIMITS.actionId}`);
        if (e.text && e.text.text.length > LIMITS.buttonText) problems.push(`button text of ${e.text.text.length} characters: ${e.text.text}`);
        if (e.value && e.value.length > LIMITS.value) problems.push('button value too long');
        if (e.options && e.options.length > LIMITS.options) problems.push(`${e.options.length} options`);
        for (const o of e.options ?? []) if (o.text.text.length > LIMITS.optionText) problems.push(`option text of ${o.text.text.length} characters`);
      }
    }
  }
  return problems;
}
