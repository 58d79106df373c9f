import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An administrator never holds a working credential for an account that can hold concerns (issue #15):
 *
 * - staff_users.password_must_change: the password was made by someone else (an administrator, an
 *   operator, a recovery); until the person sets their own, a sign-in opens only a session that may change
 *   the password. Accounts that have never changed their password nor set up two-factor sign-in are still
 *   on the password they were handed, so they start with it set.
 * - staff_users.account_notice / account_notice_at: what was done to the account behind the person's back
 *   (two-factor reset, recovery), shown to them at their next sign-in until they acknowledge it.
 */
export class CredentialHandover1763903200000 implements MigrationInterface {
  name = 'CredentialHandover1763903200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users
      ADD COLUMN password_must_change boolean NOT NULL DEFAULT false,
      ADD COLUMN account_notice text CHECK (account_notice IN ('two_factor_reset', 'recovered')),
      ADD COLUMN account_notice_at timestamptz`);
    await q.query(
      `UPDATE staff_users SET password_must_change = true
       WHERE password_changed_at IS NULL AND totp_enrolled_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users
      DROP COLUMN account_notice_at,
      DROP COLUMN account_notice,
      DROP COLUMN password_must_change`);
  }
}
