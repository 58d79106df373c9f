import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A report's mode as a keyed tag (issue #16; docs/dashboard.md "Reports by mode", docs/threat-model.md
 * "A report's mode is a keyed tag"): HMAC-SHA256 under a key derived from the receipt pepper, which is
 * kept outside the database, over the council, the case and the mode — 32 bytes whatever the mode.
 * Written at intake for every new case. Cases from before stay NULL ("not recorded"): a migration has no
 * pepper to make a tag with, and their mode could only be read by opening their identity record.
 */
export class CaseModeTag1763905010000 implements MigrationInterface {
  name = 'CaseModeTag1763905010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN IF NOT EXISTS mode_tag bytea`);
    await q.query(
      `ALTER TABLE cases ADD CONSTRAINT cases_mode_tag_length_check CHECK (octet_length(mode_tag) = 32)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_mode_tag_length_check`);
    await q.query(`ALTER TABLE cases DROP COLUMN IF EXISTS mode_tag`);
  }
}
