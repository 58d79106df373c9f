import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assignment (issue #7) and the "confirm ownership" clock (issue #6; docs/architecture.md "SLA timers"): the
 * handler a case is assigned to, the day it was assigned (the clock starts then) and the day they
 * confirmed they own it. Readable metadata, like the other dates and assignees (docs/architecture.md
 * "Encryption model"): no content. The reasons for a legal hold live encrypted in case_items.
 */
export class Assignment1763901100000 implements MigrationInterface {
  name = 'Assignment1763901100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases
      ADD COLUMN assignee_id uuid REFERENCES staff_users(id),
      ADD COLUMN assigned_on date,
      ADD COLUMN ownership_confirmed_on date,
      ADD CONSTRAINT cases_assignment_dated CHECK ((assignee_id IS NULL) = (assigned_on IS NULL))`);
    await q.query(
      `CREATE INDEX cases_assignee_idx ON cases (tenant_id, assignee_id) WHERE assignee_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_assignee_idx`);
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_assignment_dated,
      DROP COLUMN ownership_confirmed_on, DROP COLUMN assigned_on, DROP COLUMN assignee_id`);
  }
}
