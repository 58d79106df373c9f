import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Links between related cases (issue #7 "Links": same subject, same pattern). A link is a pair of
 * cases, stored once (case_a < case_b), with its kind readable — it is workflow metadata — and the
 * handler's note about it encrypted twice, once to each case's internal scope, so whoever holds either
 * case can read it and no one else; the API only ever shows a link to someone who holds both cases.
 * Unlinking deletes the row; the audit trail keeps the fact.
 */
export class CaseLinks1763901200000 implements MigrationInterface {
  name = 'CaseLinks1763901200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_a uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      case_b uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('same_subject', 'same_pattern')),
      note_for_a bytea NOT NULL,
      note_for_b bytea NOT NULL,
      created_by uuid NOT NULL REFERENCES staff_users(id),
      created_on date NOT NULL DEFAULT current_date,
      CHECK (case_a < case_b),
      UNIQUE (case_a, case_b)
    )`);
    await q.query(`CREATE INDEX case_links_case_b_idx ON case_links (case_b)`);
    await isolateByTenant(q, 'case_links');
    await q.query(`GRANT SELECT, INSERT, DELETE ON case_links TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_links`);
  }
}
