import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction with the tenant set for row-level security (docs/conventions.md §4).
 * `set_config(..., true)` is transaction-local, so a pooled connection never carries a tenant over.
 */
export function inTenant<T>(
  dataSource: DataSource,
  tenantId: string,
  work: (manager: EntityManager) => Promise<T>,
) {
  return dataSource.transaction(async (manager) => {
    await setTenant(manager, tenantId);
    return work(manager);
  });
}

/**
 * The tenant each transaction was given by `setTenant`, so that a writer asking for it (every audit
 * append) does not ask Postgres again (docs/performance.md "Intake's statements"). Noted only at the
 * transaction's own level: a tenant set inside a savepoint could be undone by its rollback, so setting
 * one there forgets the note and later readers ask Postgres. Every place that sets the tenant goes
 * through `setTenant`, so the note is never older than the setting.
 */
const tenants = new WeakMap<object, string>();

/** Row-level security: `tenantId` for the rest of the caller's transaction. */
export async function setTenant(manager: EntityManager, tenantId: string): Promise<void> {
  await manager.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return;
  if (transactionOf(manager)) tenants.set(runner, tenantId);
  else tenants.delete(runner);
}

/** The tenant `setTenant` gave the caller's transaction, if it knows it; otherwise ask Postgres. */
export function tenantNotedFor(manager: EntityManager): string | undefined {
  const runner = manager.queryRunner;
  return runner?.isTransactionActive ? tenants.get(runner) : undefined;
}

/**
 * The caller's transaction at its own level (not a savepoint), as the object a note about it is kept
 * under; undefined outside a transaction or inside a savepoint.
 */
export function transactionOf(manager: EntityManager): object | undefined {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return undefined;
  // TypeORM counts the nesting (1: the transaction itself; more: savepoints), on every driver's runner.
  const depth = (runner as unknown as { transactionDepth?: unknown }).transactionDepth;
  return depth === 1 ? runner : undefined;
}
