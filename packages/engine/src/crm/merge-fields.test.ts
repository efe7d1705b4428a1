import { describe, expect, it } from 'vitest';
import { fillScript, MERGE_FIELDS, mergeFieldOf, parseScript } from './merge-fields.ts';

describe('campaign script merge fields', () => {
  it('finds the known fields, in either spelling and with spaces inside the braces', () => {
    expect(parseScript('Buongiorno {{firstName}} {{ last_name }}, da {{operatorName}}')).toEqual({
      fields: ['firstName', 'last_name', 'operatorName'],
      unknown: [],
      malformed: [],
    });
    expect(mergeFieldOf('operator_name')).toBe('operatorName');
    expect(mergeFieldOf('nickname')).toBeUndefined();
  });

  it('accepts every field of the list', () => {
    const script = MERGE_FIELDS.map((field) => `{{${field}}}`).join(' ');
    expect(parseScript(script)).toEqual({ fields: [...MERGE_FIELDS], unknown: [], malformed: [] });
  });

  it('names each unknown field once, as written, and a field repeated once', () => {
    expect(
      parseScript(
        '{{first_name}} {{ fullName }} {{nickname}} {{iban}} {{nickname}} {{first_name}} {{supporter.firstName}}',
      ),
    ).toEqual({
      fields: ['first_name', 'fullName', 'nickname', 'iban', 'supporter.firstName'],
      unknown: ['nickname', 'iban', 'supporter.firstName'],
      malformed: [],
    });
  });

  it('finds nothing in a text without fields, single braces included', () => {
    expect(parseScript('Buongiorno, nessun campo {qui}')).toEqual({ fields: [], unknown: [], malformed: [] });
    expect(parseScript('')).toEqual({ fields: [], unknown: [], malformed: [] });
  });

  it('reports an unclosed placeholder and still checks the ones after it', () => {
    expect(parseScript('Buongiorno {{firstName, come sta?\nLa chiamo per {{nickname}}')).toEqual({
      fields: ['nickname'],
      unknown: ['nickname'],
      malformed: [{ reason: 'unclosed', index: 11, text: '{{firstName, come sta?' }],
    });
    expect(parseScript('Grazie {{firstName}')).toEqual({
      fields: [],
      unknown: [],
      malformed: [{ reason: 'unclosed', index: 7, text: '{{firstName}' }],
    });
  });

  it('reports braces around something that is not a name, and a closing pair alone', () => {
    expect(parseScript('{{first name}} {{}} {{{city}}} firstName}}').malformed).toEqual([
      { reason: 'name', index: 0, text: '{{first name}}' },
      { reason: 'name', index: 15, text: '{{}}' },
      { reason: 'name', index: 20, text: '{{{city}}' },
      { reason: 'unopened', index: 40, text: '}}' },
    ]);
  });

  it('fills snake_case and camelCase fields and marks the missing ones', () => {
    const source = { firstName: 'Maria', lastName: 'Rossi', amount: '10,00 €' };
    expect(fillScript('Buongiorno {{first_name}} {{ lastName }}, {{amount}} {{city}}', source)).toBe(
      'Buongiorno Maria Rossi, 10,00 € [city]',
    );
  });
});
