import { describe, expect, it } from 'vitest';
import { initialLanguage, messages } from './i18n.ts';

describe('web i18n', () => {
  it('has every message in Italian and English, none empty', () => {
    const itKeys = Object.keys(messages.it).sort();
    expect(Object.keys(messages.en).sort()).toEqual(itKeys);
    for (const language of ['it', 'en'] as const)
      for (const [key, text] of Object.entries(messages[language]))
        expect(text, `${language} ${key}`).not.toBe('');
  });

  it('speaks Italian to an Italian browser and remembers an explicit choice', () => {
    expect(initialLanguage(null, ['it-IT', 'en-US'])).toBe('it');
    expect(initialLanguage(null, ['en-GB', 'it'])).toBe('en');
    expect(initialLanguage(null, ['de-DE', 'it-IT'])).toBe('it');
    expect(initialLanguage(null, ['de-DE'])).toBe('en');
    expect(initialLanguage(null, [])).toBe('it');
    expect(initialLanguage('en', ['it-IT'])).toBe('en');
    expect(initialLanguage('xx', ['it-IT'])).toBe('it');
  });
});
