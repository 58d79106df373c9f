/**
 * Holding a case while writing to it (docs/architecture.md "Placement"). At the batch's release the
 * placement pass takes a case's rows out and puts them back; a row written meanwhile against one of them
 * would fail its foreign key (a reporter's message) or update nothing (a replaced receipt). So every
 * writer of a case holds it before its first write: the recorder for each event and entry it writes,
 * the case door for staff before their work, and a reporter-caused transaction as it is marked
 * (`reporterCaused` with its case). The hold is shared, so writers never wait for each other; the pass
 * moves a case's rows only if it can hold the case alone, at once (migration EveryWriterHoldsTheCase),
 * so a writer waits for a pass that holds the case to commit and then writes against the rows as put
 * back, and a pass leaves a case a writer holds for its next run. Held until the transaction ends.
 *
 * Work that writes to two cases (a link, an unlink, closing as a duplicate) holds both, in id order,
 * before its first write (`holdCases`): never one case's audit entry first and the other case after,
 * which would keep the audit trail's lock while waiting for a pass that wants it next.
 *
 * Work that writes to more cases than `CASES_HELD_ONE_BY_ONE` in one transaction (staff key recovery,
 * every case the person holds a grant on: nearly all of a council's for its monitoring officer) holds
 * their council instead, once (migration ManyCaseWritersHoldTheCouncil): one advisory lock per case would
 * overflow Postgres's shared lock table. The pass moves no row of a council such a writer holds, so the
 * guarantee is the same, with at most `CASES_HELD_ONE_BY_ONE` case locks, or one council lock, per writer.
 */
import type { EntityManager } from 'typeorm';
import { transactionOf } from '../database/tenant-transaction';

/** The most cases a writer holds one by one; a writer of more holds their council (one lock). */
export const CASES_HELD_ONE_BY_ONE = 8;

export async function holdCase(manager: EntityManager, caseId: string): Promise<void> {
  if (heldIn(manager)?.has(caseId)) return;
  await manager.query(`SELECT nolan_hold_case($1)`, [caseId]);
  noteHeld(manager, caseId);
}

/**
 * The cases a transaction already holds: the hold lasts until the transaction ends, so a second
 * `holdCase` of the same case (the door's, then the recorder's for the read's audit entry) asks Postgres
 * nothing (docs/performance.md "Opening a case"). Only for the transaction itself, never a savepoint,
 * whose rollback would release a hold taken inside it.
 */
const held = new WeakMap<object, Set<string>>();

function heldIn(manager: EntityManager): Set<string> | undefined {
  const runner = transactionOf(manager);
  return runner ? held.get(runner) : undefined;
}

/** Notes that the caller's transaction holds `caseId` (taken by `nolan_hold_case` in its own statement). */
export function noteHeld(manager: EntityManager, caseId: string): void {
  const runner = transactionOf(manager);
  if (!runner) return;
  let cases = held.get(runner);
  if (!cases) held.set(runner, (cases = new Set()));
  cases.add(caseId);
}

/**
 * Holds each of `caseIds`, in id order, once each, or, for more than `CASES_HELD_ONE_BY_ONE` of them,
 * the transaction's council (docs/architecture.md "Placement"). Before the first write, as `holdCase`.
 */
export async function holdCases(manager: EntityManager, caseIds: readonly string[]): Promise<void> {
  const cases = [...new Set(caseIds)].sort();
  if (cases.length > CASES_HELD_ONE_BY_ONE) {
    await manager.query(`SELECT nolan_hold_council()`);
    return;
  }
  for (const caseId of cases) await holdCase(manager, caseId);
}
