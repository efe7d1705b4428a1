// The campaign script's merge fields: `{{firstName}}` (the API's spelling) or
// `{{first_name}}` are filled from the supporter on the call; an unknown or
// empty field stays visible as `[first_name]` so the operator notices it.

export type MergeSource = Record<string, string | number | null | undefined>;

const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

export function fillScript(script: string, source: MergeSource): string {
  return script.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g, (_, name: string) => {
    const value = source[name] ?? source[camel(name)];
    return value === null || value === undefined || value === '' ? `[${name}]` : String(value);
  });
}
