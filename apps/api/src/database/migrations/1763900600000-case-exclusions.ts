import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * People a case must never reach again (issue #7; docs/regulatory.md §3 "conflict set"): handlers who
 * recused themselves, and people later named as involved. Routing reads this whenever the case is
 * re-routed. The reason is case content and lives encrypted in case_items, not here.
 */
export class CaseExclusions1763900600000 implements MigrationInterface {
  name = 'CaseExclusions1763900600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_exclusions (
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES staff_users(id),
      kind text NOT NULL CHECK (kind IN ('recused', 'named_as_involved')),
      excluded_on date NOT NULL DEFAULT current_date,
      PRIMARY KEY (case_id, user_id)
    )`);
    await isolateByTenant(q, 'case_exclusions');
    await q.query(`GRANT SELECT, INSERT ON case_exclusions TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_exclusions`);
  }
}
