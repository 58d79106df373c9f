/**
 * Where abuse resistance keeps its few facts: "this proof was used" markers and rate-limit counters.
 * Production keeps them in Redis, shared by every API process. None of them says anything about a
 * person: keys are challenge signatures, random ticket ids, tenant ids and keyed hashes of receipt
 * lookups, never an address, a user agent or a cookie.
 *
 * When Redis is unreachable, reports must still be accepted (docs/architecture.md "The flow of a report"), so
 * both fall back to this process's memory: limits then hold per process, and a proof used on one process
 * could be used again on another until Redis returns. Refusing every report during an outage would be worse.
 */
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';

export interface LimiterOptions {
  /** Names the limiter's keys; unique per limiter. */
  readonly name: string;
  /** Points a key may consume in one window. */
  readonly points: number;
  /** The window, in seconds, from the first point consumed. */
  readonly duration: number;
}

export abstract class AbuseStore {
  /** Marks `key` as used for `ttlSeconds`; false if it already was (atomically, across processes). */
  abstract claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a claim, so the proof can be presented again after a refusal that was not its fault. */
  abstract release(key: string): Promise<void>;
  abstract limiter(options: LimiterOptions): RateLimiterAbstract;
}

const PRUNE_EVERY_MS = 60_000;

/** One process's memory: the unit tests' store, and the Redis store's fallback during an outage. */
export class MemoryAbuseStore extends AbuseStore {
  /** key → when the claim lapses (epoch ms). */
  private readonly claims = new Map<string, number>();
  private lastPruned = 0;

  async claimOnce(key: string, ttlSeconds: number): Promise<boolean> {
    const now = Date.now();
    this.prune(now);
    const lapsesAt = this.claims.get(key);
    if (lapsesAt !== undefined && lapsesAt > now) return false;
    this.claims.set(key, now + ttlSeconds * 1000);
    return true;
  }

  async release(key: string): Promise<void> {
    this.claims.delete(key);
  }

  limiter(options: LimiterOptions): RateLimiterAbstract {
    return new RateLimiterMemory({
      keyPrefix: options.name,
      points: options.points,
      duration: options.duration,
    });
  }

  private prune(now: number): void {
    if (now - this.lastPruned < PRUNE_EVERY_MS) return;
    this.lastPruned = now;
    for (const [key, lapsesAt] of this.claims) if (lapsesAt <= now) this.claims.delete(key);
  }
}

@Injectable()
export class RedisAbuseStore extends AbuseStore {
  private readonly prefix: string;
  private readonly fallback = new MemoryAbuseStore();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.prefix = `${config.redisPrefix}:abuse`;
  }

  async claimOnce(key: string, ttlSeconds: number): Promise<boolean> {
    if (this.redis.status === 'ready') {
      try {
        const set = await this.redis.set(`${this.prefix}:${key}`, '1', 'EX', ttlSeconds, 'NX');
        return set === 'OK';
      } catch {
        // Redis went away mid-command: fall back below rather than refuse a report.
      }
    }
    return this.fallback.claimOnce(key, ttlSeconds);
  }

  async release(key: string): Promise<void> {
    await this.fallback.release(key);
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.del(`${this.prefix}:${key}`);
    } catch {
      // Nothing to undo if Redis is gone: the claim was then held in memory, released above.
    }
  }

  limiter(options: LimiterOptions): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${this.prefix}:${options.name}`,
      points: options.points,
      duration: options.duration,
      // Straight to the in-memory insurance while Redis is not connected, instead of waiting for
      // each command to time out.
      rejectIfRedisNotReady: true,
      insuranceLimiter: this.fallback.limiter(options),
    });
  }
}
