import { describe, expect, it } from 'vitest';
import { fillScript, unknownMergeFields } from './script.ts';

describe('campaign script merge fields', () => {
  it('fills snake_case and camelCase fields and marks the missing ones', () => {
    const source = { firstName: 'Maria', lastName: 'Rossi', amount: '10,00 €' };
    expect(fillScript('Buongiorno {{first_name}} {{ lastName }}, {{amount}} {{city}}', source)).toBe(
      'Buongiorno Maria Rossi, 10,00 € [city]',
    );
  });

  it('names the fields the desktop cannot fill, once each, in either spelling', () => {
    expect(
      unknownMergeFields(
        '{{first_name}} {{ fullName }} {{nickname}} {{iban}} {{nickname}} {{operator_name}}',
      ),
    ).toEqual(['nickname', 'iban']);
    expect(unknownMergeFields('Buongiorno, nessun campo')).toEqual([]);
  });
});
