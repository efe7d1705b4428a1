// The small language of queue requirements, e.g. `language == 'it' && donor_care >= 5`.
// A hand-written recursive-descent parser compiles it to closures: no eval, no
// Function constructor, and nothing an operator types can reach outside the
// agent's own skills and attributes.
//
//   expression := or
//   or         := and (('||' | 'or') and)*
//   and        := unary (('&&' | 'and') unary)*
//   unary      := ('!' | 'not') unary | primary
//   primary    := '(' expression ')' | 'true' | 'false'
//               | operand (compare operand | 'in' '[' literal (',' literal)* ']')?
//   compare    := '==' | '!=' | '<' | '<=' | '>' | '>='
//   operand    := name | number | 'quoted text' | "quoted text"
//
// A bare name tests presence (a skill with proficiency > 0, a non-empty attribute).
// A comparison that involves a name the agent does not have is false — `!=`
// included — so `language != 'de'` does not select agents with no language; write
// `!(language == 'de')` for that. A list attribute (languages: ['it', 'en'])
// compared with `==` or `in` matches when any element matches.
import { RoutingError } from './routing.errors.ts';

export type AttributeValue = string | number | boolean | readonly string[];

/** What an expression is evaluated against: an agent's skills and attributes. */
export type SkillSubject = {
  /** Proficiency 1–10 per skill. */
  skills: Readonly<Record<string, number>>;
  attributes?: Readonly<Record<string, AttributeValue>>;
};

export type SkillExpression = {
  source: string;
  /** Normalized text: equal for expressions that differ only in spacing, quotes or `and`/`&&`. */
  canonical: string;
  /** Every name the expression mentions, in order of first appearance. */
  names: string[];
  matches: (subject: SkillSubject) => boolean;
};

type Operand =
  | { kind: 'name'; name: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string };
type Literal = Extract<Operand, { kind: 'number' | 'string' }>;
type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
type Node =
  | { kind: 'or' | 'and'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'const'; value: boolean }
  | { kind: 'has'; name: string }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'in'; left: Operand; list: Literal[] };

type TokenKind = 'name' | 'number' | 'string' | 'op' | 'end';
type Token = { kind: TokenKind; text: string; value: string | number; column: number };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ','];
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false']);

/** Parses and compiles an expression; throws RoutingError ROUTING_INVALID_EXPRESSION with the column. */
export function parseSkillExpression(source: string): SkillExpression {
  const tokens = tokenize(source);
  const parser = new Parser(source, tokens);
  const root = parser.parseExpression();
  parser.expectEnd();
  const names: string[] = [];
  collectNames(root, names);
  return { source, canonical: printNode(root), names, matches: compile(root) };
}

function fail(source: string, column: number, message: string): never {
  const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
  throw new RoutingError(
    'ROUTING_INVALID_EXPRESSION',
    `invalid skill expression at column ${column}: ${message}\n  ${source}\n  ${caret}`,
    { expression: source, column },
  );
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const column = i + 1;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j]!)) j++;
      const text = source.slice(i, j);
      tokens.push({ kind: 'name', text, value: text, column });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      let j = i;
      while (j < source.length && /[0-9]/.test(source[j]!)) j++;
      if (source[j] === '.') {
        j++;
        while (j < source.length && /[0-9]/.test(source[j]!)) j++;
      }
      if (/[A-Za-z_]/.test(source[j] ?? '')) fail(source, j + 1, `unexpected '${source[j]}' after a number`);
      const text = source.slice(i, j);
      tokens.push({ kind: 'number', text, value: Number(text), column });
      i = j;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < source.length && source[j] !== ch) {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        value += source[j];
        j++;
      }
      if (j >= source.length) fail(source, column, `the text starting here has no closing ${ch}`);
      tokens.push({ kind: 'string', text: source.slice(i, j + 1), value, column });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, value: op, column });
      i += op.length;
      continue;
    }
    if (ch === '=') fail(source, column, "'=' is not an operator; use '==' to compare");
    if (ch === '&') fail(source, column, "'&' is not an operator; use '&&' (or 'and')");
    if (ch === '|') fail(source, column, "'|' is not an operator; use '||' (or 'or')");
    fail(source, column, `unexpected character '${ch}'`);
  }
  tokens.push({ kind: 'end', text: 'end of expression', value: '', column: source.length + 1 });
  return tokens;
}

class Parser {
  private position = 0;
  private readonly source: string;
  private readonly tokens: Token[];

  constructor(source: string, tokens: Token[]) {
    this.source = source;
    this.tokens = tokens;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }

