import { describe, expect, it } from 'vitest';
import { createI18n, initialLanguage, messages } from './i18n.ts';

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

  it('formats numbers in the language, each set of options with its own format, kept across calls', () => {
    const it = createI18n('it', () => {});
    const en = createI18n('en', () => {});
    const percent = { style: 'percent', maximumFractionDigits: 1 } as const;
    expect(it.formatNumber(0.8125, percent)).toBe('81,3%');
    expect(en.formatNumber(0.8125, percent)).toBe('81.3%');
    // A cached format does not leak into a call with other options, or none.
    expect(it.formatNumber(1234.5)).toBe('1234,5');
    expect(it.formatNumber(12345.5)).toBe('12.345,5');
    expect(it.formatNumber(0.5, percent)).toBe('50%');
    expect(it.formatNumber(3, { minimumFractionDigits: 2 })).toBe('3,00');
    expect(it.formatNumber(0.25, { style: 'percent' })).toBe('25%');
  });
});
