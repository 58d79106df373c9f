import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole } from '@nolan/domain';

/**
 * A member of the council's staff with an account: handlers, the monitoring officer, administrators.
 * The private key is only ever stored locked under the user's password (DESIGN.md "Encrypted case store").
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
