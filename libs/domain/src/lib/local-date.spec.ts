// Local-date arithmetic underpins every SLA deadline (docs/architecture.md "SLA timers"): month-end
// clamping, leap years and the Europe/London date of an instant are where deadlines usually go wrong.
import fc from 'fast-check';
import {
  addCalendarDays,
  addMonths,
  compareLocalDates,
  daysInMonth,
  fromDayNumber,
  isLocalDate,
  isoWeekday,
  toDayNumber,
  toLondonDate,
} from './local-date';

const anyDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('local dates', () => {
  it('accepts only real calendar dates written YYYY-MM-DD', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2000-02-29')).toBe(true);
    expect(isLocalDate('1900-02-29')).toBe(false);
    expect(isLocalDate('2025-13-01')).toBe(false);
    expect(isLocalDate('2025-1-01')).toBe(false);
    expect(isLocalDate('2025-01-01T00:00:00Z')).toBe(false);
    expect(isLocalDate(20250101)).toBe(false);
  });

  it('refuses to do arithmetic on something that is not a date', () => {
    expect(() => addCalendarDays('31/01/2025', 1)).toThrow(RangeError);
    expect(() => addMonths('2025-01-31', 1.5)).toThrow(RangeError);
  });

  it('clamps month addition to the end of a shorter month', () => {
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-08-31', 1)).toBe('2025-09-30');
    expect(addMonths('2025-10-15', 3)).toBe('2026-01-15');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
  });

  it('knows leap years, century rules included', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2100-02-28', 1)).toBe('2100-03-01');
  });

  it('numbers weekdays the ISO way', () => {
    expect(isoWeekday('1970-01-01')).toBe(4);
    expect(isoWeekday('2025-12-22')).toBe(1);
    expect(isoWeekday('2026-12-26')).toBe(6);
    expect(isoWeekday('1969-12-28')).toBe(7);
  });

  it('gives the Europe/London date of an instant, in GMT and in BST', () => {
    expect(toLondonDate('2025-01-15T23:30:00Z')).toBe('2025-01-15');
    expect(toLondonDate('2025-06-30T23:30:00Z')).toBe('2025-07-01');
    expect(toLondonDate('2025-06-30T22:59:59Z')).toBe('2025-06-30');
    expect(toLondonDate(new Date('2025-10-25T23:30:00Z'))).toBe('2025-10-26');
    expect(toLondonDate(Date.parse('2025-10-26T23:30:00Z'))).toBe('2025-10-26');
    expect(() => toLondonDate('not a time')).toThrow(RangeError);
  });

  it('should round-trip day numbers', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        expect(fromDayNumber(toDayNumber(date))).toBe(date);
      }),
    );
  });

  it('should move by calendar days consistently with day numbers', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -1000, max: 1000 }), (date, days) => {
        const moved = addCalendarDays(date, days);
        expect(compareLocalDates(moved, date)).toBe(days);
        expect(isoWeekday(moved)).toBe(((((isoWeekday(date) - 1 + days) % 7) + 7) % 7) + 1);
      }),
    );
  });

  it('should add months by keeping the day of the month, or the last day of a shorter month', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -36, max: 36 }), (date, months) => {
        const result = addMonths(date, months);
        const [y, m, d] = date.split('-').map(Number) as [number, number, number];
        const [ry, rm, rd] = result.split('-').map(Number) as [number, number, number];
        expect(ry * 12 + rm - (y * 12 + m)).toBe(months);
        expect(rd).toBe(Math.min(d, daysInMonth(ry, rm)));
      }),
    );
  });
});
