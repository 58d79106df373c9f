import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * A council's own, stricter SLA policy (issue #16; docs/dashboard.md "The council's SLA policy"). One row
 * per tenant that set one; no row means libs/domain's DEFAULT_SLA_POLICY. `policy` is a whole SlaPolicy
 * as checked by checkCouncilSlaPolicy. Bound by row-level security like every tenant table.
 */
export class SlaSettings1763901900000 implements MigrationInterface {
  name = 'SlaSettings1763901900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenant_sla_settings (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
      policy jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES staff_users(id)
    )`);
    await isolateByTenant(q, 'tenant_sla_settings');
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_sla_settings TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_sla_settings`);
  }
}
