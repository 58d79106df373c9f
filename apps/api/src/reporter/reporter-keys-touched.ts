/**
 * Redis keeps, for every key, when it was last read or written, and tells it to the second
 * (`OBJECT IDLETIME`) to whoever can reach the running server: the council's IT, who run it. A key a
 * reporter's action writes (the spent proofs of an hour, a count window, their session, written again at
 * every use) would say to the second when the last such action came, however coarse its expiry and
 * sealed its value (docs/architecture.md "Redis hygiene"). So every API process touches all of them once
 * a minute (`TOUCH` changes nothing but that time): each then says only how long ago the last touch was,
 * the same for every key, and a reporter's action shows only to someone who looks within the minute
 * after it, as a copy taken then would show it anyway.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';

export const TOUCH_EVERY_MS = 60_000;

@Injectable()
export class ReporterKeysTouched implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.touchAll().catch(() => undefined);
    }, TOUCH_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Touches every key a reporter's action writes (abuse-resistance's and reporters' sessions); how many. */
  async touchAll(): Promise<number> {
    if (this.redis.status !== 'ready') return 0;
    let touched = 0;
    for (const space of ['abuse', 'reporter-session']) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(
          cursor,
          'MATCH',
          `${this.config.redisPrefix}:${space}:*`,
          'COUNT',
          1000,
        );
        cursor = next;
        if (keys.length > 0) touched += await this.redis.touch(...keys);
      } while (cursor !== '0');
    }
    return touched;
  }
}
