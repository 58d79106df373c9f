import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The group of the body a case was referred to, as a readable code (issue #16; docs/dashboard.md "What
 * each figure counts"): one of libs/domain EXTERNAL_BODY_GROUPS (police and law enforcement, the external
 * auditor, regulators, other), written by the closing transition when a case is closed as referred
 * externally, cleared by a reopening. Only the group the figures count is readable: the exact body (the
 * National Crime Agency rather than the police, say) stays in the encrypted decision, so a copy of the
 * database does not tell an officer named in a concern which body their case went to
 * (docs/threat-model.md "Which body a case was referred to"). Cases closed before this are left NULL
 * ("not recorded"): the body is only in their encrypted decision, which a migration cannot read.
 *
 * A database that ran this migration's first form (an exact-body `referral_body` column, never released)
 * keeps only each case's group, and the exact codes are dropped.
 */
export class ReferralGroup1763905000000 implements MigrationInterface {
  name = 'ReferralGroup1763905000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN IF NOT EXISTS referral_group text`);
    await q.query(
      `ALTER TABLE cases ADD CONSTRAINT cases_referral_group_check CHECK (referral_group IN (
         'police', 'external_auditor', 'regulators', 'other'))`,
    );
    const [first] = (await q.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'cases' AND column_name = 'referral_body'`,
    )) as unknown[];
    if (first) {
      await q.query(
        `UPDATE cases SET referral_group = CASE
           WHEN referral_body IN ('police', 'action_fraud', 'national_crime_agency', 'serious_fraud_office') THEN 'police'
           WHEN referral_body = 'external_auditor' THEN 'external_auditor'
           WHEN referral_body IN ('information_commissioner', 'regulator') THEN 'regulators'
           WHEN referral_body = 'other' THEN 'other' END
          WHERE referral_body IS NOT NULL`,
      );
      await q.query(`ALTER TABLE cases DROP COLUMN referral_body`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_referral_group_check`);
    await q.query(`ALTER TABLE cases DROP COLUMN IF EXISTS referral_group`);
  }
}
