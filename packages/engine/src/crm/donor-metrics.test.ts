import { describe, expect, it } from 'vitest';
import { CrmError } from './crm.errors.ts';
import { donorMetrics, donorRetention, fiscalYearOf, type Gift } from './donor-metrics.ts';

// A small book of gifts, every expected figure computed by hand below.
const GIFTS: Gift[] = [
  { supporterId: 'A', date: '2023-05-01', amountCents: 1000 },
  { supporterId: 'A', date: '2024-06-01', amountCents: 2000 },
  { supporterId: 'A', date: '2025-02-01', amountCents: 2000 },
  { supporterId: 'B', date: '2023-03-10', amountCents: 5000 },
  { supporterId: 'B', date: '2024-03-20', amountCents: 5000 },
  { supporterId: 'C', date: '2023-01-15', amountCents: 3000 },
  { supporterId: 'D', date: '2023-12-31', amountCents: 1000 },
  { supporterId: 'E', date: '2024-03-15', amountCents: 1000 },
  { supporterId: 'F', date: '2022-06-01', amountCents: 500 },
  { supporterId: 'F', date: '2025-03-01', amountCents: 700 },
  { supporterId: 'G', date: '2021-01-01', amountCents: 1000 },
  { supporterId: 'H', date: '2025-04-01', amountCents: 1000 }, // after the reference date
  { supporterId: 'I', date: '2023-06-01', amountCents: 1000 },
  { supporterId: 'I', date: '2023-09-01', amountCents: 1000 },
  { supporterId: 'I', date: '2024-12-31', amountCents: 4000 },
];
const ids = (list: { supporterId: string }[]) => list.map((s) => s.supporterId);

describe('donorMetrics, calendar fiscal years', () => {
  const m = donorMetrics({ gifts: GIFTS, referenceDate: '2025-03-15' });

  it('takes this fiscal year to date and the two complete years before it', () => {
    expect(m.thisFiscalYear).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(m.lastFiscalYear).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(m.retention.previous).toEqual({ from: '2023-01-01', to: '2023-12-31' });
    expect(m.retention.current).toEqual(m.lastFiscalYear);
  });

  it('computes retention, attrition, lifespan and lifetime value', () => {
    // 2023 donors A B C D I (5); of them A B I gave in 2024 (3): retention 3/5 = 0.6,
    // attrition 0.4, lifespan 1/0.4 = 2.5 years.
    expect(m.retention).toMatchObject({ previousDonors: 5, retainedDonors: 3 });
    expect(m.retention.retention).toBeCloseTo(0.6, 15);
    expect(m.retention.attrition).toBeCloseTo(0.4, 15);
    expect(m.expectedLifespanYears).toBeCloseTo(2.5, 12);
    // 2024: A 2000 + B 5000 + E 1000 + I 4000 = 12000 over 4 donors = 3000 cents;
    // lifetime value 3000 × 2.5 = 7500 cents.
    expect(m.averageAnnualGiftCents).toBe(3000);
    expect(m.lifetimeValueCents).toBe(7500);
  });

  it('lists LYBUNT and SYBUNT donors', () => {
    // Gave in 2024, not in 2025 up to 15 March: B, E, I (A gave on 1 Feb 2025).
    expect(ids(m.lybunt)).toEqual(['B', 'E', 'I']);
    expect(m.lybunt.find((s) => s.supporterId === 'I')).toEqual({
      supporterId: 'I',
      firstGiftDate: '2023-06-01',
      lastGiftDate: '2024-12-31',
      giftCount: 3,
      totalCents: 6000,
      lastFiscalYearCents: 4000,
      monthsSinceLastGift: 2,
    });
    // Gave before 2024, neither in 2024 nor in 2025: C, D, G (F came back in 2025).
    expect(ids(m.sybunt)).toEqual(['C', 'D', 'G']);
  });

  it('segments by months since the last gift', () => {
    // A 1 month, B 11 (20 Mar 2024 -> 15 Mar 2025), F 0, I 2: active.
    // E exactly 12 (15 Mar 2024), D 14 (31 Dec 2023): lapsed, 13th–24th month back.
    // C 26 (15 Jan 2023), G 50: deep lapsed. H's only gift is after the reference date.
    expect(ids(m.active)).toEqual(['A', 'B', 'F', 'I']);
    expect(ids(m.lapsed)).toEqual(['D', 'E']);
    expect(ids(m.deepLapsed)).toEqual(['C', 'G']);
    const months = Object.fromEntries(
      [...m.active, ...m.lapsed, ...m.deepLapsed].map((s) => [s.supporterId, s.monthsSinceLastGift]),
    );
    expect(months).toEqual({ A: 1, B: 11, C: 26, D: 14, E: 12, F: 0, G: 50, I: 2 });
  });

  it('puts a gift exactly 24 months back in deep lapsed, one day later in lapsed', () => {
    const at = (date: string) =>
      donorMetrics({ gifts: [{ supporterId: 'X', date, amountCents: 100 }], referenceDate: '2025-03-15' });
    expect(ids(at('2023-03-15').deepLapsed)).toEqual(['X']);
    expect(ids(at('2023-03-16').lapsed)).toEqual(['X']);
    expect(ids(at('2024-03-16').active)).toEqual(['X']);
    expect(ids(at('2024-03-15').lapsed)).toEqual(['X']);
  });
});

