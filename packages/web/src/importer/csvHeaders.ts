// The header row of a CSV file, read in the browser for the column mapping
// step (the server reads the whole file again; XLSX headers are left to it).

/** The delimiter the header row uses most: `;` (Italian Excel), `,`, tab or `|`. */
export function detectDelimiter(line: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [';', ',', '\t', '|']) {
    const count = splitCsvLine(line, candidate).length;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** One CSV record's fields; quotes ("a ""b""") as RFC 4180. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** The header names of a CSV text's first line (BOM and surrounding blanks removed). */
export function csvHeaders(text: string): string[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (first.trim() === '') return [];
  return splitCsvLine(first, detectDelimiter(first)).map((h) => h.trim());
}
