import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reopened case gets a new 3-month feedback clock (docs/regulatory.md EU-09, read for a reopened case as
 * 3 months from the reopening): the day of the latest reopening is kept in the readable metadata beside
 * acknowledged_on and closed_on, so the SLA timers and the dashboard compute it without decrypting
 * anything. Null for a case never reopened.
 */
export class ReopenedOn1763901600000 implements MigrationInterface {
  name = 'ReopenedOn1763901600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN reopened_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN reopened_on`);
  }
}