describe('donorMetrics, fiscal year from July', () => {
  it('moves the year boundaries', () => {
    const m = donorMetrics({ gifts: GIFTS, referenceDate: '2025-03-15', fiscalYearStartMonth: 7 });
    expect(m.thisFiscalYear).toEqual({ from: '2024-07-01', to: '2025-06-30' });
    expect(m.lastFiscalYear).toEqual({ from: '2023-07-01', to: '2024-06-30' });
    // Last FY donors A (1 Jun 24) B (20 Mar 24) D (31 Dec 23) E (15 Mar 24) I (1 Sep 23);
    // this FY to date A, F, I. LYBUNT B D E; SYBUNT (only before 1 Jul 23) C G.
    expect(ids(m.lybunt)).toEqual(['B', 'D', 'E']);
    expect(ids(m.sybunt)).toEqual(['C', 'G']);
    // FY 2022/23 donors A (1 May 23) B (10 Mar 23) C (15 Jan 23) I (1 Jun 23); again in
    // 2023/24: A B I -> 3/4. Average 2023/24: (2000 + 5000 + 1000 + 1000 + 1000) / 5 = 2000;
    // lifespan 1 / 0.25 = 4 years; lifetime value 8000 cents.
    expect(m.retention.retention).toBeCloseTo(0.75, 15);
    expect(m.averageAnnualGiftCents).toBe(2000);
    expect(m.lifetimeValueCents).toBe(8000);
  });
});

describe('edge cases', () => {
  it('reports no retention without donors and no lifespan without attrition', () => {
    const none = donorMetrics({ gifts: [], referenceDate: '2025-03-15' });
    expect(none.retention.retention).toBeNull();
    expect(none.averageAnnualGiftCents).toBeNull();
    expect(none.lifetimeValueCents).toBeNull();
    const loyal = donorMetrics({
      gifts: [
        { supporterId: 'A', date: '2023-05-01', amountCents: 1000 },
        { supporterId: 'A', date: '2024-05-01', amountCents: 1000 },
      ],
      referenceDate: '2025-03-15',
    });
    expect(loyal.retention.retention).toBe(1);
    expect(loyal.retention.attrition).toBe(0);
    expect(loyal.expectedLifespanYears).toBeNull(); // 1/0: no finite estimate
    expect(loyal.lifetimeValueCents).toBeNull();
  });

  it('names every malformed gift and option at once', () => {
    try {
      donorMetrics({
        gifts: [
          { supporterId: '', date: '2024-01-01', amountCents: 100 },
          { supporterId: 'A', date: '31/01/2024', amountCents: 100 },
          { supporterId: 'A', date: '2024-01-01', amountCents: -500 },
          { supporterId: 'A', date: '2024-01-01', amountCents: 10.5 },
        ],
        referenceDate: '2025-02-30',
        fiscalYearStartMonth: 13,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CrmError);
      const e = error as CrmError;
      expect(e.code).toBe('CRM_INVALID_INPUT');
      expect(e.issues.map((i) => i.field)).toEqual([
        'gifts[0].supporterId',
        'gifts[1].date',
        'gifts[2].amountCents',
        'gifts[3].amountCents',
        'referenceDate',
        'fiscalYearStartMonth',
      ]);
      expect(e.message).toContain('(and 5 more)');
    }
  });
});

describe('donorRetention', () => {
  it('compares any two periods', () => {
    // Two rolling 12-month windows ending on 15 March.
    const r = donorRetention({
      gifts: GIFTS,
      previous: { from: '2023-03-16', to: '2024-03-15' },
      current: { from: '2024-03-16', to: '2025-03-15' },
    });
    // previous: A (2023-05-01), D (2023-12-31), E (2024-03-15), I (2023-06-01, 2023-09-01) = 4.
    // current: A (2024-06-01, 2025-02-01), B (2024-03-20), F (2025-03-01), I (2024-12-31).
    // Retained A, I = 2 of 4.
    expect(r).toEqual({
      previousDonors: 4,
      retainedDonors: 2,
      retention: 0.5,
      attrition: 0.5,
      expectedLifespanPeriods: 2,
    });
  });

  it('refuses a reversed range', () => {
    expect(() =>
      donorRetention({
        gifts: GIFTS,
        previous: { from: '2024-12-31', to: '2024-01-01' },
        current: { from: '2025-01-01', to: '2025-12-31' },
      }),
    ).toThrow(CrmError);
  });
});

describe('fiscalYearOf', () => {
  it('finds the fiscal year around a date', () => {
    expect(fiscalYearOf('2025-03-15')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(fiscalYearOf('2025-03-15', 4)).toEqual({ from: '2024-04-01', to: '2025-03-31' });
    expect(fiscalYearOf('2025-04-01', 4)).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(fiscalYearOf('2024-02-29', 3)).toEqual({ from: '2023-03-01', to: '2024-02-29' });
    expect(() => fiscalYearOf('2025-03-15', 0)).toThrow(CrmError);
  });
});
