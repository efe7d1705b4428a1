// `npm run bench [filter]`: runs every packages/*/bench/*.bench.ts in turn (one
// process, sequentially, so benchmarks do not compete for the 2 cores) and
// writes bench/results/<name>.json. Never part of `npm test`.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchModule, type Figure, goalMet, machine } from './lib.ts';

const root = resolve(import.meta.dirname, '..');
const filter = process.argv[2];
const files: string[] = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'bench');
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    continue;
  }
  for (const f of entries) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
}
const selected = files.filter((f) => !filter || f.includes(filter)).sort();
if (selected.length === 0) {
  console.error(filter ? `no benchmark matches "${filter}"` : 'no benchmarks found');
  process.exit(1);
}

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
let failures = 0;
for (const file of selected) {
  const name = basename(file, '.bench.ts');
  const mod = (await import(pathToFileURL(file).href)) as BenchModule;
  console.log(`\n## ${mod.title} (${name})`);
  const figures: Figure[] = [];
  await mod.run({
    record(figure) {
      figures.push(figure);
      const met = goalMet(figure);
      const goal = figure.goal
        ? `  goal ${figure.goal.op} ${figure.goal.value} ${met ? 'met' : 'NOT MET'}`
        : '';
      console.log(`  ${figure.name}: ${formatNumber(figure.value)} ${figure.unit}${goal}`);
      if (met === false) failures++;
    },
    log: (message) => console.log(`  ${message}`),
  });
  const result = {
    benchmark: name,
    title: mod.title,
    date: new Date().toISOString(),
    machine: machine(),
    figures,
  };
  writeFileSync(join(root, 'bench', 'results', `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
console.log(failures ? `\n${failures} goal(s) not met` : '\nall goals met');

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(4);
}
