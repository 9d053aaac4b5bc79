/**
 * The platform-neutral language between the core and the adapters. An adapter renders a Message
 * as Block Kit, an Adaptive Card or terminal lines, and turns a platform event into an Inbound.
 */

export interface ChoiceOption {
  value: string;
  label: string;
}

export type Question =
  | { kind: 'text'; id: string; multiline: boolean; maxLength: number }
  | { kind: 'choice'; id: string; options: ChoiceOption[] }
  | { kind: 'datetime'; id: string }
  | { kind: 'rating'; id: string; min: number; max: number };

/** A file sent with a message, e.g. a calendar invitation. */
export interface Attachment {
  filename: string;
  mediaType: string;
  /** The file's content: text as it is, or binary in base64 (see encoding). */
  content: string;
  encoding?: 'base64';
}

export function attachmentBytes(a: Attachment): Buffer {
  return a.encoding === 'base64' ? Buffer.from(a.content, 'base64') : Buffer.from(a.content, 'utf8');
}

export interface Message {
  /** The body, in light markdown (*bold*, line breaks, "• " bullets). */
  text: string;
  /** For unprompted messages: why it came (shown small, under the body). */
  why?: string;
  /** At most one open question: the answer goes to the person's open dialogue step. */
  question?: Question;
  attachments?: Attachment[];
}

/** What a person did, as the core sees it; the adapter has already resolved who it was. */
export type Inbound =
  | { type: 'text'; text: string }
  | { type: 'answer'; questionId: string; value: string }
  | { type: 'command'; name: string; args: string[] }
  /** A file sent to the bot (a coordinator's participants CSV), with the text typed beside it. */
  | { type: 'file'; filename: string; content: Buffer; text: string };

/** Where a message goes: a self-describing platform address, e.g. "local:3" or "slack:T1:U2". */
export type Address = string;

export function platformOf(address: Address): string {
  const colon = address.indexOf(':');
  return colon < 0 ? address : address.slice(0, colon);
}
