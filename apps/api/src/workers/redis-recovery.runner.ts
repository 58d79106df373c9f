/**
 * When the workers rebuild what Redis should hold from what Postgres knows (issue #17): the job
 * schedulers (job-schedulers.ts) and every open case's SLA timers (sla/sla-reconciler.ts). Both are
 * idempotent, so this errs towards running them:
 * - at worker start;
 * - when the Redis connection comes back after being lost (a restart may have emptied it);
 * - when the marker key this runner leaves in Redis has gone: a FLUSHDB, a failover to an empty
 *   replica or a managed Redis reset keep the connection up, so only the data can tell. The marker is
 *   checked every RECOVERY_CHECK_EVERY_MS, which bounds how long a flushed Redis goes without clocks;
 * - and in full every FULL_RECONCILE_EVERY_MS regardless, for anything lost one key at a time (an
 *   eviction policy, a mistaken DEL).
 * A pass that fails (Redis or Postgres unreachable) is retried on the next check. Passes never overlap.
 * The marker holds no time and nothing about any case.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { withTimeout } from '../common/with-timeout';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { SlaReconciler } from '../sla/sla-reconciler';
import { JobSchedulers } from './job-schedulers';

export const RECOVERY_CHECK_EVERY_MS = 10_000;
export const FULL_RECONCILE_EVERY_MS = 60 * 60_000;
export const RECOVERY_MARKER_KEY = 'workers:redis-rebuilt';
const TIMEOUT_MS = 3000;

export type RecoveryReason = 'start' | 'reconnected' | 'marker missing' | 'scheduled' | 'retry';

@Injectable()
export class RedisRecoveryRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RedisRecovery');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastFull = 0;
  private retryDue = false;
  private started = false;
  private readonly onReady = () => {
    if (!this.started) return;
    this.retryDue = true;
    void this.tick();
  };

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedulers: JobSchedulers,
    private readonly reconciler: SlaReconciler,
  ) {}

  private get markerKey(): string {
    return `${this.config.redisPrefix}:${RECOVERY_MARKER_KEY}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.redis.on('ready', this.onReady);
    this.timer = setInterval(() => void this.tick(), RECOVERY_CHECK_EVERY_MS);
    this.started = true;
    await this.tick('start');
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
    await this.running;
  }

  /** One check, and a full pass if one is due; unless a pass is still running. */
  tick(forced?: RecoveryReason): Promise<void> {
    if (!this.running) {
      this.running = this.check(forced).finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async check(forced?: RecoveryReason): Promise<void> {
    try {
      const reason = forced ?? (await this.due());
      if (reason) await this.rebuild(reason);
    } catch (error: unknown) {
      this.retryDue = true;
      this.logger.warn(
        `rebuilding Redis's schedulers and SLA timers is waiting: ${error instanceof Error ? error.message : 'error'}`,
      );
    }
  }

  private async due(): Promise<RecoveryReason | undefined> {
    if (this.retryDue) return 'retry';
    if (Date.now() - this.lastFull >= FULL_RECONCILE_EVERY_MS) return 'scheduled';
    const marker = await withTimeout(this.redis.exists(this.markerKey), TIMEOUT_MS, 'Redis');
    return marker ? undefined : 'marker missing';
  }

  private async rebuild(reason: RecoveryReason): Promise<void> {
    this.retryDue = false;
    // Set first: a flush during the pass removes it again, and the next check starts over.
    await withTimeout(this.redis.set(this.markerKey, '1'), TIMEOUT_MS, 'Redis');
    await this.schedulers.ensure();
    const { cases, timers } = await this.reconciler.reconcile();
    this.lastFull = Date.now();
    const line = `job schedulers in place; SLA timers of ${cases} open case(s) checked, ${timers} pending (${reason})`;
    if (reason === 'scheduled' || reason === 'start') this.logger.log(line);
    else this.logger.warn(line);
  }
}
