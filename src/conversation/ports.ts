/** What the conversation's own dialogues (which-did-you-mean, pick from the list) need from the bot. */
import type { Dialogue } from '../dialogues';
import type { Flow, ReplyContext } from '../flows/flow';
import type { Message } from '../message';

export interface ConversationPorts {
  flowOf(dialogue: Dialogue): Flow | undefined;
  runCommand(ctx: ReplyContext, name: string, args: string[]): Message[];
  /** Gives a text to a dialogue as its answer (making it current first). */
  answer(ctx: ReplyContext, dialogue: Dialogue, text: string): Message[];
}
