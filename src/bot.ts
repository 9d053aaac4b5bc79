/**
 * The core's front door for people: an inbound event from a known person becomes replies.
 * A command runs; an answer goes to the person's open dialogue step; anything else gets help.
 * Each event is one transaction: a failure leaves nothing half-written.
 */
import type { Core } from './core';
import type { Command, CommandContext } from './commands/command';
import { splitCommand } from './commands/command';
import { languageCommand, mydataCommand, pauseCommand, resumeCommand } from './commands/personal';
import { prepCommand } from './commands/prep';
import { openDialogueOf } from './dialogues';
import { describeError } from './errors';
import type { Flow } from './flows/flow';
import { afterFlow } from './flows/after-meeting';
import { agreementCommand, alignFlows } from './flows/alignment';
import { bookCommand, bookFlow, manageFlow } from './flows/booking/form';
import { checkinFlow } from './flows/checkin';
import { prepFlow } from './flows/prep/flow';
import { reflectFlow } from './flows/reflection';
import { shadowFlow } from './flows/shadowing';
import { reviewFlow } from './flows/summary-review';
import { surveyFlows } from './flows/survey';
import { topicsCommand } from './flows/topics';
import { actionsCommand } from './commands/actions';
import { summaryCommand } from './commands/summary';
import { coordinatorCommands } from './coordinator/commands';
import type { Inbound, Message } from './message';
import { getPerson, rolesOf, type Person } from './people';
import { inTransaction } from './store/database';
import { importFile } from './coordinator/chat-import';
import { homeFor, type HomeSection } from './home';

export interface Bot {
  handle(personId: number, inbound: Inbound): Message[];
  /** The id of the question the person's open dialogue waits on, if any. */
  waitingFor(personId: number): string | null;
  /** The person's own overview (for a platform's home view). */
  home(personId: number): HomeSection[];
}

const flows: ReadonlyMap<string, Flow> = new Map(
  [prepFlow, afterFlow, bookFlow, manageFlow, reviewFlow, reflectFlow, checkinFlow, shadowFlow, ...alignFlows, ...surveyFlows].map((f) => [f.name, f]),
);

export function createBot(core: Core): Bot {
  const log = core.log.child('bot');
  const helpCommand: Command = {
    name: 'help',
    help: 'common.help.help',
    run: ({ person }) => [helpMessage(person)],
  };
  const commandList: Command[] = [
    prepCommand,
    bookCommand,
    summaryCommand,
    actionsCommand,
    agreementCommand,
    topicsCommand,
    languageCommand,
    pauseCommand,
    resumeCommand,
    mydataCommand,
    helpCommand,
    ...coordinatorCommands,
  ];
  const coordinatorNames = new Set(coordinatorCommands.map((c) => c.name));
  const commands = new Map(commandList.map((c) => [c.name, c]));
  /** What someone outside every programme may still do. */
  const openToAll = new Set(['help', 'language', 'mydata', 'pause', 'resume', ...coordinatorNames]); // coordinator commands check the role themselves

  function helpMessage(person: Person): Message {
    const t = (key: string) => core.text.t(person.locale, key);
    const everyone = commandList.filter((c) => !coordinatorNames.has(c.name)).map((c) => `• ${t(c.help)}`);
    const isCoordinator = rolesOf(core, person.id).some((r) => r.role === 'coordinator');
    const coordinator = isCoordinator ? ['', t('coordinator.help.header'), ...coordinatorCommands.map((c) => `• ${t(c.help)}`)] : [];
    return { text: [t('common.help.intro'), ...everyone, ...coordinator, '', t('common.help.outro')].join('\n') };
  }

  function runCommand(ctx: CommandContext, name: string, args: string[]): Message[] {
    const command = commands.get(name);
    if (!command) return [{ text: core.text.t(ctx.person.locale, 'common.unknownCommand', { command: name.slice(0, 40) }) }];
    if (!openToAll.has(name) && rolesOf(core, ctx.person.id).length === 0) {
      return [{ text: core.text.t(ctx.person.locale, 'common.notParticipant') }];
    }
    return command.run(ctx, args);
  }

  function route(person: Person, inbound: Inbound): Message[] {
    const ctx = { core, person };
    if (inbound.type === 'command') return runCommand(ctx, inbound.name.toLowerCase(), inbound.args);
    if (inbound.type === 'file') {
      if (!/\.csv$/i.test(inbound.filename)) return [{ text: core.text.t(person.locale, 'common.fileUnknown') }];
      return importFile(ctx, inbound, inbound.text.trim().split(/\s+/).filter(Boolean));
    }
    const dialogue = openDialogueOf(core, person.id);
    if (inbound.type === 'answer') {
      const flow = dialogue && flows.get(dialogue.flow);
      if (!dialogue || !flow || flow.questionId(dialogue) !== inbound.questionId) return [{ text: core.text.t(person.locale, 'common.stale') }];
      return flow.reply(ctx, dialogue, inbound.value);
    }
    const text = inbound.text;
    const { name, args } = splitCommand(text);
    const slashed = text.trim().startsWith('/');
    // While a dialogue waits for an answer, only a short message that is exactly a command is one.
    const mentions = args.some((a) => a.startsWith('@') || a.startsWith('<@'));
    if (commands.has(name) && (slashed || !dialogue || args.length <= 1 || mentions)) return runCommand(ctx, name, args);
    if (slashed) return runCommand(ctx, name, args);
    const flow = dialogue && flows.get(dialogue.flow);
    if (dialogue && flow) return flow.reply(ctx, dialogue, text);
    return [{ text: core.text.t(person.locale, 'common.notUnderstood') }];
  }

  return {
    waitingFor(personId) {
      const dialogue = openDialogueOf(core, personId);
      const flow = dialogue && flows.get(dialogue.flow);
      return dialogue && flow ? flow.questionId(dialogue) : null;
    },
    home: (personId) => homeFor(core, personId),
    handle(personId, inbound) {
      const person = getPerson(core, personId);
      if (!person) throw new Error(`there is no person ${personId}`);
      try {
        return inTransaction(core.db, () => route(person, inbound));
      } catch (error) {
        log.error('handling an inbound event failed', { personId, type: inbound.type, error: describeError(error) });
        return [{ text: core.text.t(person.locale, 'common.error') }];
      }
    },
  };
}
