/**
 * The one rule for what staff may see of a reporter's action (docs/architecture.md "Reporter time"): a
 * case or item a reporter caused carries its batch's release as `visible_from`, and staff see it only
 * from then (the reporter sees their own at once). Every staff read of cases and items filters with
 * these, on the injected clock (`ReporterTime.now()`), so a handler's own exact-time entries about it
 * (reading it, replying) can only come after the boundary.
 */
import { IsNull, LessThanOrEqual, type EntityManager, type FindOperator } from 'typeorm';

/** SQL condition on `alias.visible_from`; `:visibleNow` must be bound to `visibleParams(now)`. */
export function visibleToStaffSql(alias: string): string {
  return `(${alias}.visible_from IS NULL OR ${alias}.visible_from <= :visibleNow)`;
}

/**
 * SQL condition: the case row `alias` is placed, in `cases` itself, not still in its held child
 * (docs/architecture.md "Held tables"). Until it is, no row of another table can refer to it (their
 * foreign keys look at `cases` alone): the case door places it for work that writes (`placeHeldCase`).
 */
export function placedSql(alias: string): string {
  return `${alias}.tableoid = 'cases'::regclass`;
}

/**
 * Places a case still in its held table, for staff work that writes to it after its release (a note, a
 * link, a request): its row is moved into `cases` now, so what refers to it can be written. The caller
 * holds the case (case-hold.ts), so no pass moves it meanwhile; its place is after the release, and
 * says nothing of the reporter's action. Its other held rows wait for the pass. Nothing if it is placed.
 */
export async function placeHeldCase(manager: EntityManager, caseId: string): Promise<void> {
  await manager.query(`SELECT nolan_place_held_case($1)`, [caseId]);
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
