import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case closed as a duplicate is linked to the case it duplicates (docs/case-core.md "Duplicates"):
 * case_links takes the kind `duplicate`, made only by closing. Cases.outcome has no CHECK to widen;
 * the outcome codes are libs/domain's CASE_OUTCOMES.
 */
export class DuplicateLinks1763903800000 implements MigrationInterface {
  name = 'DuplicateLinks1763903800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_links DROP CONSTRAINT case_links_kind_check`);
    await q.query(
      `ALTER TABLE case_links ADD CONSTRAINT case_links_kind_check
         CHECK (kind IN ('same_subject', 'same_pattern', 'duplicate'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM case_links WHERE kind = 'duplicate'`);
    await q.query(`ALTER TABLE case_links DROP CONSTRAINT case_links_kind_check`);
    await q.query(
      `ALTER TABLE case_links ADD CONSTRAINT case_links_kind_check CHECK (kind IN ('same_subject', 'same_pattern'))`,
    );
  }
}
