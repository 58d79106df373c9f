import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (docs/architecture.md "Retention and crypto-shredding"; issue #6): a legal hold that stops
 * destruction, and the day a case was destroyed. A destroyed case keeps only its readable metadata row — the
 * anonymous statistics. The app role may now delete a case's content, keys and grants (crypto-shredding),
 * never the case row.
 */
export class Retention1763901000000 implements MigrationInterface {
  name = 'Retention1763901000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE cases ADD COLUMN legal_hold boolean NOT NULL DEFAULT false, ADD COLUMN destroyed_on date`,
    );
    await q.query(
      `GRANT DELETE ON case_items, case_scope_keys, reporter_keys, identity_requests, sla_events TO nolan_app_rw`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `REVOKE DELETE ON case_items, case_scope_keys, reporter_keys, identity_requests, sla_events FROM nolan_app_rw`,
    );
    await q.query(`ALTER TABLE cases DROP COLUMN destroyed_on, DROP COLUMN legal_hold`);
  }
}
