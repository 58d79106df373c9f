/**
 * The operational view of the workers (issue #6): per-queue counts, the failed jobs (the dead-letter
 * list: jobs that used up their retries) and a retry an operator can trigger. Job data holds ids only,
 * so nothing here can show case content; failure reasons are error messages from our own code.
 *
 * An administrator sees their own council's jobs only (issue #14): every job about a council carries
 * its `tenantId` (case events from the outbox, SLA timers), and one of another council is counted,
 * listed and retried for nobody else; polling another council's counts would time its reports.
 * Jobs without a council (the heartbeat, the retention sweep over all councils) are the deployment's
 * housekeeping and are shown to every administrator.
 *
 * Beside the queues, how many of the council's reporter rows the placement pass has left five minutes or
 * more past their batch's release (docs/architecture.md "Placement"): a count, never a case.
 */
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { JobRetried, QueueOverview, QueueState } from '@nolan/contract';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { withTimeout } from '../common/with-timeout';
import { AppError } from '../errors/app-error';
import { ALL_QUEUES, type QueueName } from '../queues/queue-names';
import { inTenant } from '../database/tenant-transaction';
import { ReporterTime } from '../reporter-time/reporter-time';

const TIMEOUT_MS = 3000;
const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
const SCAN_PAGE = 500;
const FAILED_LISTED = 50;
/** How long past its release a noted row may wait before it counts as overdue. */
const PLACEMENT_GRACE_MS = 5 * 60_000;

@Injectable()
export class OperationsService {
  constructor(
    private readonly moduleRef: ModuleRef,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reporterTime: ReporterTime,
  ) {}

  private queue(name: string): Queue {
    if (!ALL_QUEUES.includes(name as QueueName))
      throw new AppError('NOT_FOUND', `There is no queue called "${name}".`);
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  async overview(tenantId: string): Promise<QueueOverview> {
    const queues: QueueState[] = [];
    for (const name of ALL_QUEUES) {
      const queue = this.queue(name);
      const counts: Record<(typeof STATES)[number], number> = {
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
        completed: 0,
      };
      const failed: Job[] = [];
      for (const state of STATES) {
        for await (const job of this.jobsOf(queue, state, tenantId)) {
          counts[state] += 1;
          if (state === 'failed' && failed.length < FAILED_LISTED) failed.push(job);
        }
      }
      queues.push({
        name,
        counts,
        failed: failed.map((job) => ({
          id: job.id,
          name: job.name,
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason?.slice(0, 200) ?? null,
          finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        })),
      });
    }
    return { queues, placementOverdue: await this.placementOverdue(tenantId) };
  }

  /** The council's noted rows five minutes or more past their release: a count, never a case. */
  private async placementOverdue(tenantId: string): Promise<number> {
    const before = new Date(this.reporterTime.now().getTime() - PLACEMENT_GRACE_MS);
    const [row] = await inTenant(this.dataSource, tenantId, (m) =>
      m.query(`SELECT count(*)::int AS overdue FROM held_placement WHERE release_at <= $1`, [before]),
    );
    return (row as { overdue: number }).overdue;
  }

  async retry(tenantId: string, queueName: string, jobId: string): Promise<JobRetried> {
    const job = await withTimeout(this.queue(queueName).getJob(jobId), TIMEOUT_MS, 'Redis');
    // Another council's job is "no such job": the answer must not tell that it exists.
    if (!job || !visibleTo(job, tenantId)) throw new AppError('NOT_FOUND', 'There is no such job.');
    if (!(await job.isFailed())) throw new AppError('CONFLICT', 'Only a failed job can be retried.');
    await job.retry('failed');
    return { id: job.id, retried: true };
  }

  /** The jobs of one state that `tenantId`'s administrators may see, read a page at a time. */
  private async *jobsOf(queue: Queue, state: (typeof STATES)[number], tenantId: string) {
    for (let start = 0; ; start += SCAN_PAGE) {
      const page = await withTimeout(
        queue.getJobs([state], start, start + SCAN_PAGE - 1, state !== 'failed'),
        TIMEOUT_MS,
        'Redis',
      );
      for (const job of page) if (job && visibleTo(job, tenantId)) yield job;
      if (page.length < SCAN_PAGE) return;
    }
  }
}

function visibleTo(job: Job, tenantId: string): boolean {
  const owner: unknown = (job.data as { tenantId?: unknown } | null)?.tenantId;
  return owner === undefined || owner === tenantId;
}
