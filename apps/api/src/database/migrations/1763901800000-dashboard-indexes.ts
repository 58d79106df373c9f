import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the dashboard's period queries (issue #16; docs/dashboard.md "Indexes"): cases by the
 * hour they arrived, audit entries by kind and time, exclusions by day. No new readable data.
 */
export class DashboardIndexes1763901800000 implements MigrationInterface {
  name = 'DashboardIndexes1763901800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS cases_tenant_received_idx ON cases (tenant_id, received_at)`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS audit_entries_tenant_action_idx ON audit_entries (tenant_id, action, occurred_at)`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS case_exclusions_tenant_on_idx ON case_exclusions (tenant_id, excluded_on)`,
    );
    // Which cases a person holds, answered from the index alone (no heap visit per grant).
    await q.query(
      `CREATE INDEX IF NOT EXISTS case_grants_staff_case_idx ON case_grants (tenant_id, grantee_id, case_id) WHERE grantee_kind = 'staff'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS case_grants_staff_case_idx`);
    await q.query(`DROP INDEX IF EXISTS case_exclusions_tenant_on_idx`);
    await q.query(`DROP INDEX IF EXISTS audit_entries_tenant_action_idx`);
    await q.query(`DROP INDEX IF EXISTS cases_tenant_received_idx`);
  }
}
