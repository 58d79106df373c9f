// The arithmetic of the monitoring officer's figures and the annual report (docs/regulatory.md §5, the
// performance indicators; issue #16): periods (a financial year by default), day counts between local
// dates, medians and the 90th percentile, and the age bands of open cases. Pure: the API counts cases
// from their readable metadata only (category, status, dates, outcome) and hands the numbers here.

import { compareLocalDates, isLocalDate, type LocalDate, toDayNumber } from './local-date';

export interface Period {
  /** First day, inclusive. */
  readonly from: LocalDate;
  /** Last day, inclusive. */
  readonly to: LocalDate;
}

/** The UK local-government financial year (1 April to 31 March) that contains `date`. */
export function financialYearOf(date: LocalDate): Period {
  if (!isLocalDate(date)) throw new RangeError('date must be a date in the form YYYY-MM-DD.');
  const year = Number(date.slice(0, 4));
  const start = date.slice(5) >= '04-01' ? year : year - 1;
  return { from: `${start}-04-01`, to: `${start + 1}-03-31` };
}

/** "2025-26" for the financial year starting 1 April 2025. */
export function financialYearLabel(period: Period): string {
  const start = Number(period.from.slice(0, 4));
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The longest period the figures are computed for: ten years. */
export const MAX_PERIOD_DAYS = 3660;

/** Problems with a requested period, each a sentence naming the field; empty when usable. */
export function validatePeriod(from: unknown, to: unknown): string[] {
  const problems: string[] = [];
  if (!isLocalDate(from)) problems.push('from must be a date in the form YYYY-MM-DD.');
  if (!isLocalDate(to)) problems.push('to must be a date in the form YYYY-MM-DD.');
  if (problems.length) return problems;
  if (compareLocalDates(from as string, to as string) > 0) problems.push('from must not be after to.');
  else if (daysBetween(from as string, to as string) > MAX_PERIOD_DAYS)
    problems.push(`The period can be at most ${MAX_PERIOD_DAYS} days long.`);
  return problems;
}

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** True when `date` lies within the period, both ends included. */
export function inPeriod(date: LocalDate | null | undefined, period: Period): boolean {
  return date != null && compareLocalDates(date, period.from) >= 0 && compareLocalDates(date, period.to) <= 0;
}

/** The median of whole numbers (the mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The p-th percentile by the nearest-rank method (the smallest value at or above p% of the values), so
 * it is always a value that occurred; null when empty.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError('p must be more than 0 and at most 100.');
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] as number;
}

/** A whole-number percentage to one decimal place; null when there is nothing to divide by. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Age bands of open cases, in days since receipt. */
export const AGE_BANDS = [
  { key: '0-7', label: '7 days or fewer', max: 7 },
  { key: '8-30', label: '8 to 30 days', max: 30 },
  { key: '31-90', label: '31 to 90 days', max: 90 },
  { key: '91-180', label: '91 to 180 days', max: 180 },
  { key: '181+', label: 'more than 180 days', max: Number.POSITIVE_INFINITY },
] as const;

export type AgeBand = (typeof AGE_BANDS)[number]['key'];

export function ageBand(days: number): AgeBand {
  return (AGE_BANDS.find((band) => days <= band.max) ?? AGE_BANDS[AGE_BANDS.length - 1]).key;
}

/** The months of a period as 'YYYY-MM', in order. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let [y, m] = [Number(period.from.slice(0, 4)), Number(period.from.slice(5, 7))];
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) break;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}
