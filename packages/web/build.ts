// Builds the web app into packages/web/dist with Vite. `--if-stale` builds only
// when a source is newer than the last build: `npm start` runs it first
// (prestart), so a fresh clone serves the app and a second start costs nothing.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const root = import.meta.dirname;
const builtIndex = join(root, 'dist', 'index.html');

function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of ['src', 'index.html', 'vite.config.ts', 'package.json']) visit(join(root, entry));
  return newest;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestSource()) {
  process.exit(0);
}
console.log('Building the web app (packages/web/dist)…');
await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
