import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each case item carries a detached OpenPGP signature by the council's system key (docs/architecture.md
 * "Encryption model"), so an item inserted with the application's database credentials shows as
 * unverified. Items recorded before signatures are listed here, once, in `case_items_before_signatures`
 * (ids only, which the application's role may read but never write): only those read as "unsigned
 * (recorded before signatures)"; any other item without a valid signature reads as "does not verify",
 * so a row inserted later with no signature cannot pass itself off as an old one.
 */
export class CaseItemSignatures1763904000000 implements MigrationInterface {
  name = 'CaseItemSignatures1763904000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_items ADD COLUMN signature bytea`);
    await q.query(`CREATE TABLE case_items_before_signatures (id uuid PRIMARY KEY)`);
    await q.query(`INSERT INTO case_items_before_signatures (id) SELECT id FROM case_items`);
    await q.query(`GRANT SELECT ON case_items_before_signatures TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_items_before_signatures`);
    await q.query(`ALTER TABLE case_items DROP COLUMN signature`);
  }
}
