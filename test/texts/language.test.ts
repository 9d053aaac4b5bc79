/**
 * The language review (November 2026) found English showing through the Danish texts, Danish loan
 * words in the English ones, plurals written as "møde(r)", and dates without their preposition. These
 * checks read every text in prompts/ so the patterns it fixed cannot come back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';

type Text = { where: string; text: string };

function texts(locale: 'da' | 'en', options: { except?: string[] } = {}): Text[] {
  const dir = join(projectRoot(), 'prompts', locale);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !(options.except ?? []).includes(f))
    .flatMap((file) =>
      Object.entries(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, string>).map(([key, text]) => ({ where: `${locale}/${file} ${key}`, text })),
    );
}

/** The texts matching `pattern`, placeholders and command-line flags (--programme) left out. */
function offending(list: Text[], pattern: RegExp): string[] {
  return list.filter((t) => pattern.test(t.text.replace(/\{\w+\}|--\w+/g, ''))).map((t) => `${t.where}: ${t.text}`);
}

describe('the Danish texts', () => {
  it('spell it "program", never "programme"', () => {
    expect(offending(texts('da'), /\bprogramme\b/i)).toEqual([]);
  });

  it('write plurals as words, not as "møde(r)"', () => {
    expect(offending(texts('da'), /\p{L}\((?:e?r|s|e|ne)\)/u)).toEqual([]);
  });

  it('put no "på", "den" or "kl." before {when}, which already reads "tirsdag den 10. december kl. 16.00"', () => {
    expect(texts('da').filter((t) => /(?:\bpå|\bden|kl\.) \{when\}/.test(t.text)).map((t) => t.where)).toEqual([]);
  });

  it.each([
    ['Her er et par minutter', 'after.intro'],
    ['Blev jeres møde', 'after.tookPlace'],
    ['en forventningsafstemning.', 'align.intro'],
    ['skrevet en forventningsafstemning', 'align.none'],
    ['Støtte og hjælp ønsket', 'align.item.help'],
    ['vil du gerne omkring', 'align.topics'],
    ['når et skridt er gjort', 'actions.hint'],
    ['Ingenting — det står', 'manage.action.keep'],
    ['giver mening for dig', 'prep.intro'],
    ['Dine svar er kun dine', 'prep.share, reflect.intro'],
    ['Et par dage er gået', 'reflect.intro'],
    ['Halvvejs', 'checkin.intro'],
    ['Forskelle kan give', 'checkin.thanksLow'],
    ['giver ofte mest at lære af', 'intro.mentee'],
    ['kan hjælpe i gang', 'quiet.stage2.mentor.first'],
    ['Hvor er I med det', 'shadow.status'],
    ['Det er dig, der spørger', 'shadow.mentee'],
    ['Hvor godt!', 'shadow.thanks.done'],
    ['Sigt mod', 'welcome.mentor.stance'],
    ['hun eller han', 'welcome.mentor.stance'],
    ['Spørgsmål, der virker', 'welcome.mentor.questions'],
    ['Har du spørgsmål eller oplever I', 'welcome.contact'],
    ['med afsæt i mentors erfaring', 'welcome.rules'],
    ['og den slags', 'signpost.wellbeing'],
    ['Dette svar læser koordinatoren', 'surveyMentor.learned'],
    ['med at forberede, mødes', 'teams.installed'],
  ])('no longer say "%s" (%s)', (phrase) => {
    expect(offending(texts('da', { except: ['common.json'] }), new RegExp(phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toEqual([]);
  });

  it('label the middle of the agreement scale in full', () => {
    const survey = JSON.parse(readFileSync(join(projectRoot(), 'prompts', 'da', 'survey.json'), 'utf8')) as Record<string, string>;
    expect(survey['agree.3']).toBe('Hverken enig eller uenig');
  });
});

describe('the English texts', () => {
  it.each([
    ['sparring on', 'a Danish loan word: "feedback on"'],
    ['the education', '"the degree programme"'],
    ['Does the summary fit', '"Is the summary accurate?"'],
    ['What a pity', '"That\'s a shame."'],
    ['expectation alignment', '"agreed your expectations"'],
    ['responsibility for the programme', '"for the mentorship"'],
  ])('no longer say "%s" (%s)', (phrase) => {
    expect(offending(texts('en', { except: ['common.json'] }), new RegExp(phrase, 'i'))).toEqual([]);
  });

  it('write plurals as words, not as "meeting(s)"', () => {
    expect(offending(texts('en'), /\p{L}\(s\)/u)).toEqual([]);
  });

  it('say "on" before {when} in running text ("your meeting on Tuesday 10 December at 16:00")', () => {
    expect(texts('en').filter((t) => /\b(?:meeting|meetings|met|meet|is|are|was) (?:with \{\w+\} )?\{when\}/.test(t.text)).map((t) => t.where)).toEqual([]);
  });

  it('label the middle of the agreement scale in full', () => {
    const survey = JSON.parse(readFileSync(join(projectRoot(), 'prompts', 'en', 'survey.json'), 'utf8')) as Record<string, string>;
    expect(survey['agree.3']).toBe('Neither agree nor disagree');
  });
});
