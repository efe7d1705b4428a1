// The campaign script's merge fields: `{{firstName}}` (the API's spelling) or
// `{{first_name}}` are filled from the supporter on the call. One list and one
// parser for the server (which refuses a script the desktop could not fill),
// the admin form (which warns as the script is typed) and the operator desktop
// (which fills it), so the three never disagree on what a field is.

/** The fields the operator desktop fills (web OperatorDesktop.tsx builds them from the supporter card). */
export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'fullName',
  'city',
  'amount',
  'frequency',
  'operatorName',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export type MergeSource = Record<string, string | number | null | undefined>;

/** A `{{` that opens no placeholder the desktop can fill: it would reach the operator's screen as raw text. */
export type MalformedPlaceholder = {
  /** `unclosed`: `{{` with no `}}`; `name`: `{{…}}` around something that is not a field name; `unopened`: `}}` alone. */
  reason: 'unclosed' | 'name' | 'unopened';
  /** Offset in the script (UTF-16 code units), for an editor to point at. */
  index: number;
  /** The text as written, at most 40 characters. */
  text: string;
};

export type ScriptFields = {
  /** Every field named, each once, as written, in order of first appearance. */
  fields: string[];
  /** The fields no one fills (each once, as written): the desktop would show them as `[name]`. */
  unknown: string[];
  malformed: MalformedPlaceholder[];
};

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/y;
const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
const KNOWN: ReadonlySet<string> = new Set(MERGE_FIELDS);

/** The field a name stands for, in either spelling (`first_name` is `firstName`); undefined when unknown. */
export function mergeFieldOf(name: string): MergeField | undefined {
  if (KNOWN.has(name)) return name as MergeField;
  const camelName = camel(name);
  return KNOWN.has(camelName) ? (camelName as MergeField) : undefined;
}

/** The fields a script names and what in it is not a placeholder the desktop can fill. */
export function parseScript(script: string): ScriptFields {
  const fields: string[] = [];
  const malformed: MalformedPlaceholder[] = [];
  const excerpt = (from: number, to: number) => script.slice(from, Math.min(to, from + 40));
  let at = 0;
  while (at < script.length) {
    const open = script.indexOf('{{', at);
    const close = script.indexOf('}}', at);
    if (open === -1 && close === -1) break;
    if (open === -1 || (close !== -1 && close < open)) {
      malformed.push({ reason: 'unopened', index: close, text: '}}' });
      at = close + 2;
      continue;
    }
    PLACEHOLDER.lastIndex = open;
    const match = PLACEHOLDER.exec(script);
    if (match) {
      fields.push(match[1] ?? '');
      at = PLACEHOLDER.lastIndex;
      continue;
    }
    const end = script.indexOf('}}', open + 2);
    const nextOpen = script.indexOf('{{', open + 2);
    if (end === -1 || (nextOpen !== -1 && nextOpen < end)) {
      // Scanning goes on from the next `{{`, so a later placeholder is still checked.
      const lineEnd = script.indexOf('\n', open);
      malformed.push({
        reason: 'unclosed',
        index: open,
        text: excerpt(open, lineEnd === -1 ? script.length : lineEnd),
      });
      at = open + 2;
      continue;
    }
    malformed.push({ reason: 'name', index: open, text: excerpt(open, end + 2) });
    at = end + 2;
  }
  const named = [...new Set(fields)];
  return { fields: named, unknown: named.filter((name) => mergeFieldOf(name) === undefined), malformed };
}

/** The script with its fields filled; an unknown or empty field stays visible as `[name]` so the operator notices it. */
export function fillScript(script: string, source: MergeSource): string {
  return script.replace(new RegExp(PLACEHOLDER.source, 'g'), (_, name: string) => {
    const value = source[name] ?? source[camel(name)];
    return value === null || value === undefined || value === '' ? `[${name}]` : String(value);
  });
}
