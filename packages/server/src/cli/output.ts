// Small helpers for readable CLI output and input files.
import { readFileSync } from 'node:fs';

/** A fixed-width text table; numbers are right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((row) => /^[-€\s\d.,%]+$/.test(row[i] ?? '')),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function readInputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${(error as Error).message}`,
    );
  }
}

export type ProgressMode = 'bar' | 'lines' | 'none';

/**
 * Where progress goes: a bar on a terminal; plain lines when
 * CENTRALINO_PROGRESS=plain (CI logs); nothing otherwise, so a pipe or a file
 * stays clean.
 */
export function progressMode(env: NodeJS.ProcessEnv): ProgressMode {
  if (process.stderr.isTTY === true) return 'bar';
  return env.CENTRALINO_PROGRESS === 'plain' ? 'lines' : 'none';
}

/**
 * Progress on stderr. `fraction` draws a 20-step bar with a percentage (left
 * out when unknown); `detail` follows it (rows, speed). In `lines` mode each
 * update is a line "label: detail, 42%". A bar is redrawn only when its text
 * changes, and erased by done().
 */
export function progressBar(label: string, mode: ProgressMode) {
  let last = '';
  return {
    update(fraction: number | undefined, detail = '') {
      if (mode === 'none') return;
      if (fraction === undefined) {
        if (mode === 'lines') process.stderr.write(`${label}: ${detail}\n`);
        else process.stderr.write(`\r  ${label}: ${detail}`);
        last = detail;
        return;
      }
      const percent = Math.floor(Math.min(1, fraction) * 100);
      const filled = Math.round(percent / 5);
      const text =
        mode === 'lines'
          ? `${label}: ${detail ? `${detail}, ` : ''}${percent}%`
          : `${label} [${'#'.repeat(filled)}${' '.repeat(20 - filled)}] ${percent}%${detail ? ` ${detail}` : ''}`;
      if (text === last) return;
      last = text;
      process.stderr.write(mode === 'lines' ? `${text}\n` : `\r  ${text}`);
    },
    done() {
      if (mode === 'bar' && last !== '') process.stderr.write('\r\x1b[K');
    },
  };
}
