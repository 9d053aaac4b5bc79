/**
 * The core's front door for people: an inbound event from a known person becomes a HandleResult.
 * A command runs; an answer goes to the dialogue it answers; a word that could be a command or an
 * answer is asked about; a worry is signposted wherever it is written; anything else gets help.
 * Each event is one transaction: a failure leaves nothing half-written.
 */
import type { Core } from './core';
import type { Command, CommandContext } from './commands/command';
import { resolveCommand } from './commands/words';
import { languageCommand, mydataCommand, pauseCommand, resumeCommand } from './commands/personal';
import { helpText } from './commands/help';
import { contactCommand } from './commands/contact';
import { isAside } from './conversation/aside';
import { askWhichMeant, clarifyFlow } from './conversation/clarify';
import { askWhichQuestion, closedSinceLastWritten, lateAnswerFlow } from './conversation/late-answer';
import { askBeforeSharing, shareCheckFlow } from './conversation/share-check';
import type { ConversationPorts } from './conversation/ports';
import { putOff } from './conversation/reask';
import { createSignposter } from './conversation/signpost';
import { pickFlow, todoCommand } from './conversation/todo';
import { isWord } from './conversation/words';
import { bringToFront, currentDialogue, getDialogue, openDialogues, touchDialogue, type Dialogue } from './dialogues';
import { describeError, InputError } from './errors';
import { parseChoice } from './flows/answers';
import { signpostKinds } from './flows/signposting';
import type { Flow, ReplyContext } from './flows/flow';
import { seasonCommands, seasonFlows } from './flows/registry';
import { coordinatorCommands } from './coordinator/commands';
import { importFile } from './coordinator/chat-import';
import type { Inbound, Message } from './message';
import { firstName, getPerson, rolesOf, type Person } from './people';
import { inTransaction } from './store/database';
import { homeFor, type HomeSection } from './home';

/** What happened to one inbound event, for the adapter to render. */
export interface HandleResult {
  replies: Message[];
  /** The question this event answered (taken, so its buttons can show the answer); else null. */
  answered: string | null;
  /** The question now waiting for the person (the current one), if any. */
  waiting: string | null;
  /** What was wrong, as the person reads it, when the event was refused as a whole (nothing stored). */
  error: string | null;
}

export interface Bot {
  handle(personId: number, inbound: Inbound): HandleResult;
  /** The id of the question the person's current dialogue waits on, if any. */
  waitingFor(personId: number): string | null;
  /** The ids of every question waiting for the person (a button or modal for any of them may answer it). */
  openQuestions(personId: number): string[];
  /** The person's own overview (for a platform's home view). */
  home(personId: number): HomeSection[];
}

type Snapshot = { id: number; status: string; step: string; state: string; questionId: string } | null;

