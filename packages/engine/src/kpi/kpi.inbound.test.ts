// Inbound KPIs on a hand-built set (DOMAIN.md §3); every expected value is worked
// out in the comment beside it from the contacts listed below.

import { describe, expect, it } from 'vitest';
import type { ServiceLevelDefinition } from '../wfm/erlang.ts';
import { KpiError } from './kpi.errors.ts';
import { computeKpis } from './kpi.rollup.ts';
import { inbound, ms } from './kpi.test-support.ts';
import type { InteractionRecord, KpiSettings } from './kpi.types.ts';

const BASE = ms('2026-03-02T09:00:00+01:00');

// T = 20 s, short-abandon threshold 5 s (the defaults). All queued in 09:00–09:15.
//   a1 answered after 10 s  (≤ T)  talk 90 + hold 10, wrap 30  → handle 130
//   a2 answered after 20 s  (= T, within)  talk 200, no wrap, transferred → handle 200
//   a3 answered after 21 s  (> T)  talk 50 + hold 5, wrap 15   → handle 70
//   a4 answered after 40 s  (> T)  still talking: not handled
//   b1 abandoned after 3 s  (short, ≤ T)
//   b2 abandoned after 5 s  (= short threshold: short, ≤ T)
//   b3 abandoned after 20 s (= T: within T, not short)
//   b4 abandoned after 30 s (> T)
//   q1 queued, neither answered nor abandoned (sent to voicemail): offered only
//   n1 never queued (IVR only): not offered
// So A = 4, A≤T = 2, Ab = 4, Ab≤T = 3, short = 2 (both ≤ T), offered = 9.
const CONTACTS: InteractionRecord[] = [
  inbound(BASE, { id: 'a1', at: 0, answerAfter: 10, talk: 90, hold: 10, wrap: 30 }),
  inbound(BASE, { id: 'a2', at: 60, answerAfter: 20, talk: 200, transferred: true }),
  inbound(BASE, { id: 'a3', at: 120, answerAfter: 21, talk: 50, hold: 5, wrap: 15 }),
  inbound(BASE, { id: 'a4', at: 180, answerAfter: 40 }),
  inbound(BASE, { id: 'b1', at: 240, abandonAfter: 3 }),
  inbound(BASE, { id: 'b2', at: 300, abandonAfter: 5 }),
  inbound(BASE, { id: 'b3', at: 360, abandonAfter: 20 }),
  inbound(BASE, { id: 'b4', at: 420, abandonAfter: 30 }),
  inbound(BASE, { id: 'q1', at: 480 }),
  { id: 'n1', orgId: 'org-1', channel: 'voice', direction: 'inbound', createdAt: BASE + 500_000 },
];

function figures(settings: Partial<KpiSettings> = {}, records = CONTACTS) {
  const [all] = computeKpis({ records, settings });
  return all!.figures;
}

describe('inbound counts', () => {
  it('offered, answered, abandoned and short abandons', () => {
    const f = figures();
    expect(f.offered.value).toBe(9); // 4 answered + 4 abandoned + q1; n1 never queued
    expect(f.answered.value).toBe(4);
    expect(f.abandoned.value).toBe(4);
    expect(f.short_abandons.value).toBe(2); // b1 (3 s) and b2 (exactly 5 s)
    expect(f.short_abandons.drillDown?.numerator).toEqual(['b1', 'b2']);
  });
});

describe('service level variants (DOMAIN.md §3)', () => {
  const cases: [ServiceLevelDefinition, boolean, number, number, number][] = [
    // formula, short abandons excluded, numerator, denominator, value
    ['answered_or_abandoned_within', false, 5, 8, 5 / 8], // (A≤T 2 + Ab≤T 3) / (A 4 + Ab 4)
    ['answered_within', false, 2, 8, 2 / 8], // A≤T 2 / (A + Ab) 8
    ['answered_within_of_answered', false, 2, 4, 2 / 4], // A≤T 2 / A 4
    ['answered_within_excluding_abandoned_within', false, 2, 5, 2 / 5], // 2 / (8 − Ab≤T 3)
    // Excluding short abandons: Ab = 4 − 2 = 2, Ab≤T = 3 − 2 = 1.
    ['answered_or_abandoned_within', true, 3, 6, 3 / 6], // (2 + 1) / (4 + 2)
    ['answered_within', true, 2, 6, 2 / 6], // 2 / (4 + 2)
    ['answered_within_of_answered', true, 2, 4, 2 / 4], // no abandons in it: unchanged
    ['answered_within_excluding_abandoned_within', true, 2, 5, 2 / 5], // 2 / (4 + 2 − 1)
  ];
  it.each(cases)('%s, short excluded %s → %d / %d', (formula, exclude, numerator, denominator, value) => {
    const sl = figures({
      serviceLevelFormula: formula,
      serviceLevelExcludesShortAbandons: exclude,
    }).service_level;
    expect(sl.numerator).toBe(numerator);
    expect(sl.denominator).toBe(denominator);
    expect(sl.value).toBeCloseTo(value, 12);
    expect(sl.definition.parameters).toMatchObject({ thresholdSeconds: 20, shortAbandonSeconds: 5 });
    expect(sl.definition.variant).toBe(exclude ? `${formula}+excluding_short_abandons` : formula);
  });

  it('drills down to the contacts within T and to the population', () => {
    const sl = figures().service_level;
    expect(sl.drillDown?.numerator).toEqual(['a1', 'a2', 'b1', 'b2', 'b3']);
    expect(sl.drillDown?.denominator).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4']);
    const excluded = figures({ serviceLevelExcludesShortAbandons: true }).service_level;
    expect(excluded.drillDown?.denominator).toEqual(['a1', 'a2', 'a3', 'a4', 'b3', 'b4']);
  });

  it('a threshold T of 21 s moves a3 (answered at 21 s) within T', () => {
    const sl = figures({ serviceLevelThresholdSeconds: 21 }).service_level;
    expect(sl.numerator).toBe(6); // A≤T 3 + Ab≤T 3
    expect(sl.definition.parameters.thresholdSeconds).toBe(21);
  });
});

