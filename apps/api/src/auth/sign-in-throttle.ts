import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import { REDIS } from '../redis/redis.module';

export const MAX_FAILED_SIGN_INS = 5;
export const SIGN_IN_LOCK_SECONDS = 15 * 60;

/**
 * Lock-out on repeated failures, per tenant and e-mail address (hashed, so Redis holds no address),
 * whether or not the address belongs to anyone: the answer never tells an attacker which accounts
 * exist. Five failures lock the address for 15 minutes; a success clears the count.
 */
@Injectable()
export class SignInThrottle {
  private readonly limiter: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redisPrefix}:sign-in-failures`,
      points: MAX_FAILED_SIGN_INS,
      duration: SIGN_IN_LOCK_SECONDS,
      blockDuration: SIGN_IN_LOCK_SECONDS,
    });
  }

  private key(tenantId: string, email: string): string {
    return createHash('sha256').update(`${tenantId}\0${email}`).digest('base64url');
  }

  async assertNotLocked(tenantId: string, email: string): Promise<void> {
    const state = await this.limiter.get(this.key(tenantId, email));
    if (state && state.consumedPoints >= MAX_FAILED_SIGN_INS) throw locked(state.msBeforeNext);
  }

  async recordFailure(tenantId: string, email: string): Promise<void> {
    try {
      await this.limiter.consume(this.key(tenantId, email));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw locked(rejection.msBeforeNext);
      throw rejection;
    }
  }

  async clear(tenantId: string, email: string): Promise<void> {
    await this.limiter.delete(this.key(tenantId, email));
  }
}

function locked(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    'SIGN_IN_THROTTLED',
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    seconds,
  );
}
