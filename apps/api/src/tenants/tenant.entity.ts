import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A council (or other public body). Holds the tenant escrow key that is a grantee of every case. */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Armored OpenPGP public key of the tenant escrow (recovery) key. */
  @Column({ name: 'escrow_public_key', type: 'text' })
  escrowPublicKey!: string;

  /** The escrow private key, locked under the recovery passphrase shown once at set-up. */
  @Column({ name: 'escrow_private_key_encrypted', type: 'text' })
  escrowPrivateKeyEncrypted!: string;

  @Column({ name: 'escrow_fingerprint', type: 'text' })
  escrowFingerprint!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
