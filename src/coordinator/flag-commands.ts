/**
 * The coordinator's commands about flags and alerts:
 * - `flag 12` shows a flag; `flag 12 ack [note]` / `flag 12 set [note]` acknowledges it;
 *   `flag 12 resolve [note]` / `flag 12 løst [note]` resolves it. The note is the coordinator's own,
 *   kept as typed, seen only by the programme's coordinators.
 * - `digest off|on` / `ugeoversigt fra|til` turns the Monday digest off and on (alerts at once stay).
 * The action words live in prompts/{da,en}/risk.json (both languages work for everyone); they are
 * not command arguments in commands.json, so the words of a note are never translated.
 */
import type { Command, CommandContext } from '../commands/command';
import { InputError, PermissionDeniedError } from '../errors';
import type { Message } from '../message';
import { locales } from '../text/locale';
import { formatClock } from '../time';
import { coordinatorAccess } from './access';
import { acknowledgeFlag, getFlag, resolveFlag } from './flags';
import { digestEnabled, isCoordinatorOf, setDigest } from './notify';
import { settingsFor } from '../programme/attention';
import { flagLine, pairNames } from './risk-text';

/** The refusal every coordinator command gives someone who coordinates nothing; null for a coordinator. */
function refusal(ctx: CommandContext, name: string): Message | null {
  const any = ctx.core.db.prepare("SELECT 1 FROM participants WHERE person_id = ? AND role = 'coordinator'").get(ctx.person.id);
  if (any) return null;
  const access = coordinatorAccess(ctx.core, ctx.person, name, []);
  return access.ok ? null : access.reply;
}

function actionOf(ctx: CommandContext, word: string): 'acknowledge' | 'resolve' | null {
  const lower = word.toLowerCase().replace(/[.!?]+$/, '');
  for (const action of ['acknowledge', 'resolve'] as const) {
    const words = locales.flatMap((l) => ctx.core.text.t(l, `risk.words.${action}`).split('|').map((w) => w.trim().toLowerCase()));
    if (words.includes(lower)) return action;
  }
  return null;
}

export const flagCommand: Command = {
  name: 'flag',
  for: ['coordinator'],
  accepts: () => true,
  run(ctx, args) {
    const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
    const refused = refusal(ctx, 'flag');
    if (refused) return [refused];
    const [first, word, ...rest] = args;
    const id = first && /^#?\d{1,9}$/.test(first) ? Number(first.replace('#', '')) : null;
    const action = word ? actionOf(ctx, word) : null;
    if (id === null || (word && !action)) return [{ text: t('risk.flag.usage') }];
    const note = rest.join(' ').trim() || undefined;
    try {
      if (!action) {
        const flag = getFlag(ctx.core, id);
        if (!flag || !isCoordinatorOf(ctx.core, ctx.person.id, flag.programmeId)) return [{ text: t('risk.flag.unknown', { id }) }];
        return [{ text: `${flagLine(ctx.core, ctx.person, flag, pairNames(ctx.core, flag.pairId), true)}\n${t(`risk.flag.state.${flag.state}`)}` }];
      }
      const flag = action === 'acknowledge' ? acknowledgeFlag(ctx.core, ctx.person.id, id, note) : resolveFlag(ctx.core, ctx.person.id, id, note);
      const lines = [t(action === 'acknowledge' ? 'risk.flag.acknowledged' : 'risk.flag.resolved', { id: flag.id, pair: Object.values(pairNames(ctx.core, flag.pairId)).join(' & ') })];
      if (note) lines.push(t('risk.flag.noteKept'));
      return [{ text: lines.join('\n') }];
    } catch (error) {
      if (error instanceof PermissionDeniedError) return [{ text: t('risk.flag.unknown', { id }) }];
      if (error instanceof InputError && error.textKey?.startsWith('risk.flag.')) return [{ text: t(error.textKey, { id }) }];
      throw error;
    }
  },
};

export const digestCommand: Command = {
  name: 'digest',
  for: ['coordinator'],
  accepts: (args) => args.length <= 1,
  run(ctx, args) {
    const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
    const refused = refusal(ctx, 'digest');
    if (refused) return [refused];
    const wanted = (args[0] ?? '').toLowerCase();
    if (wanted === 'on' || wanted === 'off') {
      setDigest(ctx.core, ctx.person.id, wanted === 'on');
      return [{ text: t(wanted === 'on' ? 'risk.digest.turnedOn' : 'risk.digest.turnedOff', { hour: formatClock(settingsFor(ctx.core, ctx.person.id).nudgeHour, 0, ctx.person.locale) }) }];
    }
    return [{ text: t('risk.digest.usage', { state: t(digestEnabled(ctx.core, ctx.person.id) ? 'risk.digest.state.on' : 'risk.digest.state.off') }) }];
  },
};

export const riskCommands: Command[] = [flagCommand, digestCommand];
