/**
 * Importing the participants CSV in chat: a coordinator sends the file to the bot (in Slack, in the
 * DM). The same rules as `sparring import`: every row checked, a bad file refused whole with every
 * problem listed, a good one applied in one transaction, the same file twice changes nothing. A
 * coordinator changes people of the programmes they coordinate only (see import.ts).
 */
import type { CommandContext } from '../commands/command';
import type { Message } from '../message';
import { coordinatorAccess } from './access';
import { applyParticipants, checkParticipants, parseParticipants } from './import';
import { formatProblems } from './import-problems';

/** Files larger than this are refused before they are read (100,000 rows is about 10 MB). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function importFile(ctx: CommandContext, file: { filename: string; content: Buffer }, args: string[]): Message[] {
  const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
  const access = coordinatorAccess(ctx.core, ctx.person, 'import', args);
  if (!access.ok) return [access.reply];
  if (file.content.length > MAX_IMPORT_BYTES) return [{ text: t('coordinator.import.tooLarge', { file: file.filename.slice(0, 80), mb: MAX_IMPORT_BYTES / 1024 / 1024 }) }];
  const parsed = parseParticipants(file.content);
  if (!parsed.ok) {
    return [{ text: `${t('coordinator.import.refused', { file: file.filename.slice(0, 80), n: parsed.problems.length })}\n${formatProblems(ctx.core.text, ctx.person.locale, parsed.problems, 30)}` }];
  }
  // A coordinator changes people of their own programmes only; someone shared with another programme is only added.
  const importer = { coordinatorId: ctx.person.id };
  const problems = checkParticipants(ctx.core, access.programme.id, parsed.rows, importer);
  if (problems.length > 0) {
    return [{ text: `${t('coordinator.import.refused', { file: file.filename.slice(0, 80), n: problems.length })}\n${formatProblems(ctx.core.text, ctx.person.locale, problems, 30)}` }];
  }
  const result = applyParticipants(ctx.core, access.programme.id, parsed.rows, importer);
  return [{ text: t('coordinator.import.done', { file: file.filename.slice(0, 80), programme: access.programme.name, ...result }) }];
}
