// simulate({ scenario, replications, seed }): runs independent replications of the
// scenario and reports the KPIs of DOMAIN.md §3–4 per interval and over the horizon,
// per queue, organization, operator group and campaign, each with a confidence
// interval over replications. Pure and deterministic: the same scenario, seed and
// replications give the same result, on any machine.
import { createRandom } from '../random.ts';
import { createCounters, createGeneralRunner, type ReplicationStreams } from './simulate.engine.ts';
import { SimulationError, type SimulationIssue } from './simulate.errors.ts';
import { createSingleQueueRunner, fitsSingleQueue } from './simulate.fast.ts';
import { type CompiledModel, compileModel } from './simulate.model.ts';
import { createLongestIdleRouter, type SimulationRouterFactory } from './simulate.router.ts';
import { createRoutingEngineRouter } from './simulate.routing-engine.ts';
import { isParsedScenario, parseScenario } from './simulate.scenario.ts';
import {
  DIALS,
  FIRST_ATTEMPTS,
  INBOUND_FIELDS,
  INBOUND_METRICS,
  inboundPairs,
  OCCUPANCY_METRICS,
  OPERATOR_FIELDS,
  OUTBOUND_FIELDS,
  OUTBOUND_METRICS,
  occupancyPairs,
  outboundPairs,
  RatioAccumulator,
  studentTQuantile,
} from './simulate.stats.ts';
import type {
  SimulationEstimate,
  SimulationInboundKpis,
  SimulationIntervalRow,
  SimulationOccupancy,
  SimulationOutboundKpis,
  SimulationResult,
} from './simulate.types.ts';

export type SimulationRouterChoice = 'longest-idle' | 'routing-engine' | SimulationRouterFactory;

export type SimulateOptions = {
  /** A scenario (parsed JSON, its text, or the result of parseScenario); validated here. */
  scenario: unknown;
  /** Independent replications (default 10); confidence intervals need at least 2. */
  replications?: number;
  /** Any integer (default 1); replication r uses streams derived from (seed, r). */
  seed?: number;
  /** Of the confidence intervals (default 0.95). */
  confidenceLevel?: number;
  /**
   * `longest-idle` (default): the built-in router; a single-queue model then runs on
   * the specialised loop. `routing-engine`: the live routing engine (engine/routing)
   * through an adapter. Or a factory of your own SimulationRouter.
   */
  router?: SimulationRouterChoice;
  /** Allow the single-queue loop when the model fits it (default true); false forces the general loop. */
  fastPath?: boolean;
  /** `intervals` (default): totals and one row per interval; `totals`: totals only. */
  detail?: 'intervals' | 'totals';
  /** Uniform [0, 1) generator factory; default createRandom of engine/random.ts. */
  createRandom?: (seed: number) => () => number;
  /** Called with the fraction done, 0 to 1, about a hundred times per run (for a progress bar). */
  onProgress?: (fraction: number) => void;
};

export function simulate(options: SimulateOptions): SimulationResult {
  const issues: SimulationIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new SimulationError('SIMULATION_INVALID_INPUT', [
      { field: '(options)', message: 'must be an object' },
    ]);
  }
  const replications = options.replications ?? 10;
  if (!Number.isInteger(replications) || replications < 1 || replications > 1_000_000) {
    issues.push({
      field: 'replications',
      message: `must be a whole number from 1 to 1000000, got ${String(replications)}`,
    });
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) {
    issues.push({ field: 'seed', message: `must be an integer, got ${String(seed)}` });
  }
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (typeof confidenceLevel !== 'number' || !(confidenceLevel > 0 && confidenceLevel < 1)) {
    issues.push({
      field: 'confidenceLevel',
      message: `must be between 0 and 1, got ${String(confidenceLevel)}`,
    });
  }
  const detail = options.detail ?? 'intervals';
  if (detail !== 'intervals' && detail !== 'totals') {
    issues.push({ field: 'detail', message: `must be intervals or totals, got ${String(detail)}` });
  }
  const routerChoice = options.router ?? 'longest-idle';
  if (
    routerChoice !== 'longest-idle' &&
    routerChoice !== 'routing-engine' &&
    typeof routerChoice !== 'function'
  ) {
    issues.push({
      field: 'router',
      message: `must be longest-idle, routing-engine or a router factory, got ${String(routerChoice)}`,
    });
  }
  if (issues.length > 0) throw new SimulationError('SIMULATION_INVALID_INPUT', issues);

  const scenario = isParsedScenario(options.scenario) ? options.scenario : parseScenario(options.scenario);

  const model = compileModel(scenario);
  let factory: SimulationRouterFactory;
  let routerName: string;
  if (routerChoice === 'longest-idle') {
    factory = createLongestIdleRouter;
    routerName = 'longest-idle';
  } else if (routerChoice === 'routing-engine') {
    factory = (routerModel) => createRoutingEngineRouter(routerModel, scenario.start);
    routerName = 'routing-engine';
  } else {
    factory = routerChoice;
    routerName = 'custom';
  }
  const single = routerChoice === 'longest-idle' && options.fastPath !== false && fitsSingleQueue(model);
  const run = single ? createSingleQueueRunner(model) : createGeneralRunner(model, factory);
  if (!single && typeof routerChoice === 'function') routerName = factory(model.router).name;

  const random = options.createRandom ?? createRandom;
  const counters = createCounters(model);
  const aggregate = new Aggregator(model, detail === 'intervals');
  const onProgress = options.onProgress;
  let arrivals = 0;
  let dials = 0;
  for (let r = 0; r < replications; r++) {
    const streams: ReplicationStreams = {
      arrival: model.queues.map((_, q) => random(streamSeed(seed, r, 1, q))),
      service: model.queues.map((_, q) => random(streamSeed(seed, r, 2, q))),
      patience: model.queues.map((_, q) => random(streamSeed(seed, r, 4, q))),
      dialing: model.campaigns.map((_, c) => random(streamSeed(seed, r, 3, c))),
    };
    const progress = onProgress
      ? (seconds: number) => onProgress(Math.min(1, (r + seconds / model.horizonSeconds) / replications))
      : null;
    run(streams, counters, progress);
    arrivals += counters.arrivals;
    dials += counters.dials;
    aggregate.add(counters);
  }
  if (onProgress) onProgress(1);
  return aggregate.result({
    seed,
    replications,
    confidenceLevel,
    engine: single ? 'single-queue' : 'general',
    router: routerName,
    arrivals,
    dials,
  });
}

