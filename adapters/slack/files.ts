/**
 * Files sent to the bot in its DM (a coordinator's participants CSV). Slack hands over a private
 * URL; the bot downloads it with its own token (files:read), within a size limit.
 */
import { MAX_IMPORT_BYTES } from '../../src/coordinator/chat-import';

export interface SharedFile {
  id?: string;
  name?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

export type Download = { ok: true; content: Buffer } | { ok: false; problem: 'too_large' | 'unreadable' };

export async function downloadFile(file: SharedFile, token: string, maxBytes = MAX_IMPORT_BYTES): Promise<Download> {
  if ((file.size ?? 0) > maxBytes) return { ok: false, problem: 'too_large' };
  const url = file.url_private_download ?? file.url_private;
  if (!url) return { ok: false, problem: 'unreadable' };
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'follow', signal: AbortSignal.timeout(30_000) });
    if (!response.ok) return { ok: false, problem: 'unreadable' };
    const content = Buffer.from(await response.arrayBuffer());
    return content.length > maxBytes ? { ok: false, problem: 'too_large' } : { ok: true, content };
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
}
