/** `actions`: the open action items of your pair, numbered; `actions done 2` ticks one off. */
import { activePairsOf } from '../pairs';
import type { Command } from './command';

export const actionsCommand: Command = {
  name: 'actions',
  readOnly: (args) => args.length === 0,
  accepts: (args) => args.length === 0 || (args[0]?.toLowerCase() === 'done' && args.slice(1).every((a) => /^\d+$/.test(a))),
  for: ['mentee', 'mentor'],
  run({ core, person }, args) {
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
    const pair = activePairsOf(core, person.id)[0];
    if (!pair) return [{ text: t('common.notParticipant') }];
    const items = core.db
      .prepare(
        `SELECT a.id, a.text, p.name AS owner FROM action_items a JOIN people p ON p.id = a.owner_id
          WHERE a.pair_id = ? AND a.done_at IS NULL ORDER BY a.created_at, a.id`,
      )
      .all(pair.id) as { id: number; text: string; owner: string }[];
    if ((args[0] ?? '').toLowerCase() === 'done') {
      if (items.length === 0) return [{ text: t('actions.none') }];
      const numbers = [...new Set(args.slice(1).map(Number))];
      if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > items.length)) {
        return [{ text: t('actions.usage', { count: items.length }) }];
      }
      for (const n of numbers) core.db.prepare('UPDATE action_items SET done_at = ? WHERE id = ?').run(core.clock.now(), items[n - 1]!.id);
      return [{ text: t('actions.ticked', { items: numbers.map((n) => `• ${items[n - 1]!.text}`).join('\n') }) }];
    }
    if (items.length === 0) return [{ text: t('actions.none') }];
    return [{ text: [t('actions.header'), ...items.map((i, n) => `${n + 1}. ${i.text} — ${i.owner}`), '', t('actions.hint')].join('\n') }];
  },
};
