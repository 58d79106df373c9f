import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles that give access to concerns take effect only when an oversight role confirms them (issue #15,
 * docs/architecture.md "Administrators see no cases"):
 *
 * - staff_users.roles stays the roles in force: what sessions, guards and routing read.
 * - staff_users.pending_roles: roles an administrator asked for that await confirmation; they give nothing.
 *   pending_requested_by / pending_requested_at say who asked and when, for the confirmer.
 * - staff_users.lead_roles: the roles of which this person is the designated lead holder, chosen by the
 *   confirmer; routing prefers them over every other holder and never falls back on sort order silently.
 * - staff_users.roles_confirmed_at: when the roles in force were last confirmed (or set by the operator);
 *   only a tie-break, with a warning, when several people hold a role and none is its lead.
 *
 * Roles held before this change were set by an operator or an administrator before confirmation existed;
 * they stay in force, confirmed as of the account's creation.
 */
export class RoleConfirmation1763903100000 implements MigrationInterface {
  name = 'RoleConfirmation1763903100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users
      ADD COLUMN pending_roles text[] NOT NULL DEFAULT '{}',
      ADD COLUMN pending_requested_by uuid REFERENCES staff_users(id),
      ADD COLUMN pending_requested_at timestamptz,
      ADD COLUMN lead_roles text[] NOT NULL DEFAULT '{}',
      ADD COLUMN roles_confirmed_at timestamptz`);
    await q.query(`UPDATE staff_users SET roles_confirmed_at = created_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users
      DROP COLUMN roles_confirmed_at,
      DROP COLUMN lead_roles,
      DROP COLUMN pending_requested_at,
      DROP COLUMN pending_requested_by,
      DROP COLUMN pending_roles`);
  }
}
