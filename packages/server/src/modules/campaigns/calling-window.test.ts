// Calling windows on the Europe/Rome clock: weekly hours, holidays, the
// daylight-saving changes (last Sunday of March and of October), and the
// default window of a campaign without one.
import { describe, expect, it } from 'vitest';
import {
  type CallingWindowHours,
  easterSunday,
  isWithinCallingWindow,
  italianPublicHolidays,
} from './calling-window.ts';

const weekdays: CallingWindowHours = {
  timeZone: 'Europe/Rome',
  weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '20:00' }],
  holidays: ['2026-04-06'],
};
const open = (iso: string, window: CallingWindowHours | null = weekdays) =>
  isWithinCallingWindow(window, new Date(iso));

describe('isWithinCallingWindow', () => {
  it('applies the weekly hours on the local clock, across the change to summer time', () => {
    // Friday 27 March 2026, CET (UTC+1): 07:30Z is 08:30 in Rome, 08:00Z is 09:00.
    expect(open('2026-03-27T07:30:00Z')).toBe(false);
    expect(open('2026-03-27T08:00:00Z')).toBe(true);
    // Monday 30 March 2026, CEST (UTC+2) since Sunday 29 March: 07:30Z is 09:30 in Rome.
    expect(open('2026-03-30T07:30:00Z')).toBe(true);
    // 18:30Z is 20:30 in Rome (closed), though 19:30 under winter time.
    expect(open('2026-03-30T18:30:00Z')).toBe(false);
    expect(open('2026-03-30T17:59:00Z')).toBe(true);
    // Back to CET on Sunday 25 October 2026: Monday 26 October 19:30Z is 20:30 in Rome.
    expect(open('2026-10-26T18:59:00Z')).toBe(true);
    expect(open('2026-10-26T19:00:00Z')).toBe(false);
    // Saturday: no period.
    expect(open('2026-03-28T10:00:00Z')).toBe(false);
  });

  it('stays closed all day on a holiday of the window', () => {
    expect(open('2026-04-06T10:00:00Z')).toBe(false);
    expect(open('2026-04-07T10:00:00Z')).toBe(true);
  });

  it('without a window: Monday–Friday 9–21, Saturday 9–13, closed on Sunday and Italian public holidays', () => {
    expect(open('2026-03-10T19:59:00Z', null)).toBe(true); // Tuesday 20:59 CET
    expect(open('2026-03-10T20:00:00Z', null)).toBe(false); // 21:00
    expect(open('2026-03-10T07:59:00Z', null)).toBe(false); // 08:59
    expect(open('2026-03-14T11:59:00Z', null)).toBe(true); // Saturday 12:59
    expect(open('2026-03-14T12:00:00Z', null)).toBe(false); // Saturday 13:00
    expect(open('2026-03-15T10:00:00Z', null)).toBe(false); // Sunday
    expect(open('2026-04-06T10:00:00Z', null)).toBe(false); // Easter Monday 2026
    expect(open('2026-06-02T10:00:00Z', null)).toBe(false); // Republic Day (Tuesday)
    expect(open('2026-12-08T10:00:00Z', null)).toBe(false); // Immaculate Conception (Tuesday)
    expect(open('2026-12-09T10:00:00Z', null)).toBe(true);
  });
});

describe('Italian public holidays', () => {
  // Easter dates from the Gregorian computus tables (e.g. timeanddate.com).
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('Easter %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('lists the eleven national holidays, Easter Monday included', () => {
    const days = italianPublicHolidays(2025);
    expect(days).toHaveLength(11);
    expect(days).toContain('2025-04-21');
    expect(days).toContain('2025-04-25');
  });
});