/**
 * A 32-bit seed per (seed, replication, stream kind, index), through the MurmurHash3
 * finaliser so that neighbouring inputs give unrelated seeds.
 */
export function streamSeed(seed: number, replication: number, kind: number, index: number): number {
  let h = mix32((seed | 0) ^ Math.floor(seed / 4294967296) ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(replication + 1, 0x85ebca6b));
  h = mix32(h ^ Math.imul(kind, 0xc2b2ae35));
  return mix32(h ^ Math.imul(index + 1, 0x27d4eb2f));
}

function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds each replication's counters into the running sums and builds the JSON result. */
class Aggregator {
  private readonly model: CompiledModel;
  private readonly withIntervals: boolean;
  /** Rows: intervals (when kept) then the totals row. */
  private readonly rows: number;
  private readonly inboundScopes: number;
  private readonly groupScopes: number;
  private readonly campaignCount: number;
  private readonly inbound: RatioAccumulator;
  private readonly occupancy: RatioAccumulator;
  private readonly outbound: RatioAccumulator;
  private readonly lists: RatioAccumulator;
  private readonly inboundSums: Float64Array;
  private readonly groupSums: Float64Array;
  private readonly pairs = new Float64Array(32);
  private readonly queueScopes: Int32Array[];

  constructor(model: CompiledModel, withIntervals: boolean) {
    this.model = model;
    this.withIntervals = withIntervals;
    this.rows = (withIntervals ? model.intervals : 0) + 1;
    const s = model.scenario;
    // Inbound scopes: queues, then organizations, then the whole center.
    this.inboundScopes = s.queues.length + s.organizations.length + 1;
    this.groupScopes = s.operators.length + 1;
    this.campaignCount = s.campaigns.length;
    this.inbound = new RatioAccumulator(this.rows * this.inboundScopes, INBOUND_METRICS.length);
    this.occupancy = new RatioAccumulator(this.rows * this.groupScopes, OCCUPANCY_METRICS.length);
    this.outbound = new RatioAccumulator(this.rows * this.campaignCount, OUTBOUND_METRICS.length);
    this.lists = new RatioAccumulator(this.campaignCount, 2);
    this.inboundSums = new Float64Array(this.inboundScopes * INBOUND_FIELDS);
    this.groupSums = new Float64Array(this.groupScopes * OPERATOR_FIELDS);
    const orgIndex = new Map(s.organizations.map((o, i) => [o.id, s.queues.length + i]));
    const center = this.inboundScopes - 1;
    this.queueScopes = s.queues.map((q, i) => {
      const org = orgIndex.get(q.organization);
      return Int32Array.from(org === undefined ? [i, center] : [i, org, center]);
    });
  }

