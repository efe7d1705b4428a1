// The minimum and target bands of an SLA metric on its chart, and the money
// of the evaluation: pure functions, tested in sla.test.ts.

export type SlaStatus = 'below_minimum' | 'between' | 'at_target' | 'no_data';
export type Band = { status: Exclude<SlaStatus, 'no_data'>; y1: number; y2: number };

/**
 * Three bands from 0 to `top` (already scaled to the chart's unit): below the
 * minimum, between minimum and target, at target or better. `better` says which
 * way: for "lower is better" (abandon rate, ASA) the target band is at the bottom.
 */
export function bandsOf(minimum: number, target: number, better: 'higher' | 'lower', top: number): Band[] {
  const ceiling = Math.max(top, minimum, target);
  if (better === 'higher')
    return [
      { status: 'below_minimum', y1: 0, y2: minimum },
      { status: 'between', y1: minimum, y2: target },
      { status: 'at_target', y1: target, y2: ceiling },
    ];
  return [
    { status: 'at_target', y1: 0, y2: target },
    { status: 'between', y1: target, y2: minimum },
    { status: 'below_minimum', y1: minimum, y2: ceiling },
  ];
}

/** The status of a value against the levels (a value exactly at a level meets it). */
export function statusOf(
  value: number | null,
  minimum: number,
  target: number,
  better: 'higher' | 'lower',
): SlaStatus {
  if (value === null) return 'no_data';
  const meets = (level: number) => (better === 'higher' ? value >= level : value <= level);
  if (meets(target)) return 'at_target';
  return meets(minimum) ? 'between' : 'below_minimum';
}

export const STATUS_COLOR: Record<SlaStatus, string> = {
  below_minimum: 'red',
  between: 'yellow',
  at_target: 'green',
  no_data: 'gray',
};

/**
 * An amount typed in euros ("12.500,50", "12500.5", "12 500") as cents; null
 * when empty or not a number. The last comma or point followed by one or two
 * digits is the decimal separator; the others group thousands.
 */
export function eurosToCents(text: string): number | null {
  const compact = text.replace(/[\s€]/g, '');
  if (compact === '') return null;
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole)) return null;
  const fraction = decimal ? (decimal[1] ?? '').padEnd(2, '0') : '00';
  return Number(whole) * 100 + Number(fraction);
}

/** Multiplier from the KPI's unit to the chart's axis (ratios as percent). */
export function scaleOf(unit: string | undefined): number {
  return unit === 'ratio' ? 100 : 1;
}
