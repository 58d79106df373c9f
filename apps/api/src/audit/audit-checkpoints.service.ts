/**
 * Checkpoints of every council's audit chain (issue #15, path 7; audit-chain.ts "Truncation"): the worker
 * records each head on a schedule (a BullMQ repeatable job, workers/job-schedulers.ts) and logs it, so a
 * copy exists outside Postgres; the monitoring officer takes a signed checkpoint out of Nolan as a file,
 * which `npm run nolan -- audit:verify --checkpoint FILE` later proves the trail against.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { TenantEntity } from '../tenants/tenant.entity';
import { type CheckpointFile, checkpointFile } from './audit-chain';
import { AuditService } from './audit.service';

@Injectable()
export class AuditCheckpoints {
  private readonly logger = new Logger(AuditCheckpoints.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** One checkpoint per council with a trail; returns how many were recorded. */
  async checkpointAll(): Promise<number> {
    const tenants = await this.dataSource.getRepository(TenantEntity).find({ select: { id: true } });
    let recorded = 0;
    for (const tenant of tenants) {
      const head = await inTenant(this.dataSource, tenant.id, (m) => this.audit.checkpoint(m));
      if (!head) continue;
      recorded += 1;
      // The log is a second copy of each head, outside the database.
      this.logger.log({ tenantId: tenant.id, seq: head.seq, hash: head.hash }, 'Audit checkpoint recorded');
    }
    return recorded;
  }

  /** A fresh signed checkpoint of the caller's council, for the monitoring officer to keep outside Nolan. */
  async signedCheckpoint(session: StaffSession): Promise<CheckpointFile> {
    if (!session.roles.includes('monitoring_officer'))
      throw new AppError('FORBIDDEN', 'Only the monitoring officer takes a checkpoint of the audit trail.');
    const tenant = await this.dataSource
      .getRepository(TenantEntity)
      .findOne({ where: { id: session.tenantId } });
    if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    const head = await inTenant(this.dataSource, tenant.id, (m) => this.audit.checkpoint(m));
    if (!head)
      throw new AppError('CONFLICT', 'The audit trail is empty: there is nothing to checkpoint yet.');
    return checkpointFile(
      this.audit.requireKey(),
      { tenantId: tenant.id, tenant: tenant.slug, ...head },
      new Date(),
    );
  }
}
