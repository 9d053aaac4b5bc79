/**
 * `mydata` and `export-person` after a short season lived through the real bot and scheduler: a
 * mentee (Danish) and her mentor (English) book, prepare, meet, sum up, take steps, agree their
 * expectations, reflect, check in, answer the survey and pause. What each of them gets back is all
 * of their own data, grouped and in order, past meetings as past; and nothing private of the other.
 */
import { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { runCli } from '../../bin/cli';
import type { Message } from '../../src/message';
import { joinProgramme, matchPair } from '../../src/flows/season';
import { addIdentity, createPerson, getPerson } from '../../src/people';
import { exportCoverage } from '../../src/privacy/coverage';
import { exportPerson } from '../../src/privacy/export';
import { createProgramme } from '../../src/programme/programmes';
import { nextDueAt } from '../../src/scheduler/nudges';
import { createTestSparring, type TestSparring } from '../helpers/sparring';
import { meetingText } from '../season/agents';

const SECRET = 'Mit hemmelige emne: jeg overvejer at skifte studie';
const SHARED = 'Jeg vil tale om min ansøgning til Novo';

/** The replies of one inbound event, whatever shape the bot gives them in. */
function repliesOf(result: unknown): Message[] {
  return Array.isArray(result) ? (result as Message[]) : ((result as { replies?: Message[] }).replies ?? []);
}

interface Person {
  id: number;
  meetingsAnswered: number;
  prepped: number;
  booked: number;
  reviewed: number;
}

/** What Astrid and Jonas answer, by the question's flow and step. */
function answerFor(who: 'mentee' | 'mentor', p: Person, question: NonNullable<Message['question']>, now: number): string {
  const [flow, step] = question.id.split('.');
  const first = question.kind === 'choice' ? (question.options[0]?.value ?? '-') : '-';
  switch (`${flow}.${step}`) {
    case 'book.when':
      p.booked += 1;
      return p.booked === 1 ? meetingText(now, 7) : 'ikke endnu';
    case 'book.length':
      return '60';
    case 'book.place':
      return question.kind === 'choice' ? (question.options.find((o) => /caf/i.test(o.label))?.value ?? first) : 'Café Paludan';
    case 'manage.action':
      return 'cancel';
    case 'clarify.choice':
      return 'command';
    case 'align.help':
      return 'Hjælp til at finde mit første job';
    case 'align.topics':
      return 'LinkedIn og netværk';
    case 'align.expect':
      return 'Ærlige svar';
    case 'align.where':
      return 'På en café, en gang om måneden';
    case 'align.notes':
      return 'mentee';
    case 'align.feedback':
      return 'Direkte og venligt';
    case 'align.cancel':
      return 'Senest dagen før';
    case 'alignMentor.offer':
      return 'My network in the industry';
    case 'alignMentor.expect':
      return 'That Astrid comes prepared';
    case 'alignMentor.feedback':
      return 'Straight after each meeting';
    case 'prep.say':
      p.prepped += 1;
      return p.prepped === 1 ? SHARED : p.prepped === 2 ? SECRET : 'Om min praktik';
    case 'prep.hear':
      return p.prepped === 1 ? 'Hvordan Jonas fik sit første job' : '-';
    case 'prep.achieve':
      return p.prepped === 1 ? 'En bedre ansøgning' : '-';
    case 'prep.since':
    case 'prep.sinceFirst':
      return '-';
    case 'prep.ticks':
      return p.prepped <= 2 ? '1' : 'ingen';
    case 'prep.share':
      return p.prepped === 1 ? 'yes' : 'no';
    case 'after.tookPlace':
      p.meetingsAnswered += 1;
      return p.meetingsAnswered <= 2 ? 'yes' : 'no';
    case 'after.points':
      return p.meetingsAnswered === 1 ? 'Vi talte om ansøgningen til Novo' : 'Vi øvede en jobsamtale';
    case 'after.mySteps':
      return p.meetingsAnswered === 1 ? 'Opdatere LinkedIn\nSkrive til to virksomheder' : 'Øve min elevatortale';
    case 'after.mentorSteps':
      return p.meetingsAnswered === 1 ? 'Sende en kontakt hos Novo' : '-';
    case 'after.next':
      return meetingText(now, 21);
    case 'after.reschedule':
      return meetingText(now, 7);
    case 'review.action':
      p.reviewed += 1;
      return p.reviewed === 1 ? 'add' : 'confirm';
    case 'review.addition':
      return 'Remember to mention your thesis';
    case 'reflect.worked':
      return 'Det var godt at få konkrete råd';
    case 'reflect.notWorked':
      return 'Vi kom for sent i gang';
    case 'checkin.professional':
      return '4';
    case 'checkin.personal':
      return who === 'mentee' ? '5' : '4';
    case 'shadow.status':
      return 'planned';
    case 'surveyMentee.match':
    case 'surveyMentor.match':
      return '4';
    case 'surveyMentee.engagement':
    case 'surveyMentor.engagement':
      return '5';
    case 'surveyMentee.shadowing':
      return 'yes';
    case 'surveyMentor.learned':
      return 'The students worry about their first job';
    case 'prepMentor.about':
      return 'I work as a consultant and started in a student job';
  }
  if (flow === 'surveyMentee') return '4';
  return first;
}

interface Season {
  s: TestSparring;
  mentee: Person;
  mentor: Person;
  roleOf: Map<number, 'mentee' | 'mentor'>;
}

/** Answers the question in `first` and every question that follows; returns the texts of the replies. */
function answerAll(season: Season, personId: number, first: Message | undefined): string[] {
  const who = season.roleOf.get(personId)!;
  const p = who === 'mentee' ? season.mentee : season.mentor;
  const texts: string[] = [];
  let message = first;
  for (let guard = 0; guard < 40 && message?.question; guard += 1) {
    const value = answerFor(who, p, message.question, season.s.clock.now());
    const out = repliesOf(season.s.bot.handle(personId, { type: 'answer', questionId: message.question.id, value }));
    texts.push(...out.map((m) => m.text));
    message = out.find((m) => m.question);
  }
  return texts;
}

/** The person types `text` (and answers what it asks); the texts of every reply. */
function type(season: Season, personId: number, text: string): string {
  const out = repliesOf(season.s.bot.handle(personId, { type: 'text', text }));
  return [...out.map((m) => m.text), ...answerAll(season, personId, out.find((m) => m.question))].join('\n');
}

/** Lets the season run until `iso`: every message that arrives is answered as it comes. */
async function liveUntil(season: Season, iso: string, onDelivery: (key: string, personId: number) => void = () => {}): Promise<void> {
  const { s } = season;
  const target = Date.parse(iso);
  for (let guard = 0; guard < 5_000; guard += 1) {
    const due = nextDueAt(s.core.db);
    if (due === null || due > target) break;
    if (due > s.clock.now()) s.clock.set(due);
    const before = s.messenger.deliveries.length;
    await s.scheduler.runOnce();
    for (const d of s.messenger.deliveries.slice(before)) {
      const personId = Number(d.address.slice('test:'.length));
      onDelivery(d.key, personId);
      answerAll(season, personId, d.message);
    }
  }
  s.clock.set(target);
}

function startSeason(): Season {
  const s = createTestSparring({ start: '2026-08-27T10:00:00Z' });
  const programme = createProgramme(s.core, { name: 'Mentorprogram efterår 2026', startsOn: '2026-09-01', endsOn: '2026-11-20' });
  const join = (name: string, email: string, locale: 'da' | 'en', role: 'mentee' | 'mentor', profile: Record<string, unknown>) => {
    const id = createPerson(s.core, { name, email, locale });
    addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    addIdentity(s.core, id, 'local', String(id), null); // how export-person names them on the command line
    joinProgramme(s.core, programme.id, id, role, profile);
    return id;
  };
  const astrid = join('Astrid Holm', 'astrid@example.org', 'da', 'mentee', { education: 'cand.it', interests: ['UX', 'Data'] });
  const jonas = join('Jonas Berg', 'jonas@example.org', 'en', 'mentor', { company: 'Netcompany', job_title: 'Konsulent' });
  s.clock.set('2026-08-28T10:00:00Z');
  matchPair(s.core, programme.id, astrid, jonas);
  const fresh = (id: number): Person => ({ id, meetingsAnswered: 0, prepped: 0, booked: 0, reviewed: 0 });
  return { s, mentee: fresh(astrid), mentor: fresh(jonas), roleOf: new Map([[astrid, 'mentee'], [jonas, 'mentor']]) };
}

const meetingLines = (text: string) => text.split('\n').filter((l) => /^• \S+ den \d+\. \w+ 2026 kl\./.test(l) || /^• \w+ \d+ \w+ 2026 at /.test(l));

describe('mydata after a season', () => {
  let season: Season;
  let midSeason: string;
  let astridDa: string;
  let astridEn: string;
  let jonasEn: string;

  beforeAll(async () => {
    season = startSeason();
    // Until the second meeting is summed up and the third is booked.
    await liveUntil(season, '2026-10-20T10:00:00Z');
    midSeason = type(season, season.mentee.id, 'mydata');
    type(season, season.mentee.id, 'pause 3');
    // The third meeting does not take place; the one booked instead is cancelled when it is reminded of.
    let cancelled = false;
    await liveUntil(season, '2026-12-01T10:00:00Z', (key, personId) => {
      if (!cancelled && personId === season.mentee.id && key.startsWith('meeting.reminder') && season.mentee.meetingsAnswered >= 3) {
        cancelled = true;
        type(season, personId, 'book');
      }
    });
    astridDa = type(season, season.mentee.id, 'mydata');
    jonasEn = type(season, season.mentor.id, 'mydata');
    type(season, season.mentee.id, 'language en');
    astridEn = type(season, season.mentee.id, 'mydata');
  });
  afterAll(() => season?.s.close());

  it('lived a season with every kind of data', () => {
    const statuses = season.s.core.db.prepare('SELECT status FROM meetings ORDER BY starts_at').all().map((r) => (r as { status: string }).status);
    expect(statuses).toEqual(['held', 'held', 'missed', 'cancelled']);
  });

  it('shows a booked meeting as booked while it is ahead, and held ones as held', () => {
    const lines = meetingLines(midSeason);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/med Jonas, Café.* — afholdt$/);
    expect(lines[1]).toMatch(/— afholdt$/);
    expect(lines[2]).toMatch(/— booket$/);
  });

  it('lists every group of the mentee’s own data, in Danish, with her own words', () => {
    for (const heading of ['Profil', 'Roller', 'Par', 'Møder', 'Forberedelse', 'Opsummeringer', 'Aftalte skridt', 'Forventningsafstemning', 'Refleksioner', 'Check-in om jeres match', 'Evaluering', 'Pauser', 'Samtalen med Sparring']) {
      expect(astridDa).toContain(`\n*${heading}*\n`);
    }
    expect(astridDa).not.toContain('Intet gemt endnu');
    for (const line of [
      'Navn: Astrid Holm',
      'E-mail: astrid@example.org',
      'Sprog: dansk · tidszone: Europe/Copenhagen',
      'Mentee i Mentorprogram efterår 2026',
      'uddannelse: cand.it · interesser: UX, Data',
      '• Jonas er din mentor i Mentorprogram efterår 2026',
      'Job shadowing: I har gjort det.', // said in the survey, after "planned" at mid-season
      `   Det vil jeg sige: ${SHARED}`,
      '   Det vil jeg høre: Hvordan Jonas fik sit første job',
      '   Det vil jeg opnå: En bedre ansøgning',
      `   Det vil jeg sige: ${SECRET}`,
      '   Vi talte om ansøgningen til Novo',
      'Skridt: Astrid: Opdatere LinkedIn; Skrive til to virksomheder · Jonas: Sende en kontakt hos Novo',
      'Tilføjelse fra Jonas: Remember to mention your thesis',
      'Jonas bekræftede opsummeringen den',
      '• Opdatere LinkedIn (fra mødet ',
      '• Øve min elevatortale (fra mødet ',
      '   Det ønsker jeg hjælp til: Hjælp til at finde mit første job',
      '   Hvem tager noter: menteen',
      '   Sådan aflyser vi: Senest dagen før',
      '   Det fungerede godt: Det var godt at få konkrete råd',
      '   Det kunne gå bedre: Vi kom for sent i gang',
      'dig og Jonas: fagligt 4 ud af 5, personligt 5 ud af 5',
      'Dine svar på evalueringen af Mentorprogram efterår 2026',
      '   En klarere idé om mine karriereønsker og min retning: enig',
      '   Hvor godt vi passede sammen: 4 ud af 5',
      '   Job shadowing: ja',
      '• Dine påmindelser var sat på pause indtil ',
    ]) {
      expect(astridDa).toContain(line);
    }
    expect(astridDa).toMatch(/Til mødet .* \(delt med Jonas\):/);
    expect(astridDa).toMatch(/Til mødet .* \(kun for dig\):/);
    expect(astridDa).toMatch(/• Opdatere LinkedIn \(fra mødet .*\) — klaret den /);
    expect(astridDa).toMatch(/• Skrive til to virksomheder \(fra mødet .*\) — ikke klaret endnu/);
    expect(astridDa).not.toContain('Jonas Berg'); // the other person by first name
  });

  it('shows past meetings as past, in order', () => {
    const lines = meetingLines(astridDa);
    expect(lines.map((l) => l.replace(/^.* — /, ''))).toEqual(['afholdt', 'afholdt', 'blev ikke holdt', 'aflyst']);
    const at = (l: string) => astridDa.indexOf(l);
    expect(lines.map(at)).toEqual([...lines.map(at)].sort((a, b) => a - b));
    expect(astridDa.indexOf(SHARED)).toBeLessThan(astridDa.indexOf(SECRET));
  });

  it('speaks English to a mentee who switched', () => {
    for (const heading of ['Profile', 'Roles', 'Pairs', 'Meetings', 'Preparation', 'Summaries', 'Agreed steps', 'Expectations', 'Reflections', 'Check-ins on your match', 'Evaluation', 'Pauses']) {
      expect(astridEn).toContain(`\n*${heading}*\n`);
    }
    expect(astridEn).toContain(`   What I want to say: ${SHARED}`);
    expect(astridEn).toContain('Jonas is your mentor in Mentorprogram efterår 2026');
    expect(meetingLines(astridEn).map((l) => l.replace(/^.* — /, ''))).toEqual(['held', 'held', 'did not take place', 'cancelled']);
    expect(astridEn).toContain('   A clearer idea of my career wishes and direction: agree');
  });

  it('gives the mentor his own data and the agenda shared with him, never the mentee’s private preparation', () => {
    expect(jonasEn).toContain('• You are Astrid\'s mentor in Mentorprogram efterår 2026');
    expect(jonasEn).toMatch(/Agenda from Astrid for the meeting on .* \(shared with you\):/);
    expect(jonasEn).toContain(`   What Astrid wants to say: ${SHARED}`);
    expect(jonasEn).not.toContain(SECRET);
    expect(jonasEn).toContain('   Vi talte om ansøgningen til Novo');
    expect(jonasEn).toContain('Your addition: Remember to mention your thesis');
    expect(jonasEn).toMatch(/• Sende en kontakt hos Novo \(from the meeting on .*\) — not done yet/);
    expect(jonasEn).not.toContain('Opdatere LinkedIn (from'); // her steps are hers
    expect(jonasEn).toContain('   What I can offer: My network in the industry');
    expect(jonasEn).not.toContain('Hjælp til at finde mit første job'); // her answers in the agreement are hers
    expect(jonasEn).not.toContain('Det var godt at få konkrete råd'); // her reflection
    expect(jonasEn).toContain('you and Astrid: professionally 4 out of 5, personally 4 out of 5');
    expect(jonasEn).not.toContain('personally 5 out of 5');
    expect(jonasEn).toContain('   What I learned about the degree programme and the students: The students worry about their first job');
    expect(jonasEn).toContain('Nothing stored yet for: reflections, pauses.');
  });

  it('exports the same groups as JSON from the command line, with ISO times in UTC', async () => {
    const astrid = exportPerson(season.s.core, getPerson(season.s.core, season.mentee.id)!);
    expect(astrid.meetings.map((m) => [m.status, m.past])).toEqual([['held', true], ['held', true], ['missed', true], ['cancelled', true]]);

    season.s.close(); // one process per database file: the CLI opens it now
    const cli = async (ref: string) => {
      let out = '';
      const io = {
        out: new Writable({ write: (chunk, _e, done) => ((out += String(chunk)), done()) }),
        err: new Writable({ write: (_c, _e, done) => done() }),
        env: { DATABASE_PATH: season.s.databasePath },
        stdin: Readable.from([]),
      };
      expect(await runCli(['export-person', ref], io)).toBe(0);
      return JSON.parse(out) as Record<string, unknown>;
    };
    const json = await cli(`local:${season.mentee.id}`);
    expect(Object.keys(json)).toEqual(['exportedAt', 'person', 'roles', 'pairs', 'meetings', 'preparations', 'summaries', 'steps', 'agreement', 'reflections', 'checkins', 'introductions', 'goals', 'growth', 'surveys', 'pauses', 'conversation']);
    for (const group of Object.keys(json).filter((k) => k !== 'exportedAt' && k !== 'person' && k !== 'conversation')) expect(json[group]).not.toEqual([]);
    expect(json).toMatchObject({
      person: { name: 'Astrid Holm', email: 'astrid@example.org', language: 'en' },
      roles: [{ role: 'mentee', programme: 'Mentorprogram efterår 2026' }],
      pairs: [{ yourRole: 'mentee', partner: 'Jonas', status: 'active', jobShadowing: 'done' }],
      reflections: expect.arrayContaining([expect.objectContaining({ worked: 'Det var godt at få konkrete råd', didNotWork: 'Vi kom for sent i gang' })]),
    });
    const text = JSON.stringify(json);
    for (const words of [SHARED, SECRET, 'Opdatere LinkedIn', 'Senest dagen før', 'Remember to mention your thesis']) expect(text).toContain(words);
    const meetings = json.meetings as { startsAt: string }[];
    for (const m of meetings) expect(m.startsAt).toMatch(/^2026-\d\d-\d\dT\d\d:00:00\.000Z$/);

    const mentor = JSON.stringify(await cli(`local:${season.mentor.id}`));
    expect(mentor).toContain(SHARED);
    expect(mentor).toContain('"whose":"sharedWithYou"');
    expect(mentor).not.toContain(SECRET);
  });
});

describe('what the export covers', () => {
  it('names every table of the store, so a new one cannot be forgotten', () => {
    const s = createTestSparring();
    const tables = s.core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    s.close();
    expect(Object.keys(exportCoverage).sort()).toEqual(tables);
  });
});
