import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Reporter time (issue #14; docs/architecture.md "Reporter time"):
 * - `tenants.reporter_batch_minutes`: the council's batch (60 by default, 15 at the least);
 * - `outbox.release_at`: a reporter-caused row is relayed only from its batch boundary;
 * - `audit_held`: a reporter-caused audit entry waits here until its boundary, then is appended to the
 *   chain with the boundary's time, in random order among its batch, and deleted in the same transaction,
 *   so it is never lost and never sits between two staff entries of the hour it happened in. Held rows
 *   carry no time but the boundary, and no order (random ids).
 */
export class ReporterTime1763903400000 implements MigrationInterface {
  name = 'ReporterTime1763903400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN reporter_batch_minutes smallint NOT NULL DEFAULT 60
      CHECK (reporter_batch_minutes IN (15, 20, 30, 60))`);
    // Administrators choose it (apps/api/src/admin/admin-reporter-batch.service.ts): that column only.
    await q.query(`GRANT UPDATE (reporter_batch_minutes) ON tenants TO nolan_app_rw`);
    await q.query(`ALTER TABLE outbox ADD COLUMN release_at timestamptz`);
    await q.query(`CREATE TABLE audit_held (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      release_at timestamptz NOT NULL,
      actor_type text NOT NULL CHECK (actor_type IN ('staff', 'reporter', 'system', 'operator')),
      actor_id uuid,
      action text NOT NULL,
      case_id uuid,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      item_ids uuid[] NOT NULL DEFAULT '{}'
    )`);
    await q.query(`CREATE INDEX audit_held_release_idx ON audit_held (tenant_id, release_at)`);
    await isolateByTenant(q, 'audit_held');
    await q.query(`GRANT SELECT, INSERT, DELETE ON audit_held TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_held`);
    await q.query(`ALTER TABLE outbox DROP COLUMN release_at`);
    await q.query(`REVOKE UPDATE (reporter_batch_minutes) ON tenants FROM nolan_app_rw`);
    await q.query(`ALTER TABLE tenants DROP COLUMN reporter_batch_minutes`);
  }
}
