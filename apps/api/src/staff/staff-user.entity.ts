import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole } from '@nolan/domain';

export type AccountNoticeKind = 'two_factor_reset' | 'recovered';

/**
 * A member of the council's staff with an account: handlers, the monitoring officer, administrators.
 * The private key is only ever stored locked under the user's password (docs/architecture.md "Encryption
 * model").
 */
@Entity({ name: 'staff_users' })
@Index(['tenantId'])
export class StaffUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text', array: true })
  roles!: StaffRole[];

  /** Argon2id hash (PHC string). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** TOTP secret sealed with AES-256-GCM under a key derived from SESSION_SECRET; never stored readable. */
  @Column({ name: 'totp_secret_sealed', type: 'text', nullable: true })
  totpSecretSealed!: string | null;

  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  @Column({ name: 'private_key_encrypted', type: 'text' })
  privateKeyEncrypted!: string;

  @Column({ name: 'key_fingerprint', type: 'text' })
  keyFingerprint!: string;

  /** Set when the user confirmed a code from their authenticator app; until then they can only enrol. */
  @Column({ name: 'totp_enrolled_at', type: 'timestamptz', nullable: true })
  totpEnrolledAt!: Date | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  /** The user's own OpenPGP public key (e.g. from GnuPG), to which case exports are encrypted. */
  @Column({ name: 'external_public_key', type: 'text', nullable: true })
  externalPublicKey!: string | null;

  @Column({ name: 'external_key_fingerprint', type: 'text', nullable: true })
  externalKeyFingerprint!: string | null;

  /**
   * Set when an administrator deactivated the account: no sign-in, never routed to. The row stays, since
   * grants, audit entries and case history refer to it; clearing it reactivates the account.
   */
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  /**
   * Roles an administrator asked for that an oversight role has not yet confirmed (issue #15): they give
   * nothing until confirmed; `roles` holds only the roles in force.
   */
  @Column({ name: 'pending_roles', type: 'text', array: true, default: () => "'{}'" })
  pendingRoles!: StaffRole[];

  @Column({ name: 'pending_requested_by', type: 'uuid', nullable: true })
  pendingRequestedBy!: string | null;

  @Column({ name: 'pending_requested_at', type: 'timestamptz', nullable: true })
  pendingRequestedAt!: Date | null;

  /** The roles this person is the designated lead holder of, chosen by the confirmer, never by sort order. */
  @Column({ name: 'lead_roles', type: 'text', array: true, default: () => "'{}'" })
  leadRoles!: StaffRole[];

  /** When the roles in force were last confirmed (or set by an operator). */
  @Column({ name: 'roles_confirmed_at', type: 'timestamptz', nullable: true })
  rolesConfirmedAt!: Date | null;

  /**
   * The password was made by someone else (an administrator, an operator, a recovery): a sign-in opens
   * only a session that may change it (issue #15), so whoever handed it over never holds a working one.
   */
  @Column({ name: 'password_must_change', type: 'boolean', default: false })
  passwordMustChange!: boolean;

  /** What was done to the account behind the person's back, shown to them until they acknowledge it. */
  @Column({ name: 'account_notice', type: 'text', nullable: true })
  accountNotice!: AccountNoticeKind | null;

  @Column({ name: 'account_notice_at', type: 'timestamptz', nullable: true })
  accountNoticeAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
