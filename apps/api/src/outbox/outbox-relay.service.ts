/**
 * The outbox relay (docs/architecture.md "The flow of a report"; issue #6): moves unsent outbox rows of every
 * tenant to the case-events queue, with the job id derived from the row (`outbox-<id>`), and marks them sent
 * in the same transaction. If Redis is unreachable the add fails, the transaction rolls back and the rows
 * wait for the next pass; if the commit fails after the add, the next pass adds the same job id again and
 * BullMQ ignores the duplicate. Reports are accepted either way: they only ever write to Postgres.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout';
import { inTenant } from '../database/tenant-transaction';
import { QueueName } from '../queues/queue-names';
import { TenantEntity } from '../tenants/tenant.entity';

const BATCH = 100;
const ADD_TIMEOUT_MS = 3000;

export interface CaseEventJob {
  outboxId: string;
  tenantId: string;
  caseId: string;
  payload: Record<string, string | number | boolean | null>;
}

@Injectable()
export class OutboxRelay {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.CaseEvents) private readonly queue: Queue,
  ) {}

  /** One pass over every tenant; returns how many rows were relayed. Throws if Redis is unreachable. */
  async relayOnce(): Promise<number> {
    let relayed = 0;
    for (const tenant of await this.dataSource.getRepository(TenantEntity).find({ select: { id: true } })) {
      relayed += await inTenant(this.dataSource, tenant.id, async (m) => {
        const rows: { id: string; event: string; aggregate_id: string; payload: CaseEventJob['payload'] }[] =
          await m.query(
            `SELECT id, event, aggregate_id, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          );
        for (const row of rows) {
          const job: CaseEventJob = {
            outboxId: String(row.id),
            tenantId: tenant.id,
            caseId: row.aggregate_id,
            payload: row.payload,
          };
          await withTimeout(
            this.queue.add(row.event, job, { jobId: `outbox-${row.id}` }),
            ADD_TIMEOUT_MS,
            'Redis',
          );
        }
        if (rows.length)
          await m.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [
            rows.map((r) => r.id),
          ]);
        return rows.length;
      });
    }
    return relayed;
  }
}
