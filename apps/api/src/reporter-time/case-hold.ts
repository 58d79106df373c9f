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
 */
import type { EntityManager } from 'typeorm';

export async function holdCase(manager: EntityManager, caseId: string): Promise<void> {
  await manager.query(`SELECT nolan_hold_case($1)`, [caseId]);
}

/** Holds each of `caseIds`, in id order, once each (docs/architecture.md "Placement"). */
export async function holdCases(manager: EntityManager, caseIds: readonly string[]): Promise<void> {
  for (const caseId of [...new Set(caseIds)].sort()) await holdCase(manager, caseId);
}
