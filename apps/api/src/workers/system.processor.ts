import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { QueueName, WORKER_HEARTBEAT_KEY } from '../queues/queue-names';
import { REDIS } from '../redis/redis.module';

export const HEARTBEAT_JOB = 'heartbeat';

/** Housekeeping jobs. The heartbeat lets /health say whether any worker is alive. */
@Processor(QueueName.System)
export class SystemProcessor extends WorkerHost {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
      default:
        return 'skipped: unknown job';
    }
  }
}
