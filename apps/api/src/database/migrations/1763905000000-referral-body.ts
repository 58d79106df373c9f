import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The body a case was referred to, as a readable code (issue #16; docs/dashboard.md "What each figure
 * counts"): one of libs/domain EXTERNAL_BODIES, written by the closing transition when a case is closed
 * as referred externally, cleared by a reopening. A fixed-list code is metadata like the outcome; the
 * details stay in the encrypted decision. Cases closed before this are left NULL ("not recorded"): the
 * body is only in their encrypted decision, which a migration cannot read.
 */
export class ReferralBody1763905000000 implements MigrationInterface {
  name = 'ReferralBody1763905000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN IF NOT EXISTS referral_body text`);
    await q.query(
      `ALTER TABLE cases ADD CONSTRAINT cases_referral_body_check CHECK (referral_body IN (
         'police', 'action_fraud', 'national_crime_agency', 'serious_fraud_office', 'external_auditor',
         'information_commissioner', 'regulator', 'other'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_referral_body_check`);
    await q.query(`ALTER TABLE cases DROP COLUMN IF EXISTS referral_body`);
  }
}
