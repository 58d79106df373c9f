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
  /**
   * Marks `id` (a challenge signature, a ticket id) of `kind` as spent until `lapsesAt` (epoch ms); false
   * if it already was (atomically, across processes). A reporter's proof is spent when they act, so
   * nothing about the claim may be finer than the hour (docs/architecture.md "Reporter time"): claims
   * are kept in one set per hour in which they lapse, which expires at that hour's end.
   */
  abstract claimSpent(kind: string, id: string, lapsesAt: number): Promise<boolean>;
  /** Undoes `claimSpent` (same arguments), after a refusal that was not the proof's fault. */
  abstract releaseSpent(kind: string, id: string, lapsesAt: number): Promise<void>;
  abstract limiter(options: LimiterOptions): RateLimiterAbstract;
}

const PRUNE_EVERY_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The end of the hour in which `lapsesAt` falls (itself if on the hour): when its hour's set expires. */
export function spentSetLapse(lapsesAt: number): number {
  return Math.ceil(lapsesAt / HOUR_MS) * HOUR_MS;
}

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

  async claimSpent(kind: string, id: string, lapsesAt: number): Promise<boolean> {
    return this.claimOnce(`${kind}:${id}`, Math.max(1, Math.ceil((lapsesAt - Date.now()) / 1000)));
  }

  async releaseSpent(kind: string, id: string): Promise<void> {
    await this.release(`${kind}:${id}`);
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

  /** The hour's set: named and expiring by the end of the hour the claim lapses in, never by when it was made. */
  spentSetKey(kind: string, lapsesAt: number): string {
    return `${this.prefix}:${kind}:${spentSetLapse(lapsesAt) / 1000}`;
  }

  async claimSpent(kind: string, id: string, lapsesAt: number): Promise<boolean> {
    if (this.redis.status === 'ready') {
      try {
        const set = this.spentSetKey(kind, lapsesAt);
        const replies = await this.redis
          .multi()
          .sadd(set, id)
          .expireat(set, spentSetLapse(lapsesAt) / 1000)
          .exec();
        const [error, added] = replies?.[0] ?? [new Error('no reply')];
        if (!error) return added === 1;
      } catch {
        // Redis went away mid-command: fall back below rather than refuse a report.
      }
    }
    return this.fallback.claimSpent(kind, id, lapsesAt);
  }

  async releaseSpent(kind: string, id: string, lapsesAt: number): Promise<void> {
    await this.fallback.releaseSpent(kind, id);
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.srem(this.spentSetKey(kind, lapsesAt), id);
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
