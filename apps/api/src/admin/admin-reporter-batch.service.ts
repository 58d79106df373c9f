/**
 * The council's reporter batch (docs/architecture.md "Reporter time"): how long what a reporter causes
 * waits before anyone hears of it. Hourly by default; an administrator may choose 30, 20 or 15 minutes,
 * and only by saying they accept the cost (a shorter batch places reporters within that many minutes).
 * Audited as a configuration change, so the monitoring officer sees it (apps/api/src/oversight/).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BATCH_MINUTES_CHOICES, DEFAULT_BATCH_MINUTES, isBatchMinutes } from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { ReporterTime } from '../reporter-time/reporter-time';

export interface ReporterBatchView {
  minutes: number;
  choices: number[];
  defaultMinutes: number;
  cost: string;
}

const COST =
  'A handler hears of a report or a reporter’s message at the next batch boundary. A shorter batch tells ' +
  'them sooner but places the reporter within that many minutes instead of the hour, which a record of who ' +
  'reached the portal narrows to fewer people. 15 minutes is the shortest.';

@Injectable()
export class AdminReporterBatchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly reporterTime: ReporterTime,
  ) {}

  get(session: StaffSession): Promise<ReporterBatchView> {
    return inTenant(this.dataSource, session.tenantId, async (m) =>
      this.view(await this.reporterTime.batchMinutes(m)),
    );
  }

  async put(session: StaffSession, body: { minutes?: unknown; acceptShorterBatchCost?: unknown }) {
    const { minutes, acceptShorterBatchCost } = body;
    if (!isBatchMinutes(minutes)) {
      throw new AppError('INVALID_INPUT', [`minutes must be one of ${BATCH_MINUTES_CHOICES.join(', ')}`]);
    }
    if (minutes < DEFAULT_BATCH_MINUTES && acceptShorterBatchCost !== true) {
      throw new AppError('INVALID_INPUT', [
        `acceptShorterBatchCost must be true to choose a batch shorter than ${DEFAULT_BATCH_MINUTES} minutes: ${COST}`,
      ]);
    }
    await inTenant(this.dataSource, session.tenantId, async (m) => {
      const before = await this.reporterTime.batchMinutes(m);
      await m.query(`UPDATE tenants SET reporter_batch_minutes = $1 WHERE id = $2`, [
        minutes,
        session.tenantId,
      ]);
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'config.changed',
        details: { setting: 'reporter_batch_minutes', from: before, to: minutes },
      });
    });
    return this.view(minutes);
  }

  private view(minutes: number): ReporterBatchView {
    return {
      minutes,
      choices: [...BATCH_MINUTES_CHOICES],
      defaultMinutes: DEFAULT_BATCH_MINUTES,
      cost: COST,
    };
  }
}
