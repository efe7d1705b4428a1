import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { formatForecastHistoryCsv, parseForecastHistoryCsv } from './forecast.csv.ts';
import { poissonMeanFromLogMean, seasonalNaive, weightedAverage } from './forecast.methods.ts';
import { generateSyntheticHistory, poisson } from './forecast.synthetic.ts';
import { forecast } from './forecast.ts';
import type { ForecastObservation } from './forecast.types.ts';
import { WfmError } from './wfm.errors.ts';

const DAY = 86_400_000;

/** History of `weeks` weeks and the week after it, split at the week boundary. */
function scenario(
  seed: number,
  weeks: number,
  extra: Partial<Parameters<typeof generateSyntheticHistory>[0]> = {},
) {
  const synthetic = generateSyntheticHistory({
    random: createRandom(seed),
    start: '2025-01-06T00:00:00Z', // a Monday
    days: 7 * (weeks + 1),
    intervalMinutes: 15,
    peakCallsPerInterval: 150,
    weeklyTrend: 0.01,
    ...extra,
  });
  const cut = Date.parse('2025-01-06T00:00:00Z') + weeks * 7 * DAY;
  const past = synthetic.history.filter((h) => Date.parse(h.intervalStart) < cut);
  const future = synthetic.history.filter((h) => Date.parse(h.intervalStart) >= cut);
  const expected = new Map(synthetic.expected.map((e) => [e.intervalStart, e.offered]));
  return { past, future, expected };
}

/** WAPE of predictions against the realised week. */
function wape(future: ForecastObservation[], predicted: (start: string) => number): number {
  let absolute = 0;
  let actual = 0;
  for (const row of future) {
    absolute += Math.abs(predicted(row.intervalStart) - row.offered);
    actual += row.offered;
  }
  return absolute / actual;
}

describe('forecast on the synthetic generator (known profile × weekday × trend, Poisson noise)', () => {
  // The Poisson noise floor is the WAPE of the true expected values themselves on
  // the realised week: no forecast can beat it on average. Issue 3 asks the chosen
  // method to come within 10 % of it, out of sample (the week after the history).
  for (const seed of [11, 29]) {
    it(`seed ${seed}: the chosen method is within 10 % of the noise floor; Holt-Winters beats seasonal naive`, () => {
      const { past, future, expected } = scenario(seed, 10, { gapRate: 0.01, holidays: ['2025-02-17'] });
      const result = forecast({ history: past, horizonDays: 7, holidays: ['2025-02-17'] });
      const queue = result.queues[0]!;
      const byStart = new Map(queue.intervals.map((i) => [i.intervalStart, i.offered]));
      const chosen = wape(future, (s) => byStart.get(s)!);
      const floor = wape(future, (s) => expected.get(s)!);
      expect(chosen / floor).toBeLessThanOrEqual(1.1);

      const score = (method: string) => queue.backtest.find((b) => b.method === method)!.wape;
      expect(score('holt_winters')).toBeLessThan(score('seasonal_naive'));
      // Out of sample as well: Holt-Winters and seasonal naive forecasting the same week.
      const naive = forecast({ history: past, horizonDays: 7, methods: ['seasonal_naive'] }).queues[0]!;
      const naiveByStart = new Map(naive.intervals.map((i) => [i.intervalStart, i.offered]));
      expect(queue.method).toBe('holt_winters');
      expect(chosen).toBeLessThan(wape(future, (s) => naiveByStart.get(s)!));

      expect(queue.intervals).toHaveLength(7 * 96);
      expect(queue.intervals[0]!.intervalStart).toBe('2025-03-17T00:00:00.000Z');
      expect(queue.backtest.map((b) => b.wape)).toEqual(
        [...queue.backtest.map((b) => b.wape)].sort((a, b) => a - b),
      );
      expect(Math.abs(queue.bias)).toBeLessThan(0.03);
      expect(queue.missingIntervals).toBeGreaterThan(96); // the holiday plus the gaps
    });
  }

  it('forecasts AHT from the volume-weighted history of the same interval', () => {
    const { past } = scenario(3, 3, { ahtSeconds: 300 });
    const queue = forecast({ history: past, horizonDays: 1, methods: ['weighted_average'] }).queues[0]!;
    // 10:30 on the Monday after: Σ offered × AHT / Σ offered over the three Mondays at 10:30.
    const mondays = past.filter(
      (h) => h.intervalStart.endsWith('T10:30:00.000Z') && new Date(h.intervalStart).getUTCDay() === 1,
    );
    const work = mondays.reduce((s, h) => s + h.offered * h.ahtSeconds!, 0);
    const volume = mondays.reduce((s, h) => s + h.offered, 0);
    const at1030 = queue.intervals.find((i) => i.intervalStart.endsWith('T10:30:00.000Z'))!;
    expect(at1030.ahtSeconds).toBeCloseTo(work / volume, 1);
    // Over the busy intervals the noise averages out around the true 300 s.
    const busy = queue.intervals.filter((i) => i.offered > 20);
    const meanAht = busy.reduce((s, i) => s + i.ahtSeconds, 0) / busy.length;
    expect(Math.abs(meanAht - 300)).toBeLessThan(6);
  });

  it('forecasts each queue separately, with its own method and backtest', () => {
    const a = scenario(5, 3).past.map((h) => ({ ...h, queue: 'donors' }));
    const b = scenario(6, 3, { peakCallsPerInterval: 20 }).past.map((h) => ({ ...h, queue: 'emergency' }));
    const result = forecast({
      history: [...b, ...a],
      horizonDays: 2,
      methods: ['seasonal_naive', 'weighted_average'],
    });
    expect(result.queues.map((q) => q.queue)).toEqual(['donors', 'emergency']);
    expect(result.queues[0]!.intervals).toHaveLength(192);
    expect(result.queues[1]!.skipped).toEqual([]);
    expect(result.intervalMinutes).toBe(15);
  });

  it('skips Holt-Winters on short history and refuses history shorter than a week plus the backtest', () => {
    const { past } = scenario(8, 2);
    const queue = forecast({ history: past, horizonDays: 1 }).queues[0]!;
    expect(queue.skipped.map((s) => s.method)).toEqual(['holt_winters']);
    const short = past.slice(0, 96 * 10);
    try {
      forecast({ history: short, horizonDays: 1 });
      expect.unreachable();
    } catch (error) {
      expect((error as WfmError).code).toBe('WFM_INSUFFICIENT_HISTORY');
    }
  });
});