export function createBot(core: Core): Bot {
  const log = core.log.child('bot');
  const signposter = createSignposter(core);
  const flows = new Map<string, Flow>(seasonFlows.map((f) => [f.name, f]));
  const flowOf = (d: Dialogue) => flows.get(d.flow);

  const ports: ConversationPorts = { flowOf, runCommand: (ctx, name, args) => runCommand(ctx, name, args), answer: (ctx, d, text) => answer(ctx, d, text) };
  for (const f of [clarifyFlow(ports), pickFlow(ports), shareCheckFlow(ports), lateAnswerFlow(ports)]) flows.set(f.name, f);

  const helpCommand: Command = { name: 'help', for: ['anyone'], readOnly: () => true, run: ({ person }) => [{ text: helpText(core, person, commandList) }] };
  const commandList: Command[] = [
    ...seasonCommands,
    todoCommand(ports),
    languageCommand,
    pauseCommand,
    resumeCommand,
    mydataCommand,
    contactCommand,
    helpCommand,
    ...coordinatorCommands,
  ];
  const commands = new Map(commandList.map((c) => [c.name, c]));
  const names = [...commands.keys()];
  /** What someone outside every programme may still do (coordinator commands check the role themselves). */
  const openToAll = new Set(commandList.filter((c) => c.for.includes('anyone') || c.for.includes('coordinator')).map((c) => c.name));

  const t = (person: Person, key: string, vars = {}) => core.text.t(person.locale, key, vars);

  function runCommand(ctx: CommandContext, name: string, args: string[]): Message[] {
    const command = commands.get(name);
    if (!command) return [{ text: t(ctx.person, 'commands.unknown', { command: name.slice(0, 40) }) }];
    if (!openToAll.has(name) && rolesOf(core, ctx.person.id).length === 0) return [{ text: t(ctx.person, 'common.notParticipant') }];
    return command.run(ctx, args);
  }

  function snapshot(d: Dialogue | null): Snapshot {
    if (!d) return null;
    const flow = flowOf(d);
    return { id: d.id, status: d.status, step: d.step, state: JSON.stringify(d.state), questionId: flow ? flow.questionId(d) : '' };
  }

  const changed = (before: Snapshot) => {
    if (!before) return false;
    const now = snapshot(getDialogue(core, before.id));
    return !now || now.status !== before.status || now.step !== before.step || now.state !== before.state;
  };

  let answeredId: string | null = null;

  /** Gives the text to the dialogue as its answer; a refused answer is told how to get out. */
  function answer(ctx: ReplyContext, d: Dialogue, text: string): Message[] {
    const flow = flowOf(d);
    if (!flow) return [{ text: t(ctx.person, 'talk.notUnderstood') }];
    bringToFront(core, d.id);
    const fresh = getDialogue(core, d.id)!;
    // Its time ran out in the moment since it was found: the answer is not stored.
    if (fresh.status === 'expired') return [{ text: t(ctx.person, 'talk.expired', { title: flow.title(ctx, fresh) }) }];
    const before = snapshot(fresh);
    const replies = flow.reply(ctx, fresh, text);
    if (changed(before)) {
      core.metrics.dialogueAnswered(flow.name);
      answeredId ??= before!.questionId;
      return replies;
    }
    if (isAside(flow.name) || replies.length === 0) return replies;
    const last = replies[replies.length - 1]!;
    return [...replies.slice(0, -1), { ...last, text: `${last.text}\n${t(ctx.person, 'talk.wayOut')}` }];
  }

  /** Cancel or "not yet" at the current question. */
  function wayOut(ctx: ReplyContext, d: Dialogue, flow: Flow, word: 'cancel' | 'notYet'): Message[] {
    const title = flow.title(ctx, d);
    if (word === 'cancel' || isAside(flow.name)) {
      const kept = flow.cancel(ctx, d);
      return [{ text: t(ctx.person, kept ? 'talk.cancelled.kept' : 'talk.cancelled.nothing', { title }) }];
    }
    const later = putOff(core, ctx.person, d);
    return [{ text: later.when ? t(ctx.person, 'talk.notYet', { title, when: later.when }) : t(ctx.person, 'talk.notYet.soon', { title }) }];
  }

  function signpostReply(person: Person, d: Dialogue | null, lines: string[]): Message {
    const flow = d && flowOf(d);
    const other = d ? partnerFirstName(d) : '';
    // Where the answer goes to the partner, the question that follows says so itself.
    if (flow?.audience === 'partner') return { text: lines.join('\n\n') };
    const privacy = !flow ? 'talk.signpost.free' : `talk.signpost.${flow.audience}`;
    return { text: [...lines, t(person, privacy, { other })].join('\n\n') };
  }

  function partnerFirstName(d: Dialogue): string {
    const row = core.db
      .prepare(
        `SELECT p.name FROM pairs x JOIN people p ON p.id = CASE WHEN x.mentee_id = @me THEN x.mentor_id ELSE x.mentee_id END
          WHERE (x.mentee_id = @me OR x.mentor_id = @me) AND (x.id = @pairId OR x.id = (SELECT pair_id FROM meetings WHERE id = @meetingId))
          ORDER BY x.id DESC LIMIT 1`,
      )
      .get({ me: d.personId, pairId: (d.state.pairId as number | undefined) ?? null, meetingId: d.meetingId }) as { name: string } | undefined;
    return row ? firstName(row.name) : '';
  }

  /** Whether the text picks one of the options the dialogue asks about (an option beats a way-out word). */
  function isOptionOf(ctx: ReplyContext, d: Dialogue, flow: Flow, text: string): boolean {
    const asked = flow.ask(ctx, d).question;
    return asked?.kind === 'choice' && parseChoice(core, text, asked.options) !== null;
  }

  function routeText(ctx: ReplyContext, text: string): Message[] {
    const { person } = ctx;
    const slashed = text.trim().startsWith('/');
    const resolved = resolveCommand(core, names, text);
    if (slashed) {
      const word = text.trim().replace(/^\/mentor\b/i, '').replace(/^\//, '').trim().split(/\s+/)[0] ?? '';
      return resolved ? runCommand(ctx, resolved.name, resolved.args) : [{ text: t(person, 'commands.unknown', { command: word.toLowerCase().slice(0, 40) }) }];
    }
    const current = currentDialogue(core, person.id);
    const flow = current && flowOf(current);
    // A question that closed unanswered since the person last wrote: this text may have been meant for it.
    const closed = closedSinceLastWritten(core, person.id);
    if (!current || !flow) {
      if (resolved) return runCommand(ctx, resolved.name, resolved.args);
      if ((['skip', 'notYet', 'cancel'] as const).some((w) => isWord(core, w, text))) return [{ text: t(person, 'talk.nothingOpen') }];
      const signpost = signposter.check(person, text);
      if (signpost.lines.length > 0) return [signpostReply(person, null, signpost.lines)];
      if (signpost.worry) return [{ text: t(person, 'talk.signpost.again') }];
      const snoozed = openDialogues(core, person.id).length > 0;
      return [{ text: t(person, snoozed ? 'talk.notUnderstood.snoozed' : 'talk.notUnderstood') }];
    }
    if (!isOptionOf(ctx, current, flow, text)) {
      if (isWord(core, 'cancel', text)) return wayOut(ctx, current, flow, 'cancel');
      if (isWord(core, 'notYet', text)) return wayOut(ctx, current, flow, 'notYet');
      if (resolved && !isAside(flow.name)) {
        const command = commands.get(resolved.name);
        // At a free-text question, a command the person cannot use ("status" from a mentee) is not what
        // they meant: it is the answer. (At a choice or a date it runs, and its refusal says why.)
        const roles = new Set<string>(rolesOf(core, person.id).map((r) => r.role));
        const usable = !!command && (command.for.includes('anyone') || command.for.some((r) => roles.has(r)));
        if (!usable && flow.questionKind(current) === 'text') return answerWithSignpost(ctx, current, flow, text);
        const fits = command?.accepts ? command.accepts(resolved.args) : resolved.args.length === 0;
        // "Hjælp til jobsøgning" starts with a command word but cannot be the command: it is an answer.
        if (!fits) return answerWithSignpost(ctx, current, flow, text);
        // A command word alone at a free-text question could be the answer: ask, unless the command only
        // shows something (help, todo …): then it runs and the question waits. Elsewhere it cannot be an answer.
        const onlyShows = command?.readOnly?.(resolved.args) ?? false;
        if (flow.questionKind(current) === 'text' && !onlyShows) return [askWhichMeant(core, person, current, flow.title(ctx, current), resolved, text)];
        const ran = runCommand(ctx, resolved.name, resolved.args);
        const still = currentDialogue(core, person.id);
        const stillFlow = still && flowOf(still);
        if (still && stillFlow && still.id === current.id && !ran.some((m) => m.question)) {
          ran.push({ text: t(person, 'talk.stillWaiting', { title: stillFlow.title(ctx, still) }) });
        }
        return ran;
      }
    }
    // Any text answers a free-text question: when one closed just before, ask which was meant (a worry is
    // signposted and answered as always). At a choice or a date, a text that is not taken is told the
    // question it was probably meant for has closed.
    const closedFlow = closed && closed.id !== current.id && !isAside(flow.name) ? flowOf(closed) : undefined;
    if (closed && closedFlow && flow.questionKind(current) === 'text' && signpostKinds(core, text).length === 0) {
      return [askWhichQuestion(core, person, current, flow.title(ctx, current), closedFlow.title(ctx, closed), text)];
    }
    const replies = answerWithSignpost(ctx, current, flow, text);
    if (closed && closedFlow && answeredId === null) return [{ text: t(person, 'talk.expired', { title: closedFlow.title(ctx, closed) }) }, ...replies];
    return replies;
  }

  /** The text as the answer to the current question, with signposting first when it speaks of a worry. */
  function answerWithSignpost(ctx: ReplyContext, current: Dialogue, flow: Flow, text: string): Message[] {
    const { person } = ctx;
    const signpost = signposter.check(person, text);
    if (!signpost.worry) return answer(ctx, current, text);
    const first: Message[] = signpost.lines.length > 0 ? [signpostReply(person, current, signpost.lines)] : [{ text: t(person, 'talk.signpost.again') }];
    // A worry is not a date or a choice: signpost it and keep the question waiting.
    if (flow.questionKind(current) !== 'text') return [...first, { text: t(person, 'talk.stillWaiting', { title: flow.title(ctx, current) }) }];
    // Written where the answer goes to the partner: nothing is saved or sent before the person says so.
    if (flow.audience === 'partner') return [...first, askBeforeSharing(core, person, current, partnerFirstName(current), text)];
    return [...first, ...answer(ctx, current, text)];
  }

  function routeAnswer(ctx: ReplyContext, questionId: string, value: string): Message[] {
    const open = openDialogues(core, ctx.person.id);
    const target = open.find((d) => flowOf(d)?.questionId(d) === questionId);
    if (target) {
      const flow = flowOf(target)!;
      if (!isOptionOf(ctx, target, flow, value)) {
        if (isWord(core, 'cancel', value)) return wayOut(ctx, target, flow, 'cancel');
        if (isWord(core, 'notYet', value)) return wayOut(ctx, target, flow, 'notYet');
      }
      return answerWithSignpost(ctx, target, flow, value);
    }
    // A button of a question that is no longer open: say why, if it expired.
    const [flowName, , subject] = questionId.split('.');
    const closed = core.db
      .prepare('SELECT id, status FROM dialogues WHERE person_id = ? AND flow = ? AND subject = ? ORDER BY id DESC LIMIT 1')
      .get(ctx.person.id, flowName, `${flowName}:${subject}`) as { id: number; status: string } | undefined;
    const closedDialogue = closed && getDialogue(core, closed.id);
    const flow = closedDialogue && flowOf(closedDialogue);
    if (closed?.status === 'expired' && flow) return [{ text: t(ctx.person, 'talk.expired', { title: flow.title(ctx, closedDialogue) }) }];
    if ((closed?.status === 'stale' || closed?.status === 'cancelled') && flow) return [{ text: t(ctx.person, 'talk.lostPoint', { title: flow.title(ctx, closedDialogue) }) }];
    return [{ text: t(ctx.person, 'talk.answered') }];
  }

  function route(person: Person, inbound: Inbound): Message[] {
    const ctx = { core, person };
    switch (inbound.type) {
      case 'command': {
        const resolved = resolveCommand(core, names, [inbound.name, ...inbound.args].join(' '));
        return resolved ? runCommand(ctx, resolved.name, resolved.args) : [{ text: t(person, 'commands.unknown', { command: inbound.name.toLowerCase().slice(0, 40) }) }];
      }
      case 'file':
        if (!/\.csv$/i.test(inbound.filename)) return [{ text: t(person, 'common.fileUnknown') }];
        return importFile(ctx, inbound, inbound.text.trim().split(/\s+/).filter(Boolean));
      case 'answer':
        return routeAnswer(ctx, inbound.questionId, inbound.value);
      case 'text':
        return routeText(ctx, inbound.text);
    }
  }

  /** After a dialogue closed or was put off, the next one waiting is asked, so none is forgotten. */
  function askNextWaiting(person: Person, before: Dialogue | null, replies: Message[]): Message[] {
    if (replies.some((r) => r.question)) return replies;
    const next = currentDialogue(core, person.id);
    const flow = next && flowOf(next);
    if (!next || !flow || next.id === before?.id) return replies;
    const ctx = { core, person };
    const ask = flow.ask(ctx, next);
    return [...replies, { ...ask, text: `${t(person, 'talk.alsoWaiting', { title: flow.title(ctx, next) })}\n\n${ask.text}` }];
  }

  function waitingFor(personId: number): string | null {
    const d = currentDialogue(core, personId);
    return d && waitingOf(d);
  }

  function waitingOf(d: Dialogue): string | null {
    const flow = flowOf(d);
    return flow ? flow.questionId(d) : null;
  }

  return {
    waitingFor,
    openQuestions: (personId) => openDialogues(core, personId).flatMap((d) => flowOf(d)?.questionId(d) ?? []),
    home: (personId) => homeFor(core, personId),
    handle(personId, inbound) {
      answeredId = null;
      // The person is read inside the transaction: one look for other processes' writes, not two.
      let person = null as Person | null;
      let missing = false;
      try {
        const { replies, waiting } = inTransaction(core.db, () => {
          person = getPerson(core, personId);
          missing = !person;
          if (!person) throw new Error(`there is no person ${personId}`);
          const before = currentDialogue(core, person.id);
          const routed = route(person, inbound);
          const replies = askNextWaiting(getPerson(core, personId) ?? person, before, routed); // as they are now: a command may have changed their language
          const current = currentDialogue(core, personId);
          // They are in the middle of it (a new question waits: see the scheduler's busyUntil) when they wrote
          // to it, or their message opened it; not when it was only brought up again after another closed.
          if (current && (current.id === before?.id || routed.some((r) => r.question))) touchDialogue(core, current.id);
          return { replies, waiting: current ? waitingOf(current) : null };
        });
        return { replies, answered: answeredId, waiting, error: null };
      } catch (error) {
        // The transaction could not begin (the database busy, say): the person still gets an answer.
        if (!person && !missing) person = getPerson(core, personId);
        if (!person) throw error;
        if (error instanceof InputError) {
          const text = error.textKey ? t(person, error.textKey) : t(person, 'talk.error.input', { reason: error.message });
          return { replies: [{ text }], answered: null, waiting: waitingFor(personId), error: text };
        }
        log.error('handling an inbound event failed', { personId, type: inbound.type, error: describeError(error) });
        const text = t(person, 'common.error');
        return { replies: [{ text }], answered: null, waiting: waitingFor(personId), error: text };
      }
    },
  };
}
