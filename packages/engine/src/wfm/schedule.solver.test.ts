// When the HiGHS WebAssembly module cannot be loaded, `auto` and `heuristic`
// still answer (heuristic from nothing, with a warning) and `highs` fails with a
// typed error. The module is replaced for this file only: test files share
// their worker's modules, so the scheduler is loaded afresh here, after the
// mock, rather than reused with the HiGHS another file already loaded.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScheduleOptions } from './schedule.ts';

vi.mock('highs', () => ({
  default: () => Promise.reject(new Error('WebAssembly.instantiate(): out of memory')),
}));

let scheduleShifts: typeof import('./schedule.ts').scheduleShifts;
let ScheduleError: typeof import('./schedule.ts').ScheduleError;
beforeAll(async () => {
  vi.resetModules();
  ({ scheduleShifts, ScheduleError } = await import('./schedule.ts'));
});

const options: ScheduleOptions = {
  requirements: {
    start: '2025-03-03T08:00:00Z',
    intervalMinutes: 30,
    requiredAgents: [1, 1, 2, 2, 2, 2, 1, 1],
  },
  templates: [
    { id: 'four-hours', lengthMinutes: 240, startTimes: ['08:00', '10:00'], costCents: 4000 },
    {
      id: 'two-hours',
      lengthMinutes: 120,
      startWindow: { earliest: '08:00', latest: '10:00' },
      costCents: 2500,
    },
  ],
};

describe('scheduleShifts without HiGHS', () => {
  it('falls back to the heuristic in auto mode and says why', async () => {
    const result = await scheduleShifts(options);
    expect(result.solver).toBe('heuristic');
    expect(result.solverPhases).toEqual([]);
    expect(result.lpBoundCents).toBeNull();
    expect(result.gapPercent).toBeNull();
    expect(result.status).toBe('feasible');
    expect(result.warnings[0]).toContain(
      'HiGHS could not be loaded: WebAssembly.instantiate(): out of memory',
    );
    expect(result.coverage.every((interval) => interval.under === 0)).toBe(true);
  });

  it('fails with SCHEDULE_SOLVER_UNAVAILABLE when HiGHS is required', async () => {
    const error = await scheduleShifts({ ...options, solver: 'highs' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScheduleError);
    expect((error as InstanceType<typeof ScheduleError>).code).toBe('SCHEDULE_SOLVER_UNAVAILABLE');
    expect((error as InstanceType<typeof ScheduleError>).issues[0]!.field).toBe('solver');
  });
});
