// Shared helpers for `npm run bench`: timing, result files, goal reporting.
// Each benchmark file (`packages/*/bench/*.bench.ts`) exports `run(ctx)` and
// records its figures with `ctx.record(...)`; the runner writes one JSON file
// per benchmark to bench/results/ with the machine it ran on.
import { cpus, totalmem } from 'node:os';

export type Figure = {
  name: string;
  value: number;
  unit: string;
  /** A goal such as `<= 1` (ms) or `>= 200000` (per s); printed with pass/fail. */
  goal?: { op: '<=' | '>='; value: number };
  parameters?: Record<string, unknown>;
};

export type BenchContext = {
  record: (figure: Figure) => void;
  log: (message: string) => void;
};

export type BenchModule = { title: string; run: (ctx: BenchContext) => Promise<void> };

export function machine() {
  const cpu = cpus()[0];
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpu?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/** Runs fn repeatedly until minMs elapsed (after warm-up); returns mean ms per call and calls/s. */
export function timeSync(fn: () => unknown, options: { minMs?: number; warmup?: number } = {}) {
  const minMs = options.minMs ?? 500;
  for (let i = 0; i < (options.warmup ?? 10); i++) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return { meanMs: elapsed / calls, perSecond: (calls * 1000) / elapsed, calls };
}

/** Percentile of an unsorted sample (nearest-rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function goalMet(figure: Figure): boolean | undefined {
  if (!figure.goal) return undefined;
  return figure.goal.op === '<=' ? figure.value <= figure.goal.value : figure.value >= figure.goal.value;
}
