// Plain calendar dates ('YYYY-MM-DD') for the SLA calendar (docs/architecture.md "SLA timers").
// Deadlines are days in England and Wales, not instants: a report received at 23:30 on 30 June BST is
// received on 30 June, although it is already 1 July in UTC. So SLA arithmetic works on local dates, and
// the only conversion from an instant goes through the Europe/London time zone (toLondonDate).

/** A calendar date as 'YYYY-MM-DD', with no time and no zone. */
export type LocalDate = string;

const MS_PER_DAY = 86_400_000;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written 'YYYY-MM-DD' (so '2025-02-29' is not). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Days since 1970-01-01 (negative before). Dates compare and subtract as these numbers.
 * @throws RangeError when `date` is not a valid LocalDate.
 */
export function toDayNumber(date: LocalDate): number {
  const { year, month, day } = parts(date);
  return utcDay(year, month, day);
}

/** The LocalDate for a day number from `toDayNumber`. */
export function fromDayNumber(dayNumber: number): LocalDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** `date` moved by `days` calendar days (negative moves back). */
export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  assertInteger(days, 'days');
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * `date` moved by whole calendar months, clamped to the end of a shorter month: 30 November plus three
 * months is 28 February, or 29 February in a leap year.
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  assertInteger(months, 'months');
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Day of the week, ISO style: 1 is Monday, 7 is Sunday. */
export function isoWeekday(date: LocalDate): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** True on Saturdays and Sundays. */
export function isWeekend(date: LocalDate): boolean {
  return isoWeekday(date) >= 6;
}

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

/** Number of days in a month (1-12) of a year, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(utcDay(year, month + 1, 1) * MS_PER_DAY - MS_PER_DAY).getUTCDate();
}

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The date in England and Wales (Europe/London, GMT or BST) at an instant.
 * @param instant a Date, milliseconds since the epoch, or an ISO 8601 string with a zone.
 * @throws RangeError when the instant is not a valid time.
 */
export function toLondonDate(instant: Date | number | string): LocalDate {
  const time = instant instanceof Date ? instant.getTime() : new Date(instant).getTime();
  if (!Number.isFinite(time)) throw new RangeError(`"${String(instant)}" is not a valid instant.`);
  const found: Record<string, string> = {};
  for (const part of londonFormat.formatToParts(time)) found[part.type] = part.value;
  return `${found['year']}-${found['month']}-${found['day']}`;
}

function parts(date: LocalDate): { year: number; month: number; day: number } {
  if (!isLocalDate(date)) throw new RangeError(`"${String(date)}" is not a date in the form YYYY-MM-DD.`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function utcDay(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / MS_PER_DAY);
}

function format(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number; got ${value}.`);
}

/** The months' names in English, January first, for dates shown to people (pages, reports, figures). */
export const MONTH_NAMES: readonly string[] = Object.freeze([
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]);
