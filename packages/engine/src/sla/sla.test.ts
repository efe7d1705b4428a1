// Contract validation and evaluation (DOMAIN.md §8) on a hand-built month; every
// expected figure and amount is worked out in the comment beside it.

import { describe, expect, it } from 'vitest';
import { buildRollup } from '../kpi/kpi.rollup.ts';
import { inbound, ms } from '../kpi/kpi.test-support.ts';
import type { InteractionRecord } from '../kpi/kpi.types.ts';
import { SlaError } from './sla.errors.ts';
import { evaluateSla } from './sla.evaluate.ts';
import { shareOfInvoiceCents, splitCreditCents } from './sla.money.ts';
import type { SlaContract, SlaMetric } from './sla.types.ts';
import { validateSlaContract } from './sla.validate.ts';

// March 2026 (Europe/Rome; 31 days, 2,972 intervals: the 29th has 23 hours).
// Day A, 2 March 10:00: 6 answered after 10 s, 2 answered after 30 s, 2 abandoned after 40 s.
// Day B, 3 March 10:00: 10 answered after 10 s.
// Month: A = 18, A≤T = 16, Ab = 2, Ab≤T = 0 → SL (16 + 0) / 20 = 0.8; abandon rate 2 / 20 = 0.1;
// ASA (6×10 + 2×30 + 10×10) / 18 = 220 / 18 ≈ 12.2 s. Day A SL 6 / 10 = 0.6, day B 10 / 10 = 1.
const dayA = ms('2026-03-02T10:00:00+01:00');
const dayB = ms('2026-03-03T10:00:00+01:00');
const RECORDS: InteractionRecord[] = [
  ...Array.from({ length: 6 }, (_, i) => inbound(dayA, { id: `a${i}`, at: i, answerAfter: 10, talk: 60 })),
  ...Array.from({ length: 2 }, (_, i) =>
    inbound(dayA, { id: `b${i}`, at: 10 + i, answerAfter: 30, talk: 60 }),
  ),
  ...Array.from({ length: 2 }, (_, i) => inbound(dayA, { id: `c${i}`, at: 20 + i, abandonAfter: 40 })),
  ...Array.from({ length: 10 }, (_, i) => inbound(dayB, { id: `d${i}`, at: i, answerAfter: 10, talk: 60 })),
];
const rollup = buildRollup({ records: RECORDS });

// DOMAIN.md §8's example: invoice 200,000 €, 10 % at risk = 20,000 €.
const INVOICE_CENTS = 200_000_00;

const sl = (extra: Partial<SlaMetric> = {}): SlaMetric => ({
  kpi: 'service_level',
  minimum: 0.85,
  target: 0.9,
  window: 'month',
  kind: 'critical',
  allocationPercent: 40,
  ...extra,
});

describe('credits (DOMAIN.md §8)', () => {
  const contract: SlaContract = {
    atRiskPercent: 10,
    metrics: [
      sl(), // 0.8 < 0.85: missed
      {
        kpi: 'abandon_rate',
        minimum: 0.05,
        target: 0.03,
        window: 'month',
        kind: 'critical',
        allocationPercent: 20,
      }, // 0.1 > 0.05: missed
      { kpi: 'asa', minimum: 20, target: 15, window: 'month', kind: 'critical', allocationPercent: 40 }, // 12.2 ≤ 15: at target
      { kpi: 'aht', minimum: 30, target: 20, window: 'month', kind: 'key' }, // 60 s: below minimum, but key: no credit
    ],
    bonusRules: [{ id: 'excellence', percentOfInvoice: 2 }],
  };

  it('SL (40 %) and abandon rate (20 %) missed on 200,000 € at 10 % → 12,000 € credit', () => {
    const result = evaluateSla({ contract, rollup, month: '2026-03', invoiceCents: INVOICE_CENTS });
    const [slResult, abandon, asa, aht] = result.metrics;
    expect([slResult!.value, slResult!.status]).toEqual([0.8, 'below_minimum']);
    expect([abandon!.value, abandon!.status]).toEqual([0.1, 'below_minimum']);
    expect(asa!.value).toBeCloseTo(220 / 18, 12);
    expect(asa!.status).toBe('at_target');
    expect(aht!.status).toBe('below_minimum');
    expect(slResult!.creditCents).toBe(800_000); // 20,000 € × 40 % = 8,000 €
    expect(abandon!.creditCents).toBe(400_000); // 20,000 € × 20 % = 4,000 €
    expect([asa!.creditCents, aht!.creditCents]).toEqual([0, 0]);
    expect(result.creditPercent).toBe(6); // 10 % × 60 %
    expect(result.creditCents).toBe(1_200_000); // 12,000 €
    expect(result.minimumsMet).toBe(false);
    expect(result.bonuses[0]).toMatchObject({ earned: false, bonusCents: 0 });
    expect(result.bonuses[0]!.reason).toBe('minimum not reached: service_level, abandon_rate');
    expect(result.netCents).toBe(-1_200_000);
    expect(result.netPercent).toBe(-6);
  });

  it('without an invoice: percentages only', () => {
    const result = evaluateSla({ contract, rollup, month: '2026-03' });
    expect(result.creditPercent).toBe(6);
    expect([result.creditCents, result.metrics[0]!.creditCents]).toEqual([null, null]);
  });

  it('the period figure carries its definition and the days and intervals it came from', () => {
    const [slResult] = evaluateSla({ contract, rollup, month: '2026-03' }).metrics;
    expect(slResult!.figure.definition.formula).toBe('(A≤T + Ab≤T) / (A + Ab)');
    expect(slResult!.days).toMatchObject({ windows: 31, withData: 2, metMinimum: 1, metTarget: 1 });
    expect(slResult!.days.worst).toEqual({ label: '2026-03-02', value: 0.6 });
    expect(slResult!.intervals).toMatchObject({ windows: 2972, withData: 2 }); // 31 × 96 − 4
  });
});

