/**
 * The workers' repeatable jobs, declared once. `upsertJobScheduler` is idempotent, so this runs at
 * worker start and again whenever Redis may have lost its data (redis-recovery.runner.ts): a flushed
 * Redis otherwise forgets the heartbeat and the nightly retention sweep until a worker restarts.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { withTimeout } from '../common/with-timeout';
import { QueueName } from '../queues/queue-names';
import { AUDIT_CHECKPOINT_JOB, HEARTBEAT_JOB, RETENTION_JOB } from './system.processor';

export const HEARTBEAT_EVERY_MS = 30_000;
/** Every night at 03:15: destroy closed cases past retention. */
export const RETENTION_PATTERN = '15 3 * * *';
/** Every hour at :05, a checkpoint of every council's audit chain (issue #15). */
export const AUDIT_CHECKPOINT_PATTERN = '5 * * * *';
const TIMEOUT_MS = 3000;

@Injectable()
export class JobSchedulers {
  constructor(@InjectQueue(QueueName.System) private readonly systemQueue: Queue) {}

  /** The scheduler ids, for checks that every one exists. */
  static readonly ids: readonly string[] = [RETENTION_JOB, HEARTBEAT_JOB, AUDIT_CHECKPOINT_JOB];

  async ensure(): Promise<void> {
    await withTimeout(
      this.systemQueue.upsertJobScheduler(
        RETENTION_JOB,
        { pattern: RETENTION_PATTERN },
        { name: RETENTION_JOB },
      ),
      TIMEOUT_MS,
      'Redis',
    );
    await withTimeout(
      this.systemQueue.upsertJobScheduler(
        AUDIT_CHECKPOINT_JOB,
        { pattern: AUDIT_CHECKPOINT_PATTERN },
        { name: AUDIT_CHECKPOINT_JOB },
      ),
      TIMEOUT_MS,
      'Redis',
    );
    await withTimeout(
      this.systemQueue.upsertJobScheduler(
        HEARTBEAT_JOB,
        { every: HEARTBEAT_EVERY_MS },
        // A beat leaves nothing behind once done: kept, every beat would add one to the completed count
        // that each council's administrators see every 30 s, noise to anyone watching it change.
        { name: HEARTBEAT_JOB, opts: { removeOnComplete: true } },
      ),
      TIMEOUT_MS,
      'Redis',
    );
    // A beat now, through the queue like every other: a scheduler that already existed (another
    // worker's) would otherwise leave /health without a heartbeat for up to 30 s after a start.
    await withTimeout(
      this.systemQueue.add(HEARTBEAT_JOB, {}, { removeOnComplete: true, removeOnFail: true }),
      TIMEOUT_MS,
      'Redis',
    );
  }
}
