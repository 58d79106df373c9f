import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * How far each member of staff has read a case (issue #19, the "new message" flag): the position of
 * the last case item they were shown, as its insertion order (case_items.seq), never a time. A
 * reporter's message after that position is new to them. Kept as an order, not a timestamp, so the
 * flag says nothing about when the reporter wrote: the items themselves keep only the hour.
 */
export class CaseReads1763902000000 implements MigrationInterface {
  name = 'CaseReads1763902000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_reads (
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES staff_users(id),
      seen_seq bigint NOT NULL CHECK (seen_seq >= 0),
      PRIMARY KEY (case_id, user_id)
    )`);
    await q.query(`CREATE INDEX case_reads_user_idx ON case_reads (tenant_id, user_id)`);
    await isolateByTenant(q, 'case_reads');
    await q.query(`GRANT SELECT, INSERT, UPDATE ON case_reads TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_reads`);
  }
}