describe('methods', () => {
  const periods = { daily: 4, weekly: 28 };
  const history = Float64Array.from({ length: 56 }, (_, t) => (t < 28 ? 10 : 20) + (t % 4));

  it('seasonal naive repeats the last week, skipping missing values', () => {
    const withGap = history.slice();
    withGap[28 + 5] = Number.NaN;
    const f = seasonalNaive(withGap, periods, 30);
    expect(f[0]).toBe(20);
    expect(f[5]).toBe(11); // the gap falls back to two weeks earlier
    expect(f[29]).toBe(21); // beyond a week: the last observed week again
  });

  it('weighted average weighs recent weeks most (weights 2, 1 for two weeks)', () => {
    const f = weightedAverage(history, periods, 4, 2);
    expect(f[1]).toBeCloseTo((2 * 21 + 1 * 11) / 3, 12);
  });

  it('the log back-transform removes the Poisson bias of ln(1 + Y)', () => {
    // E[ln(1 + Y)] for Y ~ Poisson(λ), summed exactly; the back-transform recovers λ.
    for (const lambda of [5, 40, 300]) {
      let z = 0;
      for (let k = 0, p = Math.exp(-lambda); k < lambda * 4 + 50; k++, p *= lambda / k)
        z += p * Math.log1p(k);
      expect(Math.abs(poissonMeanFromLogMean(z) / lambda - 1)).toBeLessThan(lambda < 10 ? 0.02 : 0.002);
      expect(Math.expm1(z) / lambda).toBeLessThan(1 - 0.4 / (lambda + 1));
    }
  });

  it('the Poisson sampler has the right mean and variance', () => {
    const random = createRandom(7);
    for (const mean of [0.3, 12, 400]) {
      let sum = 0;
      let squares = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        const k = poisson(mean, random);
        sum += k;
        squares += k * k;
      }
      const m = sum / n;
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
      expect((squares / n - m * m) / mean).toBeCloseTo(1, 1);
    }
  });
});

