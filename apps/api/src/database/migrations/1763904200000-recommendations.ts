import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Recommendations as tracked actions (docs/case-core.md "Recommendations"). A row holds what can be
 * counted and reminded of without a key — status, due date, a named owner's id, the days it was raised
 * and last changed — and the ids of its items: the words and any free-text owner are in the
 * `recommendation` item, a rejection's reason in the latest `recommendation_status` item, both encrypted
 * to the internal scope. A closing decision's recommendations are tracked from the decision's own
 * `transition` item (item_part: their place in its list), so closing writes no further events. No foreign key to case_items: destroying a case's content leaves the row as
 * anonymous statistics, as the case row is left.
 *
 * cases.plan_target_date: the investigation plan's target date, kept readable (a date, like the SLA
 * dates beside it) so the workers can remind the assignee before it without opening the plan.
 */
export class Recommendations1763904200000 implements MigrationInterface {
  name = 'Recommendations1763904200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_recommendations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      item_id uuid NOT NULL,
      item_part integer,
      status_item_id uuid,
      owner_id uuid REFERENCES staff_users(id),
      due_on date,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'implemented', 'rejected')),
      raised_on date NOT NULL,
      status_on date NOT NULL
    )`);
    await q.query(`CREATE INDEX case_recommendations_case_idx ON case_recommendations (case_id)`);
    await q.query(
      `CREATE INDEX case_recommendations_due_idx ON case_recommendations (tenant_id, status, due_on)`,
    );
    await isolateByTenant(q, 'case_recommendations');
    await q.query(`GRANT SELECT, INSERT, UPDATE ON case_recommendations TO nolan_app_rw`);
    await q.query(`ALTER TABLE cases ADD COLUMN plan_target_date date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN plan_target_date`);
    await q.query(`DROP TABLE case_recommendations`);
  }
}