describe('measurement windows', () => {
  it('a month at its minimum can hide a failing day: the day window says so', () => {
    const month = sl({ minimum: 0.8, window: 'month' }); // 0.8 = minimum: met (between)
    const daily = sl({ id: 'sl_daily', minimum: 0.8, window: 'day', allocationPercent: 20 }); // day A 0.6
    const result = evaluateSla({
      contract: { atRiskPercent: 10, metrics: [month, daily] },
      rollup,
      month: '2026-03',
      invoiceCents: INVOICE_CENTS,
    });
    expect(result.metrics.map((m) => m.status)).toEqual(['between', 'below_minimum']);
    expect(result.metrics[1]!.windows.shareMetMinimum).toBe(0.5); // 1 of the 2 days with contacts
    expect(result.creditCents).toBe(400_000); // 20,000 € × 20 %
  });

  it('a required share of days: half the days at target is enough when the contract says 50 %', () => {
    const daily = sl({ minimum: 0.8, window: 'day', requiredShare: 0.5 });
    const [result] = evaluateSla({
      contract: { atRiskPercent: 10, metrics: [daily] },
      rollup,
      month: '2026-03',
    }).metrics;
    expect(result!.status).toBe('at_target'); // day B ≥ 0.9: 1 of 2 days = 50 %
  });

  it('no contacts in the period: no data, no credit, and no bonus', () => {
    const result = evaluateSla({
      contract: { atRiskPercent: 10, metrics: [sl()], bonusRules: [{ id: 'b', percentOfInvoice: 2 }] },
      rollup,
      month: '2026-04',
      invoiceCents: INVOICE_CENTS,
    });
    expect(result.metrics[0]!.status).toBe('no_data');
    expect(result.metrics[0]!.value).toBeNull();
    expect(result.metrics[0]!.figure.reason).toBe('no contact answered or abandoned in the period');
    expect(result.creditCents).toBe(0);
    expect(result.bonuses[0]!.earned).toBe(false);
    expect(result.metrics[0]!.days.windows).toBe(30);
  });
});

describe('bonuses: all or nothing on the minimums, none for merely meeting them', () => {
  const asa: SlaMetric = {
    kpi: 'asa',
    minimum: 20,
    target: 15,
    window: 'month',
    kind: 'critical',
    allocationPercent: 50,
  };

  it('every critical metric at target → the bonus', () => {
    const result = evaluateSla({
      contract: {
        atRiskPercent: 10,
        metrics: [sl({ minimum: 0.7, target: 0.8 }), asa],
        bonusRules: [{ id: 'b', percentOfInvoice: 2 }],
      },
      rollup,
      month: '2026-03',
      invoiceCents: INVOICE_CENTS,
    });
    expect(result.minimumsMet).toBe(true);
    expect(result.bonuses[0]).toMatchObject({ earned: true, bonusCents: 400_000 }); // 2 % of 200,000 €
    expect([result.creditCents, result.netCents, result.netPercent]).toEqual([0, 400_000, 2]);
  });

  it('SL exactly at its minimum (0.8) but below target: no bonus, no credit', () => {
    const result = evaluateSla({
      contract: {
        atRiskPercent: 10,
        metrics: [sl({ minimum: 0.8, target: 0.9 }), asa],
        bonusRules: [{ id: 'b', percentOfInvoice: 2 }],
      },
      rollup,
      month: '2026-03',
      invoiceCents: INVOICE_CENTS,
    });
    expect(result.bonuses[0]).toMatchObject({ earned: false, reason: 'target not reached: service_level' });
    expect(result.creditCents).toBe(0);
  });

  it('a rule listing only ASA pays when ASA is at target and every minimum is met', () => {
    const result = evaluateSla({
      contract: {
        atRiskPercent: 10,
        metrics: [sl({ minimum: 0.8, target: 0.9 }), asa],
        bonusRules: [{ id: 'speed', percentOfInvoice: 1.5, metrics: ['asa'] }],
      },
      rollup,
      month: '2026-03',
      invoiceCents: INVOICE_CENTS,
    });
    expect(result.bonuses[0]).toMatchObject({ earned: true, bonusCents: 300_000 }); // 1.5 % of 200,000 €
  });
});

