// Bank holidays in England and Wales, computed rather than fetched, so working-day deadlines need no
// network and no yearly data update (docs/architecture.md "SLA timers": "UK bank holidays";
// docs/regulatory.md "Day counts"). The regular pattern comes from the Banking and Financial Dealings Act
// 1971 and royal proclamations; one-off changes are listed by hand below and must be added when a new one is
// proclaimed (until then a tenant can add the day as a closure day in its SLA policy).

import {
  addCalendarDays,
  fromDayNumber,
  isoWeekday,
  toDayNumber,
  daysInMonth,
  type LocalDate,
} from './local-date';

export interface BankHoliday {
  readonly date: LocalDate;
  readonly name: string;
}

/**
 * Proclaimed one-off changes since 2011: a regular holiday moved (`remove` plus an `add`) or an extra day.
 * Dates checked against gov.uk/bank-holidays.
 */
const ONE_OFF_CHANGES: Readonly<
  Record<number, { readonly remove: readonly LocalDate[]; readonly add: readonly BankHoliday[] }>
> = {
  2011: { remove: [], add: [{ date: '2011-04-29', name: 'Royal wedding' }] },
  2012: {
    remove: ['2012-05-28'],
    add: [
      { date: '2012-06-04', name: 'Spring bank holiday' },
      { date: '2012-06-05', name: 'Queen’s Diamond Jubilee' },
    ],
  },
  2020: { remove: ['2020-05-04'], add: [{ date: '2020-05-08', name: 'Early May bank holiday (VE day)' }] },
  2022: {
    remove: ['2022-05-30'],
    add: [
      { date: '2022-06-02', name: 'Spring bank holiday' },
      { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
      { date: '2022-09-19', name: 'Bank Holiday for the State Funeral of Queen Elizabeth II' },
    ],
  },
  2023: {
    remove: [],
    add: [{ date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' }],
  },
};

const byYear = new Map<number, readonly BankHoliday[]>();
const datesByYear = new Map<number, ReadonlySet<LocalDate>>();

/**
 * The bank holidays in England and Wales in a year, in date order: New Year's Day, Good Friday, Easter
 * Monday, the early May, spring and summer bank holidays, Christmas Day and Boxing Day, with substitute
 * days for those falling at a weekend and the proclaimed one-off changes.
 * @throws RangeError for a year outside 1000-9999.
 */
export function englandAndWalesBankHolidays(year: number): readonly BankHoliday[] {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`Bank holidays are computed for years 1000 to 9999; got ${year}.`);
  }
  const cached = byYear.get(year);
  if (cached) return cached;

  const easter = easterSunday(year);
  const holidays: BankHoliday[] = [
    ...weekdayOrSubstitute(`${year}-01-01`, 'New Year’s Day'),
    { date: addCalendarDays(easter, -2), name: 'Good Friday' },
    { date: addCalendarDays(easter, 1), name: 'Easter Monday' },
    { date: nthMonday(year, 5, 1), name: 'Early May bank holiday' },
    { date: lastMonday(year, 5), name: 'Spring bank holiday' },
    { date: lastMonday(year, 8), name: 'Summer bank holiday' },
    ...christmas(year),
  ];
  const change = ONE_OFF_CHANGES[year];
  const adjusted = change
    ? [...holidays.filter((h) => !change.remove.includes(h.date)), ...change.add]
    : holidays;
  const result = Object.freeze(
    adjusted.sort((a, b) => toDayNumber(a.date) - toDayNumber(b.date)).map((h) => Object.freeze({ ...h })),
  );
  byYear.set(year, result);
  datesByYear.set(year, new Set(result.map((h) => h.date)));
  return result;
}

/** True when `date` is a bank holiday in England and Wales. */
export function isBankHoliday(date: LocalDate): boolean {
  toDayNumber(date); // throws on anything but a valid date
  const year = Number(date.slice(0, 4));
  englandAndWalesBankHolidays(year);
  return datesByYear.get(year)?.has(date) ?? false;
}

/**
 * Easter Sunday in the Gregorian calendar, by the anonymous Gregorian computus (Meeus/Jones/Butcher).
 */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The holiday itself, or the next Monday as its substitute when it falls at a weekend. */
function weekdayOrSubstitute(date: LocalDate, name: string): BankHoliday[] {
  const weekday = isoWeekday(date);
  if (weekday < 6) return [{ date, name }];
  return [{ date: addCalendarDays(date, 8 - weekday), name: `${name} (substitute day)` }];
}

/** Christmas Day and Boxing Day, with substitutes that never land on the same day. */
function christmas(year: number): BankHoliday[] {
  const christmasDay = `${year}-12-25`;
  const boxingDay = `${year}-12-26`;
  switch (isoWeekday(christmasDay)) {
    case 5: // Friday: Boxing Day is a Saturday, substituted by Monday 28th.
      return [
        { date: christmasDay, name: 'Christmas Day' },
        { date: `${year}-12-28`, name: 'Boxing Day (substitute day)' },
      ];
    case 6: // Saturday: Monday 27th and Tuesday 28th.
      return [
        { date: `${year}-12-27`, name: 'Christmas Day (substitute day)' },
        { date: `${year}-12-28`, name: 'Boxing Day (substitute day)' },
      ];
    case 7: // Sunday: Boxing Day is Monday 26th, Christmas moves to Tuesday 27th.
      return [
        { date: boxingDay, name: 'Boxing Day' },
        { date: `${year}-12-27`, name: 'Christmas Day (substitute day)' },
      ];
    default:
      return [
        { date: christmasDay, name: 'Christmas Day' },
        { date: boxingDay, name: 'Boxing Day' },
      ];
  }
}

function nthMonday(year: number, month: number, n: number): LocalDate {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  const toMonday = (8 - isoWeekday(first)) % 7;
  return addCalendarDays(first, toMonday + 7 * (n - 1));
}

function lastMonday(year: number, month: number): LocalDate {
  const last = toDayNumber(`${year}-${String(month).padStart(2, '0')}-${daysInMonth(year, month)}`);
  const weekday = isoWeekday(fromDayNumber(last));
  return fromDayNumber(last - (weekday - 1));
}
