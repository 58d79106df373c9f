import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A council's signing key may be made the first time something is signed, which can be a reporter's
 * first report (item signatures, docs/architecture.md "Item signatures"): its row keeps only the hour it
 * was made, like everything else a reporter's action writes (docs/architecture.md "Reporter time").
 */
export class SigningKeyHour1763904100000 implements MigrationInterface {
  name = 'SigningKeyHour1763904100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant_signing_keys ALTER COLUMN created_at SET DEFAULT date_trunc('hour', now())`);
    await q.query(`UPDATE tenant_signing_keys SET created_at = date_trunc('hour', created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant_signing_keys ALTER COLUMN created_at SET DEFAULT now()`);
  }
}
