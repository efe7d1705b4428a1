// The dialer drop rate of a campaign over the rolling windows of DOMAIN.md §4:
// the last 24 hours (UK practice) and the last 30 days (US rule), against the 3 %
// ceiling, which is a limit and not a target. Read from rollup rows, so the
// window ends on a 15-minute boundary and contains whole intervals (exact).

import { KpiError } from './kpi.errors.ts';
import { type KpiRollup, kpisFromRollup } from './kpi.rollup.ts';
import { INTERVAL_MS } from './kpi.time.ts';
import type { KpiFigure, KpiSettings } from './kpi.types.ts';

export const DIALER_DROP_CEILING = 0.03;

const HOUR_MS = 3_600_000;

export type DialerDropWindow = {
  window: '24h' | '30d';
  fromMs: number;
  toMs: number;
  figure: KpiFigure;
  /** The drop rate is above the ceiling (an absent rate never is). */
  aboveCeiling: boolean;
};

export function dialerDropRates(options: {
  rollup: KpiRollup;
  settings?: Partial<KpiSettings>;
  campaign: string;
  /** End of the windows: the start of the interval after the last one counted. */
  asOfMs: number;
  ceiling?: number;
}): DialerDropWindow[] {
  const { rollup, campaign, asOfMs } = options;
  const ceiling = options.ceiling ?? DIALER_DROP_CEILING;
  if (!Number.isFinite(asOfMs) || asOfMs % INTERVAL_MS !== 0) {
    throw new KpiError('KPI_INVALID_INPUT', [
      { field: 'asOfMs', message: 'must fall on a 15-minute boundary' },
    ]);
  }
  return (
    [
      ['24h', 24 * HOUR_MS],
      ['30d', 30 * 24 * HOUR_MS],
    ] as const
  ).map(([window, lengthMs]) => {
    const period = { fromMs: asOfMs - lengthMs, toMs: asOfMs };
    const [group] = kpisFromRollup({
      rollup,
      settings: options.settings,
      grouping: { time: 'all' },
      period,
      filter: { campaign, direction: 'outbound' },
      only: ['dialer_drop_rate'],
    });
    const figure = group!.figures.dialer_drop_rate;
    return { window, ...period, figure, aboveCeiling: figure.value !== null && figure.value > ceiling };
  });
}
