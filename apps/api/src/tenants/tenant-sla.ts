/**
 * The council's SLA policy, read inside the caller's tenant transaction (docs/dashboard.md "The
 * council's SLA policy"): its own stricter policy if an administrator stored one, else libs/domain's
 * default. A stored row that no longer passes checkCouncilSlaPolicy falls back to the default, which is
 * the statutory clock, so a bad row can never make a clock looser.
 */
import { Logger } from '@nestjs/common';
import { checkCouncilSlaPolicy, DEFAULT_SLA_POLICY, type SlaPolicy } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import { HourlyErrorTally } from '../errors/error-log';

export interface TenantSla {
  policy: SlaPolicy;
  source: 'default' | 'council';
  updatedAt: Date | null;
}

const logger = new Logger('TenantSla');
/**
 * A bad stored row is read by every report's intake, so it is written as a count at the turn of the hour,
 * never at a report's moment (docs/abuse-resistance.md "What an error's log line holds").
 */
export const slaSettingsWarnings = new HourlyErrorTally((_level, fields, line) => logger.error(fields, line));

export async function tenantSlaPolicy(m: EntityManager): Promise<TenantSla> {
  const [row]: { tenant_id: string; policy: unknown; updated_at: Date }[] = await m.query(
    `SELECT tenant_id, policy, updated_at FROM tenant_sla_settings WHERE tenant_id = nolan_current_tenant()`,
  );
  if (!row) return { policy: DEFAULT_SLA_POLICY, source: 'default', updatedAt: null };
  const checked = checkCouncilSlaPolicy(row.policy);
  if (!checked.ok) {
    slaSettingsWarnings.add('error', 'Stored SLA policy is invalid; using the statutory default', {
      tenantId: row.tenant_id,
    });
    return { policy: DEFAULT_SLA_POLICY, source: 'default', updatedAt: null };
  }
  return { policy: checked.policy, source: 'council', updatedAt: row.updated_at };
}

/** Stores the council's policy, or removes it (null: back to the default). */
export async function saveTenantSlaPolicy(
  m: EntityManager,
  policy: SlaPolicy | null,
  by: string,
): Promise<void> {
  if (policy === null) {
    await m.query(`DELETE FROM tenant_sla_settings WHERE tenant_id = nolan_current_tenant()`);
    return;
  }
  await m.query(
    `INSERT INTO tenant_sla_settings (tenant_id, policy, updated_at, updated_by)
     VALUES (nolan_current_tenant(), $1::jsonb, now(), $2)
     ON CONFLICT (tenant_id) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [JSON.stringify(policy), by],
  );
}
