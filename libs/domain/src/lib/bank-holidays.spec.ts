// Bank holidays are computed, not fetched, so these pin the computation against the published gov.uk
// lists (docs/architecture.md "SLA timers": UK bank holidays), including each one-off change.
import fc from 'fast-check';
import { easterSunday, englandAndWalesBankHolidays, isBankHoliday } from './bank-holidays';
import { isWeekend } from './local-date';

const datesOf = (year: number): string[] => englandAndWalesBankHolidays(year).map((h) => h.date);

describe('England and Wales bank holidays', () => {
  it('matches gov.uk for 2025', () => {
    expect(datesOf(2025)).toEqual([
      '2025-01-01',
      '2025-04-18',
      '2025-04-21',
      '2025-05-05',
      '2025-05-26',
      '2025-08-25',
      '2025-12-25',
      '2025-12-26',
    ]);
  });

  it('matches gov.uk for 2026, with Boxing Day substituted on Monday 28 December', () => {
    expect(englandAndWalesBankHolidays(2026)).toEqual([
      { date: '2026-01-01', name: 'New Year’s Day' },
      { date: '2026-04-03', name: 'Good Friday' },
      { date: '2026-04-06', name: 'Easter Monday' },
      { date: '2026-05-04', name: 'Early May bank holiday' },
      { date: '2026-05-25', name: 'Spring bank holiday' },
      { date: '2026-08-31', name: 'Summer bank holiday' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
    ]);
  });

  it('matches gov.uk for 2027, when Christmas falls on a Saturday', () => {
    expect(datesOf(2027)).toEqual([
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-03',
      '2027-05-31',
      '2027-08-30',
      '2027-12-27',
      '2027-12-28',
    ]);
  });

  it('substitutes New Year’s Day and Christmas Day when they fall on a Sunday', () => {
    expect(datesOf(2023)).toEqual([
      '2023-01-02',
      '2023-04-07',
      '2023-04-10',
      '2023-05-01',
      '2023-05-08',
      '2023-05-29',
      '2023-08-28',
      '2023-12-25',
      '2023-12-26',
    ]);
    expect(datesOf(2022).slice(-2)).toEqual(['2022-12-26', '2022-12-27']);
    expect(englandAndWalesBankHolidays(2022).at(-1)?.name).toBe('Christmas Day (substitute day)');
  });

  it('moves the 2020 early May bank holiday to VE day', () => {
    expect(isBankHoliday('2020-05-08')).toBe(true);
    expect(isBankHoliday('2020-05-04')).toBe(false);
    expect(datesOf(2020)).toHaveLength(8);
  });

  it('moves the 2022 spring bank holiday and adds the platinum jubilee and the state funeral', () => {
    expect(datesOf(2022)).toEqual([
      '2022-01-03',
      '2022-04-15',
      '2022-04-18',
      '2022-05-02',
      '2022-06-02',
      '2022-06-03',
      '2022-08-29',
      '2022-09-19',
      '2022-12-26',
      '2022-12-27',
    ]);
  });

  it('adds the 2023 coronation, the 2011 royal wedding and the 2012 diamond jubilee', () => {
    expect(isBankHoliday('2023-05-08')).toBe(true);
    expect(isBankHoliday('2011-04-29')).toBe(true);
    expect(isBankHoliday('2012-06-04')).toBe(true);
    expect(isBankHoliday('2012-06-05')).toBe(true);
    expect(isBankHoliday('2012-05-28')).toBe(false);
  });

  it('finds Easter Sunday by the computus', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(easterSunday(2285)).toBe('2285-03-22');
  });

  it('is not a bank holiday on an ordinary day', () => {
    expect(isBankHoliday('2026-12-24')).toBe(false);
    expect(isBankHoliday('2026-12-26')).toBe(false);
    expect(() => isBankHoliday('2026-13-01')).toThrow(RangeError);
  });

  it('should give eight to ten holidays a year, all on weekdays, in order and distinct', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1980, max: 2200 }), (year) => {
        const dates = datesOf(year);
        expect(dates.length).toBeGreaterThanOrEqual(8);
        expect(dates.length).toBeLessThanOrEqual(10);
        expect(new Set(dates).size).toBe(dates.length);
        expect([...dates].sort()).toEqual(dates);
        for (const date of dates) {
          expect(date.startsWith(String(year))).toBe(true);
          expect(isWeekend(date)).toBe(false);
        }
      }),
    );
  });
});
