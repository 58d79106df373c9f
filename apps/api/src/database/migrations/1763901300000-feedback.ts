import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feedback to the reporter (issue #7): the day feedback was last given, kept in the readable metadata
 * beside acknowledged_on and closed_on, because the 3-month feedback clock (docs/regulatory.md EU-09) is
 * judged on it — the SLA timers and the dashboard read it without decrypting anything. What was said
 * stays encrypted in a `feedback` item of the report scope. Kept to the day, like the other clocks.
 */
export class Feedback1763901300000 implements MigrationInterface {
  name = 'Feedback1763901300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN feedback_given_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN feedback_given_on`);
  }
}
