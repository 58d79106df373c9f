/**
 * The tenant's retention schedule, read inside the caller's tenant transaction by the retention sweep
 * and the admin pages, so the period that destroys a case is the one the administrator saw (issue #6;
 * docs/regulatory.md GP-10). Administrators change it through the admin API, which validates it in
 * libs/domain first.
 */
import { Logger } from '@nestjs/common';
import { type RetentionPolicy, validateRetentionPolicy } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import { TenantRetentionSettingsEntity } from './tenant-retention-settings.entity';

export interface TenantRetention {
  /** The tenant's overrides; empty while it uses the defaults. */
  policy: RetentionPolicy;
  /** False when the stored overrides fail validation: the sweep then destroys nothing for the tenant. */
  valid: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const logger = new Logger('TenantRetention');

/** The tenant's retention overrides (row-level security picks the tenant of the caller's transaction). */
export async function tenantRetention(m: EntityManager): Promise<TenantRetention> {
  const row = await m.getRepository(TenantRetentionSettingsEntity).findOne({ where: {} });
  if (!row) return { policy: {}, valid: true, updatedAt: null, updatedBy: null };
  const checked = validateRetentionPolicy(row.overrides);
  if (!checked.ok) {
    // Saved overrides were validated; a hand-edited row that no longer is must not make the sweep fall
    // back to shorter defaults, so it is marked invalid and nothing of the tenant is destroyed until an
    // administrator saves the schedule again.
    logger.error({ tenantId: row.tenantId }, 'Stored retention overrides are invalid; destroying nothing');
    return { policy: {}, valid: false, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
  }
  return { policy: checked.value, valid: true, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}