describe('contract validation', () => {
  it.each([
    [
      { atRiskPercent: 10, metrics: [sl({ allocationPercent: 60 }), sl({ id: 'x', allocationPercent: 50 })] },
      'metrics',
      /110 %/,
    ],
    [{ atRiskPercent: 10, metrics: [sl({ minimum: 0.95 })] }, 'metrics[0].minimum', /above the target/],
    [{ atRiskPercent: 10, metrics: [sl({ target: 80 })] }, 'metrics[0].target', /ratio/],
    [{ atRiskPercent: 10, metrics: [sl({ kind: 'key' })] }, 'metrics[0].allocationPercent', /only critical/],
    [
      { atRiskPercent: 10, metrics: [sl({ requiredShare: 0.9 })] },
      'metrics[0].requiredShare',
      /monthly window/,
    ],
    [{ atRiskPercent: 10, metrics: [sl(), sl()] }, 'metrics[1].id', /twice/],
    [{ atRiskPercent: 10.005, metrics: [sl()] }, 'atRiskPercent', /two decimals/],
    [{ atRiskPercent: 10, metrics: [sl({ kpi: 'occupancy' })] }, 'metrics[0].better', /higher or lower/],
    [{ atRiskPercent: 10, metrics: [sl({ kpi: 'nps' as never })] }, 'metrics[0].kpi', /not a KPI/],
    [{ atRiskPercent: 10, metrics: [null as never] }, 'metrics[0]', /an object/],
    [{ atRiskPercent: 10, metrics: [] }, 'metrics', /at least one/],
    [{ atRiskPercent: 120, metrics: [sl()] }, 'atRiskPercent', /0 to 100/],
    [
      { atRiskPercent: 10, metrics: [sl({ filter: { skill: 'x' } as never })] },
      'metrics[0].filter.skill',
      /not one of/,
    ],
    [
      {
        atRiskPercent: 10,
        metrics: [sl()],
        bonusRules: [{ id: 'b', percentOfInvoice: 2, metrics: ['nope'] }],
      },
      'bonusRules[0].metrics',
      /no metric/,
    ],
  ] as [SlaContract, string, RegExp][])('refuses %#: %s', (contract, field, message) => {
    try {
      validateSlaContract(contract);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SlaError);
      const issue = (error as SlaError).issues.find((i) => i.field === field);
      expect(issue?.message).toMatch(message);
    }
  });

  it('allocations of exactly 100 % and lower-is-better metrics are fine', () => {
    const valid = validateSlaContract({
      atRiskPercent: 12,
      metrics: [
        sl({ allocationPercent: 70 }),
        {
          kpi: 'abandon_rate',
          minimum: 0.05,
          target: 0.03,
          window: 'day',
          kind: 'critical',
          allocationPercent: 30,
        },
      ],
    });
    expect(valid.metrics.map((m) => [m.id, m.better, m.requiredShare])).toEqual([
      ['service_level', 'higher', 1],
      ['abandon_rate', 'lower', 1],
    ]);
  });
});

describe('cent arithmetic', () => {
  it.each([
    [20_000_000, [1000, 4000], 800_000], // 200,000 € × 10 % × 40 %
    [12_345, [1000, 3333], 411], // 123.45 € × 10 % × 33.33 % = 4.1145885 € → 411 cents
    [1, [5000, 10000], 1], // half a cent rounds up
    [3, [1000, 5000], 0], // 0.15 cents rounds down
  ])('%d cents × %j basis points = %d cents', (invoice, bps, expected) => {
    expect(shareOfInvoiceCents(invoice, ...bps)).toBe(expected);
  });

  it('parts of a credit add up to the total rounded once', () => {
    // 1.00 €, 100 % at risk, three metrics of 33.33 %: exact 33.33 each, 99.99 in total → 100.
    expect(splitCreditCents(100, 10_000, [3333, 3333, 3333])).toEqual([34, 33, 33]);
    expect(splitCreditCents(20_000_000, 1000, [4000, 2000])).toEqual([800_000, 400_000]);
  });
});
