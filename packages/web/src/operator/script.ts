// The campaign script's merge fields: `{{firstName}}` (the API's spelling) or
// `{{first_name}}` are filled from the supporter on the call; an unknown or
// empty field stays visible as `[first_name]` so the operator notices it.

/** The fields the operator desktop fills (OperatorDesktop.tsx builds them from the supporter card). */
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

const FIELD = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;
const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

export function fillScript(script: string, source: MergeSource): string {
  return script.replace(FIELD, (_, name: string) => {
    const value = source[name] ?? source[camel(name)];
    return value === null || value === undefined || value === '' ? `[${name}]` : String(value);
  });
}

/** The script's merge fields the desktop does not know (each once, as written): they would show as `[name]`. */
export function unknownMergeFields(script: string): string[] {
  const known: readonly string[] = MERGE_FIELDS;
  const names = [...script.matchAll(FIELD)].map((match) => match[1] ?? '');
  return [...new Set(names.filter((name) => !known.includes(name) && !known.includes(camel(name))))];
}
