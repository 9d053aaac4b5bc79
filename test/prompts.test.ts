import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogProblems, createCatalog, loadTexts } from '../src/text/catalog';

function promptsDir(da: Record<string, unknown>, en: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-prompts-'));
  for (const [locale, content] of [['da', da], ['en', en]] as const) {
    mkdirSync(join(dir, locale));
    writeFileSync(join(dir, locale, 'common.json'), JSON.stringify(content));
  }
  return dir;
}

describe('the prompts', () => {
  it('have every key in both Danish and English, with the same placeholders', () => {
    expect(catalogProblems(loadTexts())).toEqual([]);
  });

  it('load and fill in placeholders', () => {
    const text = createCatalog();
    expect(text.t('da', 'prep.share.yes', { mentor: 'Jonas' })).toBe('Ja, send dem til Jonas');
    expect(text.t('en', 'prep.share.yes', { mentor: 'Jonas' })).toBe('Yes, send them to Jonas');
  });

  it('fill a placeholder used twice, leave one without a value as it is, and give the same text again and again', () => {
    const text = createCatalog(promptsDir({ hi: '{name}, {name}! {missing} {}' }, { hi: '{name}, {name}! {missing} {}' }));
    for (let i = 0; i < 3; i += 1) expect(text.t('da', 'common.hi', { name: 'Sara' })).toBe('Sara, Sara! {missing} {}');
    expect(text.t('en', 'common.hi', { name: 0 })).toBe('0, 0! {missing} {}');
  });

  it('refuse to start when a key exists in one language only', () => {
    const dir = promptsDir({ hello: 'Hej', bye: 'Farvel' }, { hello: 'Hello' });
    expect(() => createCatalog(dir)).toThrow('common.bye is in da but not in en');
  });

  it('refuse to start when the placeholders differ', () => {
    const dir = promptsDir({ hello: 'Hej {name}' }, { hello: 'Hello {nmae}' });
    expect(() => createCatalog(dir)).toThrow(/common.hello has placeholders \{name\} in da but \{nmae\} in en/);
  });

  it('refuse an empty text', () => {
    expect(() => createCatalog(promptsDir({ hello: '' }, { hello: 'Hello' }))).toThrow(/prompts\/da\/common.json: hello must not be empty/);
  });
});