describe('abandon rate, waits, handle time, transfers', () => {
  it('abandon rate with and without short abandons', () => {
    const excluded = figures().abandon_rate;
    expect([excluded.numerator, excluded.denominator]).toEqual([2, 6]); // (4 − 2) / (4 + 4 − 2)
    expect(excluded.value).toBeCloseTo(1 / 3, 12);
    expect(excluded.drillDown?.numerator).toEqual(['b3', 'b4']);
    const included = figures({ abandonRateIncludesShortAbandons: true }).abandon_rate;
    expect(included.value).toBe(0.5); // 4 / 8
    expect(included.definition.formula).toBe('Ab / (A + Ab)');
  });

  it('ASA, average and maximum queue wait', () => {
    const f = figures();
    expect(f.asa.value).toBe(22.75); // (10 + 20 + 21 + 40) / 4 = 91 / 4
    expect(f.asa.numerator).toBe(91);
    expect(f.average_queue_wait.value).toBe(18.625); // (91 + 3 + 5 + 20 + 30) / 8 = 149 / 8
    expect(f.max_queue_wait.value).toBe(40); // a4
    expect(f.max_queue_wait.drillDown?.numerator).toEqual(['a4']);
  });

  it('AHT and its parts over handled contacts (a4 is still talking)', () => {
    const f = figures();
    expect(f.handled.value).toBe(3);
    expect(f.aht.value).toBeCloseTo(400 / 3, 12); // (130 + 200 + 70) / 3
    expect(f.average_talk.value).toBeCloseTo(340 / 3, 12); // (90 + 200 + 50) / 3
    expect(f.average_hold.value).toBe(5); // (10 + 0 + 5) / 3
    expect(f.average_wrap.value).toBe(15); // (30 + 0 + 15) / 3
    expect(f.aht.drillDown?.denominator).toEqual(['a1', 'a2', 'a3']);
  });

  it('transfer rate = transferred / answered', () => {
    const f = figures().transfer_rate;
    expect([f.numerator, f.denominator, f.value]).toEqual([1, 4, 0.25]); // a2 of a1–a4
    expect(f.drillDown?.numerator).toEqual(['a2']);
  });
});

describe('absent figures', () => {
  it('zero offered: ratios are null with a reason, never 0, 100 %, NaN or Infinity', () => {
    const f = figures({}, []);
    expect(f.offered.value).toBe(0);
    for (const id of [
      'service_level',
      'abandon_rate',
      'asa',
      'aht',
      'transfer_rate',
      'max_queue_wait',
    ] as const) {
      expect(f[id].value).toBeNull();
      expect(f[id].reason).toMatch(/^no /);
    }
    for (const figure of Object.values(f)) {
      if (figure.value !== null) expect(Number.isFinite(figure.value)).toBe(true);
    }
  });

  it('only short abandons, excluded: the service level has no population', () => {
    const f = figures({ serviceLevelExcludesShortAbandons: true }, [
      CONTACTS[4]!,
      CONTACTS[5]!,
    ]).service_level;
    expect(f.value).toBeNull();
    expect(f.denominator).toBe(0); // Ab 2 − short 2
  });
});

describe('record validation', () => {
  const base = { id: 'x', orgId: 'org-1', channel: 'voice', direction: 'inbound' as const };
  it.each([
    [{ ...base, createdAt: '2026-03-02T09:00:00', queuedAt: BASE }, 'records[0].createdAt'], // no offset
    [{ ...base, createdAt: BASE, queuedAt: BASE, answeredAt: BASE - 1 }, 'records[0].answeredAt'],
    [
      { ...base, createdAt: BASE, queuedAt: BASE, answeredAt: BASE + 1, abandonedAt: BASE + 2 },
      'records[0].abandonedAt',
    ],
    [
      { ...base, createdAt: BASE, answeredAt: BASE, endedAt: BASE + 5000, holdSeconds: 6 },
      'records[0].holdSeconds',
    ],
    [{ ...base, direction: 'sideways', createdAt: BASE }, 'records[0].direction'],
  ])('refuses %j naming %s', (record, field) => {
    try {
      computeKpis({ records: [record as InteractionRecord] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KpiError);
      expect((error as KpiError).code).toBe('KPI_INVALID_INPUT');
      expect((error as KpiError).issues.map((i) => i.field)).toContain(field);
    }
  });

  it('refuses an unknown time zone and a negative threshold, naming both', () => {
    expect(() =>
      computeKpis({ records: [], settings: { timeZone: 'Europe/Atlantis', shortAbandonSeconds: -1 } }),
    ).toThrow(/timeZone.*and 1 more/);
  });
});
