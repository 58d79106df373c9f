import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in state for staff: when two-factor enrolment was confirmed, when the password last changed,
 * and the user's own OpenPGP public key for exports (docs/architecture.md "Exports").
 */
export class StaffSignIn1763900200000 implements MigrationInterface {
  name = 'StaffSignIn1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users
      ADD COLUMN totp_enrolled_at timestamptz,
      ADD COLUMN password_changed_at timestamptz,
      ADD COLUMN external_public_key text,
      ADD COLUMN external_key_fingerprint text,
      ADD CONSTRAINT staff_users_totp_enrolled_needs_secret CHECK (totp_enrolled_at IS NULL OR totp_secret_sealed IS NOT NULL)`);
    // Demo users seeded before this migration were given TOTP secrets: they count as enrolled.
    await q.query(
      `UPDATE staff_users SET totp_enrolled_at = created_at WHERE totp_secret_sealed IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users
      DROP CONSTRAINT staff_users_totp_enrolled_needs_secret,
      DROP COLUMN totp_enrolled_at, DROP COLUMN password_changed_at,
      DROP COLUMN external_public_key, DROP COLUMN external_key_fingerprint`);
  }
}
