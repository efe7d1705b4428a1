import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';
import { dayStart, nextDay } from './period.ts';

describe('reports helpers', () => {
  it('asks the KPI API for local midnights, across daylight-saving changes', () => {
    expect(dayStart('2026-01-15', 'Europe/Rome')).toBe('2026-01-15T00:00:00+01:00');
    expect(dayStart('2026-03-29', 'Europe/Rome')).toBe('2026-03-29T00:00:00+01:00');
    expect(dayStart('2026-03-30', 'Europe/Rome')).toBe('2026-03-30T00:00:00+02:00');
    expect(dayStart('2026-10-25', 'Europe/Rome')).toBe('2026-10-25T00:00:00+02:00');
    expect(dayStart('2026-10-26', 'Europe/Rome')).toBe('2026-10-26T00:00:00+01:00');
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('writes CSV that spreadsheets read, with quotes and no formula injection', () => {
    const csv = toCsv(
      ['a', 'b', 'c'],
      [
        { a: 'x,y', b: '=SUM(A1)', c: null },
        { a: 'say "hi"', b: 3, c: true },
      ],
    );
    expect(csv).toBe('\uFEFFa,b,c\r\n"x,y",\'=SUM(A1),\r\n"say ""hi""",3,true\r\n');
  });
});
