import { Column, Entity, UpdateDateColumn } from 'typeorm';

/**
 * A tenant's own conflict routes and whether its deputy monitoring officer is independent of the
 * monitoring officer (docs/architecture.md "Routing"; see tenant-routing.ts). No row: the defaults.
 */
@Entity({ name: 'tenant_routing_settings' })
export class TenantRoutingSettingsEntity {
  @Column({ name: 'tenant_id', type: 'uuid', primary: true })
  tenantId!: string;

  /** ConflictRoutes as checked by validateConflictRoutes; null means DEFAULT_CONFLICT_ROUTES. */
  @Column({ name: 'conflict_routes', type: 'jsonb', nullable: true })
  conflictRoutes!: object | null;

  @Column({ name: 'deputy_independent', type: 'boolean', default: false })
  deputyIndependent!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The administrator who last changed them. */
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