describe('bad input', () => {
  it('names the failing fields', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ history: [], horizonDays: 7 }, 'history'],
      [
        { history: [{ intervalStart: '2025-01-06 08:00', offered: 3, ahtSeconds: 200 }], horizonDays: 7 },
        'history[0].intervalStart',
      ],
      [
        {
          history: [{ intervalStart: '2025-01-06T08:00:00Z', offered: -3, ahtSeconds: 200 }],
          horizonDays: 7,
        },
        'history[0].offered',
      ],
      [
        { history: [{ intervalStart: '2025-01-06T08:00:00Z', offered: 3, ahtSeconds: 200 }], horizonDays: 0 },
        'horizonDays',
      ],
      [
        {
          history: [{ intervalStart: '2025-01-06T08:07:00Z', offered: 3, ahtSeconds: 200 }],
          horizonDays: 1,
          intervalMinutes: 15,
        },
        'history[0].intervalStart',
      ],
      [
        {
          history: [{ intervalStart: '2025-01-06T08:00:00Z', offered: 3, ahtSeconds: 200 }],
          horizonDays: 1,
          methods: ['arima'],
        },
        'methods[0]',
      ],
      [
        {
          history: [{ intervalStart: '2025-01-06T08:00:00Z', offered: 3, ahtSeconds: 200 }],
          horizonDays: 1,
          holidays: ['6/1/2025'],
        },
        'holidays[0]',
      ],
    ];
    for (const [options, field] of cases) {
      try {
        forecast(options as never);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(WfmError);
        expect((error as WfmError).issues.map((i) => i.field)).toContain(field);
      }
    }
  });
});

describe('history CSV', () => {
  it('reads the documented columns in any order, with quotes and semicolons', () => {
    const text = [
      'queue;aht_seconds;interval_start;offered;note',
      '"donors";245.5;2025-03-03T08:00:00Z;12;x',
      '',
      'donors;;2025-03-03T08:15:00+00:00;0;"a; b"',
    ].join('\r\n');
    const result = parseForecastHistoryCsv(text);
    expect(result.issues).toEqual([]);
    expect(result.rows).toBe(2);
    expect(result.history).toEqual([
      { intervalStart: '2025-03-03T08:00:00.000Z', offered: 12, ahtSeconds: 245.5, queue: 'donors' },
      { intervalStart: '2025-03-03T08:15:00.000Z', offered: 0, ahtSeconds: null, queue: 'donors' },
    ]);
  });

  it('reports each bad row with its line number and reason, keeping the good ones', () => {
    const text = [
      'interval_start,offered,aht_seconds',
      '2025-03-03T08:00:00Z,12,240',
      '2025-03-03 08:15,12,240',
      '2025-03-03T08:30:00Z,-1,240',
      '2025-03-03T08:45:00Z,5,',
      '2025-03-03T09:00:00Z,5,zero',
      '2025-03-03T08:00:00Z,7,250',
      '2025-03-03T09:15:00Z,4',
      '2025-03-03T09:30:00+01:00,4,200',
    ].join('\n');
    const result = parseForecastHistoryCsv(text);
    expect(result.history).toHaveLength(1);
    expect(result.issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'interval_start'],
      [4, 'offered'],
      [5, 'aht_seconds'],
      [6, 'aht_seconds'],
      [7, 'interval_start'],
      [8, 'row'],
      [9, 'interval_start'],
    ]);
    expect(result.issues[4]!.message).toContain('line 2');
  });

  it('the example history in examples/ parses cleanly and forecasts with all three methods', () => {
    const text = readFileSync(new URL('../../../../examples/forecast-history.csv', import.meta.url), 'utf8');
    const parsed = parseForecastHistoryCsv(text);
    expect(parsed.issues).toEqual([]);
    const result = forecast({ history: parsed.history, horizonDays: 7, holidays: ['2026-01-06'] });
    expect(result.queues.map((q) => q.queue)).toEqual(['donor_care']);
    expect(result.queues[0]!.skipped).toEqual([]);
    expect(result.queues[0]!.backtest).toHaveLength(3);
  });

  it('reports a missing column on the header line; round-trips the synthetic history', () => {
    expect(parseForecastHistoryCsv('interval_start,offered\n').issues[0]).toMatchObject({
      line: 1,
      field: 'header',
    });
    const { past } = scenario(9, 1);
    const back = parseForecastHistoryCsv(formatForecastHistoryCsv(past));
    expect(back.issues).toEqual([]);
    expect(back.history).toEqual(past);
  });
});
