/**
 * The one rule for what staff may see of a reporter's action (docs/architecture.md "Reporter time"): a
 * case or item a reporter caused carries its batch's release as `visible_from`, and staff see it only
 * from then (the reporter sees their own at once). Every staff read of cases and items filters with
 * these, on the injected clock (`ReporterTime.now()`), so a handler's own exact-time entries about it
 * (reading it, replying) can only come after the boundary.
 */
import { IsNull, LessThanOrEqual, type FindOperator } from 'typeorm';

/** SQL condition on `alias.visible_from`; `:visibleNow` must be bound to `visibleParams(now)`. */
export function visibleToStaffSql(alias: string): string {
  return `(${alias}.visible_from IS NULL OR ${alias}.visible_from <= :visibleNow)`;
}

export function visibleParams(now: Date): { visibleNow: Date } {
  return { visibleNow: now };
}

/** `where` clauses for a find over items visible to staff at `now` (either clause matches). */
export function visibleItemsWhere<T extends object>(
  where: T,
  now: Date,
): (T & { visibleFrom: FindOperator<Date> })[] {
  return [
    { ...where, visibleFrom: IsNull() as FindOperator<Date> },
    { ...where, visibleFrom: LessThanOrEqual(now) },
  ];
}
