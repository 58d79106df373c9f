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
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
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

/** A count kept over a window of time: how many points, and how long until the window ends. */
export interface WindowState {
  readonly count: number;
  readonly msLeft: number;
}

/**
 * Counts over windows that run from their first point (a rolling minute, an hour from the first ticket
 * redeemed), for the limits a reporter's attempts consume. A reporter's attempt must leave nothing in
 * Redis finer than the hour (docs/architecture.md "Redis hygiene"), and a window's expiry is its first
 * point plus its length: so the window's end is sealed in its value (AES-256-GCM under a key derived
 * from the API's secret, which a copy of Redis does not hold), and the key itself expires on an hour
 * boundary that depends only on the clock hour the window opened in (`windowKeyExpiry`). The count is
 * plain: it says how many, never when.
 */
export interface CountWindows {
  /** The running window of `key`, or null if none is running. */
  get(key: string): Promise<WindowState | null>;
  /** Adds `points`, opening a window of `seconds` (the windows' length by default) if none is running. */
  add(key: string, points: number, seconds?: number): Promise<WindowState>;
  /** Replaces the window of `key` with `count` points and `seconds` from now. */
  set(key: string, count: number, seconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export abstract class AbuseStore {
  /** Marks `key` as used for `ttlSeconds`; false if it already was (atomically, across processes). */
  abstract claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a claim, so the proof can be presented again after a refusal that was not its fault. */
  abstract release(key: string): Promise<void>;
  /**
   * Marks `id` (a challenge signature, a ticket id) of `kind` as spent until `lapsesAt` (epoch ms), for a
   * proof that lives `lifetimeSeconds` from its issue; false if it already was (atomically, across
   * processes). A reporter's proof is spent when they act, so nothing about the claim may be finer than
   * the hour (docs/architecture.md "Redis hygiene"): claims are kept in one set per clock hour in which
   * they are made, which expires on an hour fixed by that hour and the lifetime alone.
   */
  abstract claimSpent(kind: string, id: string, lapsesAt: number, lifetimeSeconds: number): Promise<boolean>;
  /** Undoes `claimSpent` (same arguments), after a refusal that was not the proof's fault. */
  abstract releaseSpent(kind: string, id: string, lapsesAt: number, lifetimeSeconds: number): Promise<void>;
  abstract limiter(options: LimiterOptions): RateLimiterAbstract;
  /** Windows named `name`, each `duration` seconds long unless told otherwise (see CountWindows). */
  abstract windows(name: string, duration: number): CountWindows;
}

const PRUNE_EVERY_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The name an earlier version gave the set of spent proofs lapsing in an hour (its end, in seconds):
 * still read, so that a proof spent just before an upgrade is refused after it.
 */
export function spentSetLapse(lapsesAt: number): number {
  return Math.ceil(lapsesAt / HOUR_MS) * HOUR_MS;
}

/**
 * When a window's key expires in Redis: on the hour, two hours after the start of the clock hour the
 * window opened in, or as many more whole hours as a window longer than an hour needs. Never later than
 * the hour after the window ends, and never earlier than its end; and it depends on nothing finer than
 * the hour it opened in (an expiry counted from the window's end would say, for a window opened in the
 * last minutes of an hour, that it was).
 */
export function windowKeyExpiry(openedAt: number, seconds: number): number {
  return (Math.floor(openedAt / HOUR_MS) + 1 + Math.max(1, Math.ceil((seconds * 1000) / HOUR_MS))) * HOUR_MS;
}

/**
 * How many hours after the start of its own a spent set expires, and so how far back a claim is checked:
 * the hour it is made in, then as many whole hours as a proof's lifetime (at least one), so that a proof
 * spent at the last moment of an hour is still remembered when it lapses; for a lifetime under the hour,
 * the rest of that hour is to spare for a clock a little off Redis's. It depends on nothing but the
 * lifetime, so a set's expiry says only the hour its claims were made in.
 */
export function spentSetHours(lifetimeSeconds: number): number {
  return 1 + Math.max(1, Math.ceil((lifetimeSeconds * 1000) / HOUR_MS));
}

/** Windows in one process's memory (the unit tests', and Redis's fallback during an outage). */
export class MemoryWindows implements CountWindows {
  private readonly windows = new Map<string, { count: number; end: number }>();
  private lastPruned = 0;

  constructor(private readonly duration: number) {}

  async get(key: string): Promise<WindowState | null> {
    const now = Date.now();
    const window = this.running(key, now);
    return window ? { count: window.count, msLeft: window.end - now } : null;
  }

  async add(key: string, points: number, seconds = this.duration): Promise<WindowState> {
    const now = Date.now();
    this.prune(now);
    const window = this.running(key, now) ?? { count: 0, end: now + seconds * 1000 };
    window.count += points;
    this.windows.set(key, window);
    return { count: window.count, msLeft: window.end - now };
  }

  async set(key: string, count: number, seconds: number): Promise<void> {
    this.windows.set(key, { count, end: Date.now() + seconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private running(key: string, now: number): { count: number; end: number } | null {
    const window = this.windows.get(key);
    if (window && window.end > now) return window;
    this.windows.delete(key);
    return null;
  }

  private prune(now: number): void {
    if (now - this.lastPruned < PRUNE_EVERY_MS) return;
    this.lastPruned = now;
    for (const [key, window] of this.windows) if (window.end <= now) this.windows.delete(key);
  }
}

/**
 * Redis's own time in milliseconds, which every API process shares: when a window ends is decided on one
 * clock, never on each process's (docs/architecture.md "Redis hygiene").
 */
const REDIS_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Redis's time now (see REDIS_NOW). */
const NOW = `${REDIS_NOW}
return now`;

/**
 * A window's count and sealed end, and Redis's time. A count an earlier version left under the same
 * name (rate-limiter-flexible's plain string, its window's end in its expiry) is read as a window too, so
 * an upgrade neither fails on it nor forgets what it counted: its end is its expiry.
 */
const GET_WINDOW = `${REDIS_NOW}
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'hash' then
  local v = redis.call('HMGET', KEYS[1], 'n', 'w')
  return {v[1] or '0', v[2] or '', now, -1}
end
if kind == 'string' then
  return {redis.call('GET', KEYS[1]) or '0', '', now, redis.call('PTTL', KEYS[1])}
end
return {'0', '', now, -1}`;

/**
 * Adds to a window's count, opening it (its sealed end, its key's expiry) if none is there; a count left
 * under the same name by an earlier version (a plain string) is carried into the new window, not lost.
 * Returns the count, the sealed end and Redis's time.
 */
const ADD_TO_WINDOW = `${REDIS_NOW}
local kind = redis.call('TYPE', KEYS[1]).ok
local carried = 0
if kind ~= 'hash' and kind ~= 'none' then
  if kind == 'string' then carried = tonumber(redis.call('GET', KEYS[1])) or 0 end
  redis.call('DEL', KEYS[1])
end
if redis.call('HSETNX', KEYS[1], 'w', ARGV[1]) == 1 then redis.call('EXPIREAT', KEYS[1], ARGV[2]) end
local n = redis.call('HINCRBY', KEYS[1], 'n', tonumber(ARGV[3]) + carried)
return {n, redis.call('HGET', KEYS[1], 'w'), now}`;

/** Deletes a window that has ended, if it is still that window (another process may have opened the next). */
const DROP_ENDED_WINDOW = `
if redis.call('HGET', KEYS[1], 'w') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Spends a proof once (docs/architecture.md "Redis hygiene"). KEYS are the spent sets of consecutive
 * clock hours, the last two being the hour the caller read on Redis's clock and the one after (in case
 * the hour turned since), then the set an earlier version named by the hour the proof lapses in. ARGV:
 * the id, the first KEYS hour (epoch hours), and how many hours after its own a set expires. The proof
 * is refused if any of them holds it; else it goes into the set of the hour now on Redis's clock, which
 * is a sorted set of equal scores, so its members are listed in byte order and never in the order they
 * came (Redis 7.2 keeps a small plain set in insertion order, which would place each claim between the
 * others of its hour).
 */
const CLAIM_SPENT = `${REDIS_NOW}
local hour = math.floor(now / 3600000)
local first = tonumber(ARGV[2])
local legacy = KEYS[#KEYS]
for i = 1, #KEYS - 1 do
  if redis.call('TYPE', KEYS[i]).ok == 'zset' and redis.call('ZSCORE', KEYS[i], ARGV[1]) then return 0 end
end
if redis.call('TYPE', legacy).ok == 'set' and redis.call('SISMEMBER', legacy, ARGV[1]) == 1 then return 0 end
local index = hour - first + 1
if index < #KEYS - 2 or index > #KEYS - 1 then return redis.error_reply('CLOCK the hour moved') end
redis.call('ZADD', KEYS[index], 0, ARGV[1])
redis.call('EXPIREAT', KEYS[index], (hour + tonumber(ARGV[3])) * 3600)
return 1`;

/** Windows in Redis, shared by every API process; in memory while Redis is unreachable. */
class RedisWindows implements CountWindows {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly sealing: () => Buffer,
    private readonly duration: number,
    private readonly fallback: MemoryWindows,
    /** Where a failed command is told (to the operators, on the hour: WindowErrors). */
    private readonly errors: (error: unknown) => void,
  ) {}

  /** Redis's time, in milliseconds (REDIS_NOW). */
  private async redisNow(): Promise<number> {
    return Number(await this.redis.eval(NOW, 0));
  }

  async get(key: string): Promise<WindowState | null> {
    if (this.redis.status === 'ready') {
      try {
        const [count, sealed, now, leftover] = (await this.redis.eval(GET_WINDOW, 1, this.key(key))) as [
          string,
          string,
          number,
          number,
        ];
        // A count an earlier version left: its window ends with its key.
        const end = sealed ? this.open(sealed) : leftover > 0 ? now + leftover : 0;
        return end > now ? { count: Number(count), msLeft: end - now } : null;
      } catch (error) {
        // Redis went away mid-command (or answered what it should not): counted in memory below rather
        // than refuse a reporter, and told to the operators on the hour.
        this.errors(error);
      }
    }
    return this.fallback.get(key);
  }

  async add(key: string, points: number, seconds = this.duration): Promise<WindowState> {
    if (this.redis.status === 'ready') {
      try {
        for (let attempt = 0; attempt < 3; attempt++) {
          const opening = await this.redisNow();
          const [count, sealed, now] = (await this.redis.eval(
            ADD_TO_WINDOW,
            1,
            this.key(key),
            this.seal(opening + seconds * 1000),
            windowKeyExpiry(opening, seconds) / 1000,
            points,
          )) as [number, string, number];
          const end = this.open(sealed);
          if (end > now) return { count: Number(count), msLeft: end - now };
          // The window there has ended (its key lives on to its hour): open the next one.
          await this.redis.eval(DROP_ENDED_WINDOW, 1, this.key(key), sealed);
        }
        // Three ended windows in a row: counted here alone for now, and said so in the hourly log.
        this.errors(new Error('ENDED_WINDOWS: a window kept ending as it was opened'));
      } catch (error) {
        // As in get.
        this.errors(error);
      }
    }
    return this.fallback.add(key, points, seconds);
  }

  async set(key: string, count: number, seconds: number): Promise<void> {
    await this.fallback.set(key, count, seconds);
    if (this.redis.status !== 'ready') return;
    try {
      const now = await this.redisNow();
      await this.redis
        .multi()
        .del(this.key(key))
        .hset(this.key(key), 'n', count, 'w', this.seal(now + seconds * 1000))
        .expireat(this.key(key), windowKeyExpiry(now, seconds) / 1000)
        .exec();
    } catch (error) {
      // Kept in memory above.
      this.errors(error);
    }
  }

  async delete(key: string): Promise<void> {
    await this.fallback.delete(key);
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.del(this.key(key));
    } catch {
      // Nothing to undo if Redis is gone.
    }
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  /** The window's end (epoch ms), sealed: the same length for every window. */
  private seal(end: number): string {
    const plain = Buffer.alloc(8);
    plain.writeBigUInt64BE(BigInt(end));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealing(), iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** A sealed end; 0 (ended) for one that does not open (another secret, or not ours). */
  private open(sealedText: string): number {
    try {
      const sealed = Buffer.from(sealedText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.sealing(), sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
      return Number(plain.readBigUInt64BE(0));
    } catch {
      return 0;
    }
  }
}

/**
 * Failed window commands, told to the operators: counted by what failed and logged once an hour, on the
 * hour, never as they happen, since a reporter's attempt is what runs them and a log line's time would
 * place it (docs/architecture.md "Redis hygiene"). The message is Redis's (WRONGTYPE, a lost
 * connection), never a key: keys hold council ids and keyed hashes of receipts.
 */
export class WindowErrors {
  private readonly counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: (message: string) => void) {}

  note(name: string, error: unknown): void {
    const what = `${name}: ${(error instanceof Error ? error.message : String(error)).split(' ')[0]}`;
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), HOUR_MS - (Date.now() % HOUR_MS));
    this.timer.unref();
  }

  /** Logs what failed since the last time, and forgets it. */
  flush(): void {
    this.timer = undefined;
    if (this.counts.size === 0) return;
    const summary = [...this.counts].map(([what, n]) => `${what} ×${n}`).join('; ');
    this.counts.clear();
    this.log(`Rate-limit windows fell back to memory in the past hour: ${summary}`);
  }
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

  async claimSpent(kind: string, id: string, lapsesAt: number, _lifetimeSeconds?: number): Promise<boolean> {
    return this.claimOnce(`${kind}:${id}`, Math.max(1, Math.ceil((lapsesAt - Date.now()) / 1000)));
  }

  async releaseSpent(kind: string, id: string): Promise<void> {
    await this.release(`${kind}:${id}`);
  }

  windows(_name: string, duration: number): CountWindows {
    return new MemoryWindows(duration);
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
  private sealingKey: Buffer | undefined;
  private readonly logger = new Logger('AbuseStore');
  readonly windowErrors = new WindowErrors((message) => this.logger.warn(message));

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.prefix = `${config.redisPrefix}:abuse`;
  }

  windows(name: string, duration: number): CountWindows {
    return new RedisWindows(
      this.redis,
      `${this.prefix}:${name}`,
      () =>
        (this.sealingKey ??= Buffer.from(
          hkdfSync('sha256', this.config.sessionSecret, '', 'nolan/abuse-window/v1', 32),
        )),
      duration,
      new MemoryWindows(duration),
      (error) => this.windowErrors.note(name, error),
    );
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

  /** The set of the proofs of `kind` spent in clock hour `hour` (epoch hours). */
  spentSetKey(kind: string, hour: number): string {
    return `${this.prefix}:${kind}:spent-in-hour:${hour}`;
  }

  /**
   * The spent sets a claim made now may sit in, oldest first: every hour back to the one before the
   * earliest a proof still valid can have been spent in (a clock a little behind Redis's is still
   * covered), the hour now and the next; and the set an earlier version kept it in (see CLAIM_SPENT).
   */
  private spentSets(kind: string, hourNow: number, lapsesAt: number, lifetimeSeconds: number) {
    const back = spentSetHours(lifetimeSeconds);
    const first = hourNow - back;
    const keys: string[] = [];
    for (let hour = first; hour <= hourNow + 1; hour++) keys.push(this.spentSetKey(kind, hour));
    keys.push(`${this.prefix}:${kind}:${spentSetLapse(lapsesAt) / 1000}`);
    return { keys, first, expiresAfter: back };
  }

  private async redisHour(): Promise<number> {
    return Math.floor(Number(await this.redis.eval(NOW, 0)) / HOUR_MS);
  }

  async claimSpent(kind: string, id: string, lapsesAt: number, lifetimeSeconds: number): Promise<boolean> {
    if (this.redis.status === 'ready') {
      try {
        const { keys, first, expiresAfter } = this.spentSets(
          kind,
          await this.redisHour(),
          lapsesAt,
          lifetimeSeconds,
        );
        const added = await this.redis.eval(CLAIM_SPENT, keys.length, ...keys, id, first, expiresAfter);
        return Number(added) === 1;
      } catch {
        // Redis went away mid-command: fall back below rather than refuse a report.
      }
    }
    return this.fallback.claimSpent(kind, id, lapsesAt);
  }

  async releaseSpent(kind: string, id: string, lapsesAt: number, lifetimeSeconds: number): Promise<void> {
    await this.fallback.releaseSpent(kind, id);
    if (this.redis.status !== 'ready') return;
    try {
      const { keys } = this.spentSets(kind, await this.redisHour(), lapsesAt, lifetimeSeconds);
      const multi = this.redis.multi();
      for (const key of keys.slice(0, -1)) multi.zrem(key, id);
      await multi.exec();
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
