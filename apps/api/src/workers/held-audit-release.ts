import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { inTenant } from '../database/tenant-transaction';
import { ReporterTime } from '../reporter-time/reporter-time';
import { TenantEntity } from '../tenants/tenant.entity';

/**
 * Appends each council's held audit entries once their batch boundary has passed (docs/architecture.md
 * "Reporter time"), one transaction per council. Postgres only, so it runs while Redis is away too.
 */
@Injectable()
export class HeldAuditRelease {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly reporterTime: ReporterTime,
  ) {}

  async releaseOnce(): Promise<number> {
    let released = 0;
    const now = this.reporterTime.now();
    for (const tenant of await this.dataSource.getRepository(TenantEntity).find({ select: { id: true } })) {
      released += await inTenant(this.dataSource, tenant.id, (m) => this.audit.releaseHeld(m, now));
    }
    return released;
  }
}
