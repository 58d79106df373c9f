import { Column, CreateDateColumn, Entity } from 'typeorm';

/**
 * A tenant's export signing key (issue #7 "Export"; see tenant-signing-keys.ts for why and how). The
 * public key is published; the private key is stored only sealed under EXPORT_SIGNING_SECRET, which is
 * never in the database.
 */
@Entity({ name: 'tenant_signing_keys' })
export class TenantSigningKeyEntity {
  @Column({ name: 'tenant_id', type: 'uuid', primary: true })
  tenantId!: string;

  /** Lower-case hex v4 fingerprint. */
  @Column({ type: 'text' })
  fingerprint!: string;

  /** ASCII-armored OpenPGP public key (sign-only). */
  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  /** The binary private key, sealed with AES-256-GCM under a key derived from EXPORT_SIGNING_SECRET. */
  @Column({ name: 'private_key_sealed', type: 'text' })
  privateKeySealed!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
