import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * The administrators' settings (issues #4/#8, #6/#7): staff accounts can be deactivated, and each tenant
 * can have its own conflict routes (docs/architecture.md "Routing": "editable per tenant to match its
 * constitution").
 *
 * - staff_users.deactivated_at: set when an administrator deactivates an account. The row stays (audit
 *   entries, grants and case history refer to it); the person can no longer sign in and is never routed to.
 * - tenant_routing_settings: one row per tenant that changed its routes; no row means the defaults of
 *   docs/regulatory.md §3. A table of its own rather than columns on `tenants`, because `tenants` is read
 *   before a tenant is known (so it has no row-level policy) and the app role may not UPDATE it; this table is
 *   bound by row-level security like every other tenant table. conflict_routes NULL means the defaults,
 *   with deputy_independent still the tenant's own answer.
 */
export class AdminSettings1763901500000 implements MigrationInterface {
  name = 'AdminSettings1763901500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users ADD COLUMN deactivated_at timestamptz`);
    await q.query(`CREATE TABLE tenant_routing_settings (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
      conflict_routes jsonb CHECK (conflict_routes IS NULL OR jsonb_typeof(conflict_routes) = 'object'),
      deputy_independent boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES staff_users(id)
    )`);
    await isolateByTenant(q, 'tenant_routing_settings');
    await q.query(`GRANT SELECT, INSERT, UPDATE ON tenant_routing_settings TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_routing_settings`);
    await q.query(`ALTER TABLE staff_users DROP COLUMN deactivated_at`);
  }
}
