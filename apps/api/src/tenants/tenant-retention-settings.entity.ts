import { Column, Entity, UpdateDateColumn } from 'typeorm';

/**
 * A tenant's retention overrides by category and outcome (see tenant-retention.ts). No row: the
 * defaults of libs/domain retention.ts.
 */
@Entity({ name: 'tenant_retention_settings' })
export class TenantRetentionSettingsEntity {
  @Column({ name: 'tenant_id', type: 'uuid', primary: true })
  tenantId!: string;

  /** A RetentionPolicy as checked by validateRetentionPolicy. */
  @Column({ name: 'overrides', type: 'jsonb', default: {} })
  overrides!: object;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The administrator who last changed them. */
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
