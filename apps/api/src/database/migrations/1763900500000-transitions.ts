import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The investigation lifecycle's dates (issue #7): when a case was acknowledged (the feedback clock
 * runs from it) and closed. Kept to the day, as the SLA clocks need no more.
 */
export class Transitions1763900500000 implements MigrationInterface {
  name = 'Transitions1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN acknowledged_on date, ADD COLUMN closed_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN closed_on, DROP COLUMN acknowledged_on`);
  }
}
