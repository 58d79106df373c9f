import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { QueueName, WORKER_HEARTBEAT_KEY } from '../queues/queue-names';
import { REDIS } from '../redis/redis.module';
import { withTimeout } from '../common/with-timeout';

const TIMEOUT_MS = 1500;

/** Redis reachability, and the BullMQ queues' state with the age of the workers' last heartbeat. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.System) private readonly systemQueue: Queue,
    @InjectQueue(QueueName.CaseEvents) private readonly caseEventsQueue: Queue,
  ) {}

  async redisUp() {
    const check = this.indicators.check('redis');
    try {
      await withTimeout(this.redis.ping(), TIMEOUT_MS, 'Redis');
      return check.up();
    } catch {
      return check.down({ message: 'Redis is unreachable' });
    }
  }

  async queues() {
    const check = this.indicators.check('queues');
    try {
      const states = ['waiting', 'active', 'failed', 'delayed'] as const;
      const counts = await withTimeout(this.systemQueue.getJobCounts(...states), TIMEOUT_MS, 'Redis');
      const caseEvents = await withTimeout(this.caseEventsQueue.getJobCounts(...states), TIMEOUT_MS, 'Redis');
      const beat = await withTimeout(
        this.redis.get(`${this.config.redisPrefix}:${WORKER_HEARTBEAT_KEY}`),
        TIMEOUT_MS,
        'Redis',
      );
      const workerHeartbeatAgeSeconds = beat ? Math.round((Date.now() - Number(beat)) / 1000) : null;
      return check.up({
        [QueueName.System]: counts,
        [QueueName.CaseEvents]: caseEvents,
        workerHeartbeatAgeSeconds,
      });
    } catch {
      return check.down({ message: 'Queue state is unavailable while Redis is unreachable' });
    }
  }
}
