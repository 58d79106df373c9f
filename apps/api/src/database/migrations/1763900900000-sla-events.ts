import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/** Reminders and escalations already sent, one per case, clock and due date: a redelivered timer sends nothing twice. */
export class SlaEvents1763900900000 implements MigrationInterface {
  name = 'SlaEvents1763900900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sla_events (
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      kind text NOT NULL,
      due_on date NOT NULL,
      fired_on date NOT NULL,
      PRIMARY KEY (case_id, kind, due_on)
    )`);
    await isolateByTenant(q, 'sla_events');
    await q.query(`GRANT SELECT, INSERT ON sla_events TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sla_events`);
  }
}
