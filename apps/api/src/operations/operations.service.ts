/**
 * The operational view of the workers (issue #6): per-queue counts, the failed jobs (the dead-letter
 * list: jobs that used up their retries) and a retry an operator can trigger. Job data holds ids only,
 * so nothing here can show case content; failure reasons are error messages from our own code.
 */
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobRetried, QueueOverview, QueueState } from '@nolan/contract';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { withTimeout } from '../common/with-timeout';
import { AppError } from '../errors/app-error';
import { ALL_QUEUES, type QueueName } from '../queues/queue-names';

const TIMEOUT_MS = 3000;

@Injectable()
export class OperationsService {
  constructor(private readonly moduleRef: ModuleRef) {}

  private queue(name: string): Queue {
    if (!ALL_QUEUES.includes(name as QueueName))
      throw new AppError('NOT_FOUND', `There is no queue called "${name}".`);
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  async overview(): Promise<QueueOverview> {
    const queues: QueueState[] = [];
    for (const name of ALL_QUEUES) {
      const queue = this.queue(name);
      const counts = await withTimeout(
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
        TIMEOUT_MS,
        'Redis',
      );
      const failed = await withTimeout(queue.getFailed(0, 49), TIMEOUT_MS, 'Redis');
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
    return { queues };
  }

  async retry(queueName: string, jobId: string): Promise<JobRetried> {
    const job = await withTimeout(this.queue(queueName).getJob(jobId), TIMEOUT_MS, 'Redis');
    if (!job) throw new AppError('NOT_FOUND', 'There is no such job.');
    if (!(await job.isFailed())) throw new AppError('CONFLICT', 'Only a failed job can be retried.');
    await job.retry('failed');
    return { id: job.id, retried: true };
  }
}
