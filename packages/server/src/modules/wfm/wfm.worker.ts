// Runs CPU-heavy planning work (schedule optimisation, simulation) off the
// event loop: the HiGHS solver blocks its thread for seconds, which must not
// stall the API. One message in, one message out.
import { parentPort } from 'node:worker_threads';
import { forecast, scheduleShifts, simulate } from '@centralino/engine';

export type WorkerTask =
  | { kind: 'schedule'; options: Parameters<typeof scheduleShifts>[0] }
  | { kind: 'forecast'; options: Parameters<typeof forecast>[0] }
  | { kind: 'simulate'; options: Parameters<typeof simulate>[0] };
export type WorkerReply =
  | { ok: true; result: unknown }
  | { ok: false; error: { name: string; message: string; code?: string; issues?: unknown } };

async function run(task: WorkerTask): Promise<unknown> {
  switch (task.kind) {
    case 'schedule':
      return scheduleShifts(task.options);
    case 'forecast':
      return forecast(task.options);
    case 'simulate':
      return simulate(task.options);
  }
}

parentPort?.on('message', async (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: await run(task) };
  } catch (error) {
    const e = error as Error & { code?: string; issues?: unknown };
    reply = { ok: false, error: { name: e.name, message: e.message, code: e.code, issues: e.issues } };
  }
  parentPort?.postMessage(reply);
});
