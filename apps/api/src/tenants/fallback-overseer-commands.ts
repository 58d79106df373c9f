/**
 * The operator's command for a council's fallback overseer (issue #15; docs/architecture.md "Exclusions and
 * the conflict set"): the role whose holder oversees a case every oversight role is involved in. The
 * monitoring officer sets it in Nolan (PUT /oversight/fallback-overseer); a council being set up, or one
 * whose monitoring officer is the person a concern is about, has the operator set it instead.
 *   tenant:fallback-overseer --slug SLUG --role ROLE
 * Audited like any settings change, as the operator's, and shown to the oversight roles.
 */
import { isStaffRole } from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { inTenant } from '../database/tenant-transaction';
import { parseFlags } from '../staff/staff-commands';
import { TenantEntity } from './tenant.entity';
import {
  FALLBACK_OVERSEER_ROLES,
  FALLBACK_OVERSEER_RULE,
  setTenantFallbackOverseer,
  tenantFallbackOverseer,
} from './tenant-routing';

export async function fallbackOverseerSet(
  dataSource: DataSource,
  args: readonly string[],
  auditKey: string,
): Promise<string[]> {
  const { slug, role } = parseFlags(args, ['slug', 'role']);
  if (!isStaffRole(role) || !FALLBACK_OVERSEER_ROLES.includes(role))
    throw new Error(`--role must be one of: ${FALLBACK_OVERSEER_ROLES.join(', ')} ${FALLBACK_OVERSEER_RULE}`);
  const tenant = await dataSource.getRepository(TenantEntity).findOne({ where: { slug } });
  if (!tenant) throw new Error(`no tenant with slug "${slug}"`);
  const before = await inTenant(dataSource, tenant.id, async (m) => {
    const was = await tenantFallbackOverseer(m);
    await setTenantFallbackOverseer(m, tenant.id, role, null);
    await new AuditService(new AuditRepository(), auditKey).append(m, {
      actor: { type: 'operator' },
      action: 'config.changed',
      details: { setting: 'fallback_overseer', role, before: was.role },
    });
    return was.role;
  });
  return [`tenant ${tenant.slug}: the fallback overseer is now the ${role} role (was ${before})`];
}
