import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * A council's own retention schedule (issue #6 "retention period per tenant, per category and outcome";
 * docs/regulatory.md GP-10 "a per-tenant schedule", defaults marked "review locally"). One row per tenant
 * that changed it; no row means libs/domain's defaults. `overrides` is a RetentionPolicy as checked by
 * validateRetentionPolicy: keys `category` or `category:outcome`, values { years, untilEndOfYear }. Bound
 * by row-level security like every tenant table; the retention sweep reads it in the tenant's transaction.
 */
export class RetentionSettings1763901700000 implements MigrationInterface {
  name = 'RetentionSettings1763901700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenant_retention_settings (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
      overrides jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(overrides) = 'object'),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES staff_users(id)
    )`);
    await isolateByTenant(q, 'tenant_retention_settings');
    await q.query(`GRANT SELECT, INSERT, UPDATE ON tenant_retention_settings TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_retention_settings`);
  }
}
