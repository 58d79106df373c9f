/**
 * The case list's cursor (docs/performance.md "The case list"): a page asked for `after` a case starts
 * just past it in the list's order (acknowledgement due date, then reference), so Postgres finds the page
 * on the order's index and a deep page costs what the first costs; an offset walks every case before it.
 * The cursor carries the date and the reference themselves: the query never looks a case up by the
 * reference a caller sends, so a cursor naming a case they do not hold tells them nothing of it.
 */
import type { CaseEntity } from '../store/case.entity';

/** `YYYY-MM-DD_NLN-XXXX-XXXX`: the last case's acknowledgement due date and reference. */
export const CASE_LIST_CURSOR = /^(\d{4}-\d{2}-\d{2})_(NLN-[A-Z0-9]{4}-[A-Z0-9]{4})$/;

export interface CaseListPosition {
  acknowledgementDue: string;
  reference: string;
}

/** The position a cursor names, or null if it is not one (a date that does not exist included). */
export function parseCaseListCursor(cursor: string): CaseListPosition | null {
  const match = CASE_LIST_CURSOR.exec(cursor);
  if (!match) return null;
  const [, due, reference] = match as unknown as [string, string, string];
  const day = new Date(`${due}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== due) return null;
  return { acknowledgementDue: due, reference };
}

/** The cursor of the page after `page`, or null if `page` is not full (there is none after it). */
export function nextCaseListCursor(
  page: readonly Pick<CaseEntity, 'acknowledgementDue' | 'reference'>[],
  limit: number,
): string | null {
  const last = page[page.length - 1];
  if (!last || page.length < limit) return null;
  return `${last.acknowledgementDue}_${last.reference}`;
}
