import { describe, expect, it } from 'vitest';
import { RoutingError } from './routing.errors.ts';
import { anyOfSkillExpressions, parseSkillExpression, type SkillSubject } from './skill-expression.ts';

const maria: SkillSubject = {
  skills: { donor_care: 7, sepa: 3 },
  attributes: { language: 'it', senior: true },
};
const john: SkillSubject = { skills: { donor_care: 4 }, attributes: { language: ['en', 'it'] } };
const nobody: SkillSubject = { skills: {} };

function matches(source: string, subject: SkillSubject): boolean {
  return parseSkillExpression(source).matches(subject);
}

function errorOf(source: string): RoutingError {
  try {
    parseSkillExpression(source);
  } catch (error) {
    if (error instanceof RoutingError) return error;
    throw error;
  }
  throw new Error(`expected "${source}" to be rejected`);
}

describe('parseSkillExpression: evaluation', () => {
  it.each([
    // [expression, maria, john, nobody]
    ["language == 'it' && donor_care >= 5", true, false, false],
    ["language == 'it' and donor_care >= 4", true, true, false],
    ['donor_care > 7 || sepa >= 3', true, false, false],
    ['donor_care', true, true, false],
    ['!sepa', false, true, true],
    ['not (sepa >= 1)', false, true, true],
    ["language in ['en', 'de']", false, true, false],
    ["language != 'it'", false, false, false],
    ["!(language == 'de')", true, true, true],
    ['senior', true, false, false],
    ['true', true, true, true],
    ['false || donor_care <= 4', false, true, false],
    ['2 <= donor_care && donor_care < 5', false, true, false],
    ['sepa == 3', true, false, false],
    ["(donor_care >= 5 || language == 'en') && !senior", false, true, false],
  ])('%s', (source, forMaria, forJohn, forNobody) => {
    expect([matches(source, maria), matches(source, john), matches(source, nobody)]).toEqual([
      forMaria,
      forJohn,
      forNobody,
    ]);
  });

  it('gives && precedence over ||', () => {
    // false || (true && false) = false; a left-to-right reading would give (false || true) && false = false
    // too, so use a case that differs: true || (false && false) = true vs (true || false) && false = false.
    expect(matches('donor_care >= 1 || sepa >= 9 && donor_care >= 9', maria)).toBe(true);
  });

  it('never reaches Object.prototype through names', () => {
    expect(matches('constructor', nobody)).toBe(false);
    expect(matches('toString == 1', nobody)).toBe(false);
  });

  it('normalizes spacing, quotes and keywords in the canonical form', () => {
    const a = parseSkillExpression("language=='it'&&donor_care>=5");
    const b = parseSkillExpression('language == "it" and donor_care >= 5');
    expect(a.canonical).toBe(b.canonical);
    expect(a.names).toEqual(['language', 'donor_care']);
  });

  it('combines alternatives for overflow steps', () => {
    const combined = anyOfSkillExpressions([
      parseSkillExpression('sepa >= 3'),
      parseSkillExpression("language == 'en'"),
    ]);
    expect(combined.matches(maria)).toBe(true);
    expect(combined.matches(john)).toBe(true);
    expect(combined.matches(nobody)).toBe(false);
    expect(combined.names).toEqual(['sepa', 'language']);
  });
});

describe('parseSkillExpression: errors name the column and say what was expected', () => {
  it.each([
    ["language = 'it'", 10, "'=' is not an operator; use '=='"],
    ['donor_care >= 5 & sepa', 17, "use '&&'"],
    ['donor_care >=', 14, "expected a value after '>=', found the end of the expression"],
    ['', 1, 'the expression is empty'],
    ["language == 'it", 13, 'has no closing'],
    ["(donor_care >= 5 || language == 'it'", 37, "expected ')' to close the '(' at column 1"],
    ["language >= 'it'", 13, "'>=' compares numbers, but 'it' is a text"],
    ['donor_care 5', 12, "expected the end of the expression, found '5'"],
    ['language it', 10, "(missing '&&' or '||'?)"],
    ["language in 'it'", 13, "expected '[' to start the list after 'in'"],
    ["language in ['it' 'en']", 19, "expected ',' or ']' in the list"],
    ['donor_care >= 5 @', 17, "unexpected character '@'"],
    ['5', 2, 'expected a comparison after 5'],
    ['donor_care >= and', 15, "expected a value after '>=', found 'and'"],
  ])('%j', (source, column, fragment) => {
    const error = errorOf(source);
    expect(error.code).toBe('ROUTING_INVALID_EXPRESSION');
    expect(error.issues[0]!.column).toBe(column);
    expect(error.message).toContain(fragment);
    expect(error.message).toContain(`at column ${column}`);
  });

  it('shows the expression with a caret under the problem', () => {
    expect(errorOf('donor_care >= 5 & sepa').message).toBe(
      "invalid skill expression at column 17: '&' is not an operator; use '&&' (or 'and')\n" +
        '  donor_care >= 5 & sepa\n' +
        '                  ^',
    );
  });
});
