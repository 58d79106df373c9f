import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { WORKER_HEARTBEAT_KEY } from '../queues/queue-names';
import { REDIS } from '../redis/redis.module';
import { withTimeout } from '../common/with-timeout';

const TIMEOUT_MS = 1500;
/** The heartbeat job runs every 30 s (workers/job-schedulers.ts): four missed beats mean no worker. */
export const HEARTBEAT_STALE_SECONDS = 120;

/**
 * Redis reachability, and whether a worker is alive (the age of its last heartbeat). Nothing here
 * counts jobs: /health is public, and queue counts polled from outside would time each report (issue
 * #14). The counts are in the administrators' queue view, per council (operations/).
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  /**
   * "queues" is up while a worker has beaten within HEARTBEAT_STALE_SECONDS: without one, reports are
   * still accepted but nobody is told of them and no clock fires, so the service is not "ok".
   */
  async queues() {
    const check = this.indicators.check('queues');
    let beat: string | null;
    try {
      beat = await withTimeout(
        this.redis.get(`${this.config.redisPrefix}:${WORKER_HEARTBEAT_KEY}`),
        TIMEOUT_MS,
        'Redis',
      );
    } catch {
      return check.down({ message: 'Queue state is unavailable while Redis is unreachable' });
    }
    const workerHeartbeatAgeSeconds = beat
      ? Math.max(0, Math.round((Date.now() - Number(beat)) / 1000))
      : null;
    if (workerHeartbeatAgeSeconds === null || workerHeartbeatAgeSeconds > HEARTBEAT_STALE_SECONDS)
      return check.down({
        message: `No worker heartbeat in the last ${HEARTBEAT_STALE_SECONDS} s: reports are kept, but nobody is notified and no deadline fires until a worker runs`,
        workerHeartbeatAgeSeconds,
      });
    return check.up({ workerHeartbeatAgeSeconds });
  }
}
