import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * One row per (outbox event, recipient): a retried job re-sends only what is still pending, so a
 * redelivered event does not e-mail anyone twice (issue #6). Holds ids only.
 */
export class Notifications1763900800000 implements MigrationInterface {
  name = 'Notifications1763900800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notifications (
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      outbox_id bigint NOT NULL,
      user_id uuid NOT NULL REFERENCES staff_users(id),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
      sent_at timestamptz,
      PRIMARY KEY (outbox_id, user_id)
    )`);
    await isolateByTenant(q, 'notifications');
    await q.query(`GRANT SELECT, INSERT, UPDATE ON notifications TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
  }
}
