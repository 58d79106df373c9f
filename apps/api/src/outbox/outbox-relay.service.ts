/**
 * The outbox relay (docs/architecture.md "The flow of a report"; issue #6): moves unsent outbox rows of every
 * tenant to the case-events queue, with the job id derived from the row (`outbox-<id>`), and marks them sent
 * in the same transaction. If Redis is unreachable the add fails, the transaction rolls back and the rows
 * wait for the next pass; if the commit fails after the add, the next pass adds the same job id again and
 * BullMQ ignores the duplicate. Reports are accepted either way: they only ever write to Postgres.
 *
 * A reporter-caused row (docs/architecture.md "Reporter time") waits for its release time, the batch
 * boundary; a batch's rows are relayed in random order, as jobs whose creation time is the boundary, that
 * carry it as `batchTime` for the workers to stamp (notices, `sent_at`, the audit entry, SLA jobs), and
 * that Redis forgets once done. Their `sent_at` is the boundary too.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { randomInt } from 'node:crypto';
import { withTimeout } from '../common/with-timeout';
import { inTenant } from '../database/tenant-transaction';
import { ReporterTime } from '../reporter-time/reporter-time';
import { QueueName } from '../queues/queue-names';

const BATCH = 100;
const ADD_TIMEOUT_MS = 3000;

export interface CaseEventJob {
  outboxId: string;
  tenantId: string;
  caseId: string;
  payload: Record<string, string | number | boolean | null>;
  /** For a reporter-caused event, its batch boundary (ISO 8601): the only time the workers may stamp. */
  batchTime?: string;
}

type OutboxRow = {
  id: string;
  event: string;
  aggregate_id: string;
  payload: CaseEventJob['payload'];
  release_at: Date | null;
};

/** Staff events keep their order; a reporter batch's rows go out in random order, after them. */
function relayOrder(rows: readonly OutboxRow[]): OutboxRow[] {
  const batch = rows.filter((r) => r.release_at !== null);
  for (let i = batch.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [batch[i], batch[j]] = [batch[j], batch[i]];
  }
  return [...rows.filter((r) => r.release_at === null), ...batch];
}

@Injectable()
export class OutboxRelay {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.CaseEvents) private readonly queue: Queue,
    private readonly reporterTime: ReporterTime,
  ) {}

  /** One pass over every tenant with unsent rows; returns how many were relayed. Throws if Redis is unreachable. */
  async relayOnce(): Promise<number> {
    let relayed = 0;
    // Only the councils with something waiting (the function returns their ids and nothing else).
    const pending: { id: string }[] = await this.dataSource.query(
      `SELECT nolan_outbox_pending_tenants() AS id`,
    );
    for (const tenant of pending) {
      relayed += await inTenant(this.dataSource, tenant.id, async (m) => {
        const rows: OutboxRow[] = await m.query(
          // A batch's rows only once the council's held audit entries due are in its trail (released by
          // the pass before this one, HeldAuditRelease): what the workers record of a batch comes after
          // the batch's own entries, even when the council's release had to wait for a later pass.
          `SELECT id, event, aggregate_id, payload, release_at FROM outbox
           WHERE sent_at IS NULL
             AND (release_at IS NULL
                  OR (release_at <= $1 AND NOT EXISTS (SELECT 1 FROM audit_held h WHERE h.release_at <= $1)))
           ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [this.reporterTime.now()],
        );
        for (const row of relayOrder(rows)) {
          const releaseAt = row.release_at === null ? null : new Date(row.release_at);
          const job: CaseEventJob = {
            outboxId: String(row.id),
            tenantId: tenant.id,
            caseId: row.aggregate_id,
            payload: row.payload,
            ...(releaseAt ? { batchTime: releaseAt.toISOString() } : {}),
          };
          await withTimeout(
            this.queue.add(row.event, job, {
              jobId: `outbox-${row.id}`,
              // Redis keeps no record of a reporter-caused job once done; a failed one keeps only
              // batch-derived times (docs/architecture.md "Reporter time").
              ...(releaseAt ? { timestamp: releaseAt.getTime(), removeOnComplete: true } : {}),
            }),
            ADD_TIMEOUT_MS,
            'Redis',
          );
        }
        if (rows.length)
          await m.query(
            // A reporter-caused row's batch boundary, or the hour a staff row was written: never the
            // instant of a pass, which would sit beside whatever a reporter did at that moment.
            `UPDATE outbox SET sent_at = COALESCE(release_at, created_at) WHERE id = ANY($1::bigint[])`,
            [rows.map((r) => r.id)],
          );
        return rows.length;
      });
    }
    return relayed;
  }
}