  add(counters: ReturnType<typeof createCounters>): void {
    const m = this.model;
    const kpi = m.scenario.kpi;
    const queueCount = m.queues.length;
    const groupCount = m.scenario.operators.length;
    const warmup = m.scenario.warmupIntervals;
    const totalsRow = this.rows - 1;
    const inboundTotals = new Float64Array(this.inboundScopes * INBOUND_FIELDS);
    const groupTotals = new Float64Array(this.groupScopes * OPERATOR_FIELDS);
    const outboundTotals = new Float64Array(this.campaignCount * OUTBOUND_FIELDS);
    const pairs = this.pairs;
    for (let k = 0; k < m.intervals; k++) {
      const inTotals = k >= warmup;
      // Inbound: queue counters summed into their organization and the center.
      const sums = this.inboundSums;
      sums.fill(0);
      for (let q = 0; q < queueCount; q++) {
        const from = (k * queueCount + q) * INBOUND_FIELDS;
        for (const scope of this.queueScopes[q]!) {
          const to = scope * INBOUND_FIELDS;
          for (let f = 0; f < INBOUND_FIELDS; f++) sums[to + f]! += counters.inbound[from + f]!;
        }
      }
      if (inTotals) for (let i = 0; i < sums.length; i++) inboundTotals[i]! += sums[i]!;
      if (this.withIntervals) {
        for (let scope = 0; scope < this.inboundScopes; scope++) {
          inboundPairs(sums, scope * INBOUND_FIELDS, kpi, pairs);
          this.addPairs(this.inbound, scope * this.rows + k, INBOUND_METRICS.length);
        }
      }
      // Operators: groups and the whole center.
      const groups = this.groupSums;
      groups.fill(0);
      for (let g = 0; g < groupCount; g++) {
        for (let f = 0; f < OPERATOR_FIELDS; f++) {
          const v = counters.operators[(k * groupCount + g) * OPERATOR_FIELDS + f]!;
          groups[g * OPERATOR_FIELDS + f]! += v;
          groups[groupCount * OPERATOR_FIELDS + f]! += v;
        }
      }
      if (inTotals) for (let i = 0; i < groups.length; i++) groupTotals[i]! += groups[i]!;
      if (this.withIntervals) {
        for (let scope = 0; scope < this.groupScopes; scope++) {
          occupancyPairs(groups[scope * OPERATOR_FIELDS]!, groups[scope * OPERATOR_FIELDS + 1]!, pairs);
          this.addPairs(this.occupancy, scope * this.rows + k, OCCUPANCY_METRICS.length);
        }
      }
      // Outbound campaigns.
      for (let c = 0; c < this.campaignCount; c++) {
        const from = (k * this.campaignCount + c) * OUTBOUND_FIELDS;
        if (inTotals) {
          for (let f = 0; f < OUTBOUND_FIELDS; f++)
            outboundTotals[c * OUTBOUND_FIELDS + f]! += counters.outbound[from + f]!;
        }
        if (this.withIntervals) {
          outboundPairs(counters.outbound, from, m.campaigns[c]!.spec.conversionBase, pairs);
          this.addPairs(this.outbound, c * this.rows + k, OUTBOUND_METRICS.length);
        }
      }
    }
    for (let scope = 0; scope < this.inboundScopes; scope++) {
      inboundPairs(inboundTotals, scope * INBOUND_FIELDS, kpi, pairs);
      this.addPairs(this.inbound, scope * this.rows + totalsRow, INBOUND_METRICS.length);
    }
    for (let scope = 0; scope < this.groupScopes; scope++) {
      occupancyPairs(groupTotals[scope * OPERATOR_FIELDS]!, groupTotals[scope * OPERATOR_FIELDS + 1]!, pairs);
      this.addPairs(this.occupancy, scope * this.rows + totalsRow, OCCUPANCY_METRICS.length);
    }
    for (let c = 0; c < this.campaignCount; c++) {
      const at = c * OUTBOUND_FIELDS;
      outboundPairs(outboundTotals, at, m.campaigns[c]!.spec.conversionBase, pairs);
      this.addPairs(this.outbound, c * this.rows + totalsRow, OUTBOUND_METRICS.length);
      const records = m.campaigns[c]!.spec.records;
      if (records !== null) {
        this.lists.add(c, 0, outboundTotals[at + FIRST_ATTEMPTS]!, records);
        this.lists.add(c, 1, outboundTotals[at + DIALS]!, records);
      }
    }
  }

  private addPairs(accumulator: RatioAccumulator, cell: number, metrics: number): void {
    for (let i = 0; i < metrics; i++) accumulator.add(cell, i, this.pairs[2 * i]!, this.pairs[2 * i + 1]!);
  }

