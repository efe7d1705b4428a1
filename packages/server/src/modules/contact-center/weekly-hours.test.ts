import { describe, expect, it } from 'vitest';
import { clockMinutes, dateListProblems, isIanaTimeZone, weeklyProblems } from './weekly-hours.ts';

describe('weekly hours', () => {
  it('reads clock times, with 24:00 as the end of a day', () => {
    expect([clockMinutes('00:00'), clockMinutes('09:30'), clockMinutes('24:00')]).toEqual([0, 570, 1440]);
    expect([clockMinutes('9:30'), clockMinutes('24:01'), clockMinutes('12:60')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('accepts IANA zones and refuses offsets and inventions', () => {
    expect(['Europe/Rome', 'UTC', 'America/Argentina/Buenos_Aires'].map(isIanaTimeZone)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['+01:00', 'Europe/Atlantis', 'CET ', ''].map(isIanaTimeZone)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses periods that end before they start and periods that overlap on a day', () => {
    expect(weeklyProblems([{ days: ['mon'], from: '18:00', to: '09:00' }], 'w')).toEqual([
      { field: 'w[0].to', message: "must be after 'from' (18:00)" },
    ]);
    expect(
      weeklyProblems(
        [
          { days: ['mon', 'tue'], from: '09:00', to: '13:00' },
          { days: ['tue'], from: '12:00', to: '18:00' },
          { days: ['mon'], from: '13:00', to: '24:00' },
        ],
        'w',
      ),
    ).toEqual([{ field: 'w[1]', message: 'overlaps w[0] on tue' }]);
    expect(weeklyProblems([{ days: [], from: '24:00', to: '24:00' }], 'w').map((p) => p.field)).toEqual([
      'w[0].days',
      'w[0].from',
    ]);
  });

  it('takes only real calendar dates, each once', () => {
    expect(
      dateListProblems(['2024-02-29', '2025-02-29', '2025-12-25', '2025-12-25', '25/12/2025'], 'h'),
    ).toEqual([
      { field: 'h[1]', message: "expected a date YYYY-MM-DD, got '2025-02-29'" },
      { field: 'h[3]', message: '2025-12-25 is listed twice' },
      { field: 'h[4]', message: "expected a date YYYY-MM-DD, got '25/12/2025'" },
    ]);
  });
});
