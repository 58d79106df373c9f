/**
 * Reporter sessions, opened with the receipt: a SealedSessions store holding the reporter's unlocked
 * key, with a short idle timeout (15 minutes) because a reporter may be on a shared or watched device,
 * checked against the sealed time of last use (the Redis entry itself expires on the hour).
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { SealedSessions } from '../auth/sealed-sessions';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { Clock } from '../sla/clock';

export const REPORTER_IDLE_SECONDS = 15 * 60;
const REPORTER_MAX_SECONDS = 2 * 3600;

export interface ReporterSessionMeta {
  readonly tenantId: string;
  readonly caseId: string;
  /**
   * Which lock of the reporter's key the session was opened under (`receiptLock`): replacing the receipt
   * makes a new lock, and every other session of the case then ends (ReporterAuthGuard).
   */
  readonly lock: string;
}

/** A short tag of a reporter key's lock (its salt is new with every receipt), for sessions to compare. */
export function receiptLock(salt: Uint8Array): string {
  return createHash('sha256').update(salt).digest('base64url').slice(0, 22);
}

@Injectable()
export class ReporterSessionStore extends SealedSessions<ReporterSessionMeta> {
  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig, clock: Clock) {
    super(redis, `${config.redisPrefix}:reporter-session`, REPORTER_IDLE_SECONDS, REPORTER_MAX_SECONDS, {
      // docs/architecture.md "Reporter time": no case id, start time or time of last use readable in
      // Redis, and an expiry on the hour; idle and absolute limits on the clock reporter time reads.
      sealMeta: true,
      now: () => clock.now().getTime(),
    });
  }
}
