/**
 * The council's own, stricter SLA policy (issue #16; docs/dashboard.md "The council's SLA policy"):
 * administrators read and replace it; libs/domain's checkCouncilSlaPolicy decides what may be stored
 * (nothing looser than the statutory clocks); every change is audited as config.changed, so the
 * monitoring officer sees it among what administrators changed.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkCouncilSlaPolicy, type SlaPolicy } from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { saveTenantSlaPolicy, tenantSlaPolicy } from '../tenants/tenant-sla';

export interface CouncilSlaView {
  policy: SlaPolicy;
  source: 'default' | 'council';
  updatedAt: string | null;
}

@Injectable()
export class AdminSlaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  get(session: StaffSession): Promise<CouncilSlaView> {
    return inTenant(this.dataSource, session.tenantId, async (m) => view(await tenantSlaPolicy(m)));
  }

  /** Replaces the policy; `{}` restores the default. A 400 names every problem. */
  put(session: StaffSession, input: unknown): Promise<CouncilSlaView> {
    const checked = checkCouncilSlaPolicy(input);
    if (!checked.ok)
      throw new AppError(
        'INVALID_INPUT',
        checked.problems.map((p) => `policy.${p}`),
      );
    const restore = Object.keys(input as object).length === 0;
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      await saveTenantSlaPolicy(m, restore ? null : checked.policy, session.userId);
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'config.changed',
        details: { setting: 'sla_policy', customised: !restore },
      });
      return view(await tenantSlaPolicy(m));
    });
  }
}

function view(sla: Awaited<ReturnType<typeof tenantSlaPolicy>>): CouncilSlaView {
  return { policy: sla.policy, source: sla.source, updatedAt: sla.updatedAt?.toISOString() ?? null };
}
