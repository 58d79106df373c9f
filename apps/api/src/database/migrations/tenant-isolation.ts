import type { QueryRunner } from 'typeorm';

/**
 * Row-level security for a tenant table (docs/architecture.md "Row-level security"): an index on tenant_id,
 * RLS enabled and forced (so even the owner is bound), and the one policy every tenant table has.
 * Shared by migrations; changing it changes only migrations written after the change.
 */
export async function isolateByTenant(q: QueryRunner, table: string): Promise<void> {
  await q.query(`CREATE INDEX ${table}_tenant_idx ON ${table} (tenant_id)`);
  await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await q.query(`CREATE POLICY tenant_isolation ON ${table}
    USING (tenant_id = nolan_current_tenant()) WITH CHECK (tenant_id = nolan_current_tenant())`);
}