  private isOp(token: Token, ...ops: string[]): boolean {
    return (token.kind === 'op' || token.kind === 'name') && ops.includes(token.text);
  }

  private describe(token: Token): string {
    return token.kind === 'end' ? 'the end of the expression' : `'${token.text}'`;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') {
      const hint = token.kind === 'name' || token.kind === 'op' ? " (missing '&&' or '||'?)" : '';
      fail(
        this.source,
        token.column,
        `expected the end of the expression, found ${this.describe(token)}${hint}`,
      );
    }
  }

  parseExpression(): Node {
    if (this.peek().kind === 'end') fail(this.source, this.peek().column, 'the expression is empty');
    return this.parseOr();
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.isOp(this.peek(), '||', 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseUnary();
    while (this.isOp(this.peek(), '&&', 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Node {
    if (this.isOp(this.peek(), '!', 'not')) {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Node {
    const token = this.peek();
    if (token.kind === 'op' && token.text === '(') {
      this.next();
      const inner = this.parseExpression();
      const close = this.next();
      if (!(close.kind === 'op' && close.text === ')')) {
        fail(this.source, close.column, `expected ')' to close the '(' at column ${token.column}`);
      }
      return inner;
    }
    if (token.kind === 'name' && (token.text === 'true' || token.text === 'false')) {
      this.next();
      return { kind: 'const', value: token.text === 'true' };
    }
    const left = this.parseOperand('a skill name, a number or a quoted text');
    const after = this.peek();
    if (after.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(after.text)) {
      this.next();
      const op = after.text as CompareOp;
      const right = this.parseOperand(`a value after '${op}'`);
      if (op !== '==' && op !== '!=') {
        for (const [operand, at] of [
          [left, token],
          [right, this.tokens[this.position - 1]!],
        ] as const) {
          if (operand.kind === 'string') {
            fail(this.source, at.column, `'${op}' compares numbers, but ${at.text} is a text`);
          }
        }
      }
      return { kind: 'compare', op, left, right };
    }
    if (after.kind === 'name' && after.text === 'in') {
      this.next();
      return { kind: 'in', left, list: this.parseList() };
    }
    if (left.kind !== 'name') {
      fail(
        this.source,
        after.column,
        `expected a comparison after ${token.text}, found ${this.describe(after)}`,
      );
    }
    return { kind: 'has', name: left.name };
  }

  private parseOperand(expected: string): Operand {
    const token = this.next();
    if (token.kind === 'number') return { kind: 'number', value: token.value as number };
    if (token.kind === 'string') return { kind: 'string', value: token.value as string };
    if (token.kind === 'name' && !KEYWORDS.has(token.text)) return { kind: 'name', name: token.text };
    fail(this.source, token.column, `expected ${expected}, found ${this.describe(token)}`);
  }

  private parseList(): Literal[] {
    const open = this.next();
    if (!(open.kind === 'op' && open.text === '[')) {
      fail(
        this.source,
        open.column,
        `expected '[' to start the list after 'in', found ${this.describe(open)}`,
      );
    }
    const list: Literal[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'number') list.push({ kind: 'number', value: token.value as number });
      else if (token.kind === 'string') list.push({ kind: 'string', value: token.value as string });
      else
        fail(
          this.source,
          token.column,
          `expected a number or a quoted text in the list, found ${this.describe(token)}`,
        );
      const separator = this.next();
      if (separator.kind === 'op' && separator.text === ']') return list;
      if (!(separator.kind === 'op' && separator.text === ',')) {
        fail(
          this.source,
          separator.column,
          `expected ',' or ']' in the list, found ${this.describe(separator)}`,
        );
      }
    }
  }
}

function collectNames(node: Node, names: string[]): void {
  const add = (operand: Operand) => {
    if (operand.kind === 'name' && !names.includes(operand.name)) names.push(operand.name);
  };
  switch (node.kind) {
    case 'or':
    case 'and':
      collectNames(node.left, names);
      collectNames(node.right, names);
      return;
    case 'not':
      collectNames(node.operand, names);
      return;
    case 'has':
      add({ kind: 'name', name: node.name });
      return;
    case 'compare':
      add(node.left);
      add(node.right);
      return;
    case 'in':
      add(node.left);
      return;
    case 'const':
      return;
  }
}

function printOperand(operand: Operand): string {
  if (operand.kind === 'name') return operand.name;
  if (operand.kind === 'number') return String(operand.value);
  return JSON.stringify(operand.value);
}

function printNode(node: Node): string {
  switch (node.kind) {
    case 'or':
      return `(${printNode(node.left)} || ${printNode(node.right)})`;
    case 'and':
      return `(${printNode(node.left)} && ${printNode(node.right)})`;
    case 'not':
      return `!${printNode(node.operand)}`;
    case 'const':
      return String(node.value);
    case 'has':
      return node.name;
    case 'compare':
      return `${printOperand(node.left)} ${node.op} ${printOperand(node.right)}`;
    case 'in':
      return `${printOperand(node.left)} in [${node.list.map(printOperand).join(', ')}]`;
  }
}

type Value = AttributeValue | undefined;
type Getter = (subject: SkillSubject) => Value;

function lookup(subject: SkillSubject, name: string): Value {
  // hasOwn, so that names such as `constructor` never reach Object.prototype.
  if (Object.hasOwn(subject.skills, name)) return subject.skills[name];
  const attributes = subject.attributes;
  if (attributes && Object.hasOwn(attributes, name)) return attributes[name];
  return undefined;
}

function getter(operand: Operand): Getter {
  if (operand.kind === 'name') {
    const name = operand.name;
    return (subject) => lookup(subject, name);
  }
  const value = operand.value;
  return () => value;
}

function equal(a: Value, b: Value): boolean {
  if (a === undefined || b === undefined) return false;
  if (Array.isArray(a)) return Array.isArray(b) ? a.some((x) => b.includes(x)) : a.includes(b as string);
  if (Array.isArray(b)) return b.includes(a as string);
  return a === b;
}

function compareNumbers(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function truthy(value: Value): boolean {
  if (value === undefined) return false;
  if (typeof value === 'number') return value > 0;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'boolean') return value;
  return value.length > 0;
}

function compile(node: Node): (subject: SkillSubject) => boolean {
  switch (node.kind) {
    case 'or': {
      const left = compile(node.left);
      const right = compile(node.right);
      return (subject) => left(subject) || right(subject);
    }
    case 'and': {
      const left = compile(node.left);
      const right = compile(node.right);
      return (subject) => left(subject) && right(subject);
    }
    case 'not': {
      const operand = compile(node.operand);
      return (subject) => !operand(subject);
    }
    case 'const': {
      const value = node.value;
      return () => value;
    }
    case 'has': {
      const name = node.name;
      return (subject) => truthy(lookup(subject, name));
    }
    case 'compare': {
      const left = getter(node.left);
      const right = getter(node.right);
      const op = node.op;
      if (op === '==') return (subject) => equal(left(subject), right(subject));
      if (op === '!=') {
        return (subject) => {
          const a = left(subject);
          const b = right(subject);
          return a !== undefined && b !== undefined && !equal(a, b);
        };
      }
      return (subject) => {
        const a = left(subject);
        const b = right(subject);
        return typeof a === 'number' && typeof b === 'number' && compareNumbers(op, a, b);
      };
    }
    case 'in': {
      const left = getter(node.left);
      const values = node.list.map((literal) => literal.value);
      return (subject) => {
        const value = left(subject);
        if (value === undefined) return false;
        if (Array.isArray(value)) return value.some((x) => values.includes(x));
        return values.includes(value as string | number);
      };
    }
  }
}

/** An expression true when any of `expressions` is: an overflow step that adds other queues' agents. */
export function anyOfSkillExpressions(expressions: SkillExpression[]): SkillExpression {
  const unique = expressions.filter(
    (expression, i) => expressions.findIndex((other) => other.canonical === expression.canonical) === i,
  );
  if (unique.length === 1) return unique[0]!;
  const names: string[] = [];
  for (const expression of unique)
    for (const name of expression.names) if (!names.includes(name)) names.push(name);
  const parts = unique.map((expression) => expression.matches);
  return {
    source: unique.map((expression) => `(${expression.source})`).join(' || '),
    canonical: `(${unique.map((expression) => expression.canonical).join(' || ')})`,
    names,
    matches: (subject) => parts.some((matches) => matches(subject)),
  };
}

/** An expression true when `include` is and `exclude` is not: the agents an overflow step adds. */
export function butNotSkillExpression(include: SkillExpression, exclude: SkillExpression): SkillExpression {
  const matchesInclude = include.matches;
  const matchesExclude = exclude.matches;
  return {
    source: `(${include.source}) && !(${exclude.source})`,
    canonical: `(${include.canonical} && !${exclude.canonical})`,
    names: [...include.names, ...exclude.names.filter((name) => !include.names.includes(name))],
    matches: (subject) => matchesInclude(subject) && !matchesExclude(subject),
  };
}
