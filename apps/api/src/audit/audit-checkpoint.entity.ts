import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from './audit-entry.entity';

/**
 * A recorded head of a tenant's audit chain. Verification checks each against the chain, which is
 * what reveals newest entries deleted from the end (see audit-chain.ts). Append-only, like the trail.
 */
@Entity({ name: 'audit_checkpoints' })
export class AuditCheckpointEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ type: 'bigint', transformer: BIGINT_AS_NUMBER })
  seq!: number;

  @Column({ type: 'text' })
  hash!: string;

  /** HMAC under AUDIT_KEY (audit-chain.ts signCheckpoint); null on checkpoints from before the key. */
  @Column({ type: 'text', nullable: true })
  signature!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
