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
    const runner = manager.queryRunner;
    // Noted for this transaction's work only, and forgotten when it ends (a query runner can outlive a
    // transaction: one runner runs every migration).
    if (runner && CANONICAL_UUID.test(tenantId)) tenants.set(runner, tenantId);
    try {
      return await work(manager);
    } finally {
      if (runner) tenants.delete(runner);
    }
  });
}

/**
 * The tenant `inTenant` gave each transaction, for its work, so that a writer asking for it (every audit
 * append) does not ask Postgres again (docs/performance.md "Intake's statements"). Only a tenant id
 * written as Postgres writes it (`nolan_current_tenant()` reads it back so) is noted: the audit chain
 * hashes and locks on the text. Setting a tenant anywhere else (`setTenant`) forgets the note, and readers
 * then ask Postgres; every place in the application that sets one goes through `setTenant`
 * (test/lint/tenant-setting.e2e-spec.ts), so the note is never older than the setting.
 */
const tenants = new WeakMap<object, string>();
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Row-level security: `tenantId` for the rest of the caller's transaction. */
export async function setTenant(manager: EntityManager, tenantId: string): Promise<void> {
  const runner = manager.queryRunner;
  if (runner) tenants.delete(runner);
  await manager.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
}

/** The tenant `inTenant` gave the caller's transaction, if it knows it; otherwise ask Postgres. */
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
