// Planning jobs in worker threads, at most `concurrency` at a time (each one
// can keep a core busy for seconds); further jobs wait their turn.
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerTask } from './wfm.worker.ts';

export class PlanningTaskError extends Error {
  readonly code: string | undefined;
  readonly issues: unknown;
  constructor(error: { name: string; message: string; code?: string; issues?: unknown }) {
    super(error.message);
    this.name = error.name;
    this.code = error.code;
    this.issues = error.issues;
  }
}

export type PlanningRunner = { run: (task: WorkerTask) => Promise<unknown>; close: () => Promise<void> };

export function createPlanningRunner(options: { concurrency: number }): PlanningRunner {
  const waiting: (() => void)[] = [];
  const workers = new Set<Worker>();
  let running = 0;

  async function turn() {
    if (running < options.concurrency) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  function done() {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    async run(task) {
      await turn();
      const worker = new Worker(new URL('./wfm.worker.ts', import.meta.url));
      workers.add(worker);
      try {
        const reply = await new Promise<WorkerReply>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`planning worker exited with code ${code}`)));
          worker.postMessage(task);
        });
        if (!reply.ok) throw new PlanningTaskError(reply.error);
        return reply.result;
      } finally {
        workers.delete(worker);
        await worker.terminate();
        done();
      }
    },
    async close() {
      await Promise.all([...workers].map((worker) => worker.terminate()));
    },
  };
}