  result(run: {
    seed: number;
    replications: number;
    confidenceLevel: number;
    engine: SimulationResult['engine'];
    router: string;
    arrivals: number;
    dials: number;
  }): SimulationResult {
    const m = this.model;
    const s = m.scenario;
    const n = run.replications;
    const t = n >= 2 ? studentTQuantile(run.confidenceLevel, n - 1) : Number.NaN;
    const startMs = s.start === null ? null : Date.parse(s.start);
    const totalsRow = this.rows - 1;

    const read = <K extends string>(
      accumulator: RatioAccumulator,
      cell: number,
      names: readonly K[],
      scale: Partial<Record<K, number>> = {},
    ): Record<K, SimulationEstimate> => {
      const out = {} as Record<K, SimulationEstimate>;
      names.forEach((name, i) => {
        const share = SHARES.has(name);
        out[name] = accumulator.estimate(
          cell,
          i,
          n,
          t,
          scale[name] ?? 1,
          0,
          share ? 1 : Number.POSITIVE_INFINITY,
        );
      });
      return out;
    };
    const rowsOf = <K>(scope: number, build: (cell: number) => K): SimulationIntervalRow<K>[] => {
      if (!this.withIntervals) return [];
      const rows: SimulationIntervalRow<K>[] = [];
      for (let k = 0; k < m.intervals; k++) {
        const startMinutes = k * s.intervalMinutes;
        rows.push({
          index: k,
          startMinutes,
          start: startMs === null ? null : new Date(startMs + startMinutes * 60_000).toISOString(),
          warmup: k < s.warmupIntervals,
          ...build(scope * this.rows + k),
        });
      }
      return rows;
    };
    const inboundOf = (cell: number) =>
      read(this.inbound, cell, INBOUND_METRICS) as unknown as SimulationInboundKpis;
    const hours = { loggedInHours: 1 / 3600, handleHours: 1 / 3600 };
    const occupancyOf = (cell: number) =>
      read(this.occupancy, cell, OCCUPANCY_METRICS, hours) as unknown as SimulationOccupancy;
    const outboundOf = (cell: number) =>
      read(this.outbound, cell, OUTBOUND_METRICS) as unknown as SimulationOutboundKpis;

    const centerScope = this.inboundScopes - 1;
    const centerGroup = this.groupScopes - 1;
    const warnings: string[] = [];
    const unresolved = this.inbound.estimate(centerScope * this.rows + totalsRow, 4, n, t).value ?? 0;
    if (unresolved > 0) {
      warnings.push(
        `${unresolved} contacts per replication were still waiting at the end: infinite patience and nobody logged in to answer them`,
      );
    }
    if (n < 2) warnings.push('one replication: confidence intervals need at least two');

    return {
      scenario: {
        name: s.name,
        start: s.start,
        intervalMinutes: s.intervalMinutes,
        intervals: s.intervals,
        warmupIntervals: s.warmupIntervals,
      },
      replications: n,
      seed: run.seed,
      confidenceLevel: run.confidenceLevel,
      engine: run.engine,
      router: run.router,
      definitions: {
        ...s.kpi,
        countedIn: 'queued interval',
        ratios:
          'ratio of expectations over replications (sum of numerators / sum of denominators), delta-method CI',
      },
      queues: s.queues.map((q, i) => ({
        id: q.id,
        organization: q.organization,
        totals: inboundOf(i * this.rows + totalsRow),
        intervals: rowsOf(i, inboundOf),
      })),
      organizations: s.organizations.map((o, j) => {
        const scope = s.queues.length + j;
        return {
          id: o.id,
          totals: inboundOf(scope * this.rows + totalsRow),
          intervals: rowsOf(scope, inboundOf),
        };
      }),
      center: {
        id: 'center',
        totals: {
          ...inboundOf(centerScope * this.rows + totalsRow),
          ...occupancyOf(centerGroup * this.rows + totalsRow),
        },
        intervals: rowsOf(centerScope, (cell) => {
          const k = cell - centerScope * this.rows;
          return { ...inboundOf(cell), ...occupancyOf(centerGroup * this.rows + k) };
        }),
      },
      operatorGroups: s.operators.map((g, i) => ({
        id: g.id,
        totals: occupancyOf(i * this.rows + totalsRow),
        intervals: rowsOf(i, occupancyOf),
      })),
      campaigns: s.campaigns.map((c, i) => ({
        id: c.id,
        organization: c.organization,
        totals: outboundOf(i * this.rows + totalsRow),
        intervals: rowsOf(i, outboundOf),
        listPenetration: c.records === null ? nullEstimate() : this.lists.estimate(i, 0, n, t, 1, 0, 1),
        saturation: c.records === null ? nullEstimate() : this.lists.estimate(i, 1, n, t),
      })),
      events: { arrivals: run.arrivals, dials: run.dials },
      warnings,
    };
  }
}

/** Figures that are shares of a whole: their intervals are clipped to [0, 1]. */
const SHARES = new Set<string>([
  'serviceLevel',
  'abandonRate',
  'occupancy',
  'dropRate',
  'contactRate',
  'conversionRate',
]);

function nullEstimate(): SimulationEstimate {
  return { value: null, low: null, high: null };
}
