import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import { AuditCheckpoints } from '../audit/audit-checkpoints.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { QueueName, WORKER_HEARTBEAT_KEY } from '../queues/queue-names';
import { REDIS } from '../redis/redis.module';
import { RetentionService } from '../retention/retention.service';
import { Clock } from '../sla/clock';
import { toLondonDate } from '@nolan/domain';

export const HEARTBEAT_JOB = 'heartbeat';
export const RETENTION_JOB = 'retention-sweep';
export const AUDIT_CHECKPOINT_JOB = 'audit-checkpoint';

/**
 * Housekeeping jobs: the heartbeat (so /health can say whether a worker is alive), the daily retention
 * sweep and the hourly audit checkpoints.
 */
@Processor(QueueName.System)
export class SystemProcessor extends WorkerHost {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly retention: RetentionService,
    private readonly clock: Clock,
    private readonly checkpoints: AuditCheckpoints,
  ) {
    super();
  }

  async process(job: Job): Promise<string> {
    switch (job.name) {
      case HEARTBEAT_JOB:
        await this.redis.set(
          `${this.config.redisPrefix}:${WORKER_HEARTBEAT_KEY}`,
          String(Date.now()),
          'EX',
          600,
        );
        return 'ok';
      case AUDIT_CHECKPOINT_JOB:
        return `checkpointed ${await this.checkpoints.checkpointAll()} audit trail(s)`;
      case RETENTION_JOB:
        return `destroyed ${await this.retention.sweep(toLondonDate(this.clock.now()))} case(s)`;
      default:
        return 'skipped: unknown job';
    }
  }
}
