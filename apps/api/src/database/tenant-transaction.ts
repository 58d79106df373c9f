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
    await manager.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
    return work(manager);
  });
}
