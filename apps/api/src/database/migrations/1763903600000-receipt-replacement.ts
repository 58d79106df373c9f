import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reporter may replace their receipt (docs/architecture.md "Replacing a receipt"; issue #15): the API's
 * role may now rewrite a reporter key's lock and lookup — those three columns only. The public key and
 * the case stay as they were, so nobody with the application's credentials can swap in a key of their own.
 */
export class ReceiptReplacement1763903600000 implements MigrationInterface {
  name = 'ReceiptReplacement1763903600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT UPDATE (lookup_key, locked_private_key, salt) ON reporter_keys TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE UPDATE (lookup_key, locked_private_key, salt) ON reporter_keys FROM nolan_app_rw`);
  }
}
