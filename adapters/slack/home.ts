/** App Home: the person's own overview (src/home.ts) as a Slack home tab view. */
import type { HomeSection } from '../../src/home';
import type { Block } from './blocks';

const MAX_BLOCKS = 100;

export function homeView(title: string, sections: HomeSection[]): Block {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } }];
  for (const s of sections) {
    if (blocks.length + 3 > MAX_BLOCKS) break;
    blocks.push({ type: 'divider' });
    const text = `*${s.heading}*\n${s.text}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.length > 3000 ? `${text.slice(0, 2999)}…` : text } });
  }
  return { type: 'home', blocks };
}
