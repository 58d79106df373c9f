import type Redis from 'ioredis';
import type { AppConfig } from '../config/config';
import { MemoryAbuseStore, RedisAbuseStore, windowKeyExpiry } from './abuse-store';

const config = { redisPrefix: 'unit' } as AppConfig;

describe('MemoryAbuseStore', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('claims a key once until its time is up, or until it is released', async () => {
    const sut = new MemoryAbuseStore();
    expect(await sut.claimOnce('a', 10)).toBe(true);
    expect(await sut.claimOnce('a', 10)).toBe(false);
    expect(await sut.claimOnce('b', 10)).toBe(true);
    await sut.release('b');
    expect(await sut.claimOnce('b', 10)).toBe(true);
    jest.advanceTimersByTime(10_000);
    expect(await sut.claimOnce('a', 10)).toBe(true);
  });
});

describe('RedisAbuseStore', () => {
  it('claims with SET NX EX under the deployment prefix', async () => {
    const redis = { status: 'ready', set: jest.fn().mockResolvedValueOnce('OK').mockResolvedValueOnce(null) };
    const sut = new RedisAbuseStore(redis as unknown as Redis, config);
    expect(await sut.claimOnce('altcha-used:abc', 42)).toBe(true);
    expect(await sut.claimOnce('altcha-used:abc', 42)).toBe(false);
    expect(redis.set).toHaveBeenCalledWith('unit:abuse:altcha-used:abc', '1', 'EX', 42, 'NX');
  });

  it('keeps single use within this process while Redis is unreachable, rather than refusing reports', async () => {
    const redis = { status: 'reconnecting', set: jest.fn(), del: jest.fn() };
    const sut = new RedisAbuseStore(redis as unknown as Redis, config);
    expect(await sut.claimOnce('k', 60)).toBe(true);
    expect(await sut.claimOnce('k', 60)).toBe(false);
    expect(redis.set).not.toHaveBeenCalled();

    const failing = { status: 'ready', set: jest.fn().mockRejectedValue(new Error('Connection is closed.')) };
    const fallsBack = new RedisAbuseStore(failing as unknown as Redis, config);
    expect(await fallsBack.claimOnce('k', 60)).toBe(true);
    expect(await fallsBack.claimOnce('k', 60)).toBe(false);
  });

  it('counts in memory while Redis is unreachable', async () => {
    const redis = { status: 'reconnecting' };
    const limiter = new RedisAbuseStore(redis as unknown as Redis, config).limiter({
      name: 'test',
      points: 2,
      duration: 60,
    });
    await limiter.consume('tenant');
    await limiter.consume('tenant');
    await expect(limiter.consume('tenant')).rejects.toMatchObject({ remainingPoints: 0 });
  });
});

describe('windowKeyExpiry', () => {
  const at = (iso: string) => new Date(iso).getTime();

  it('expires a window’s key on the hour, by the clock hour it opened in and never before it ends', () => {
    // A minute's window opened at the start or the last second of 09:00–10:00: the same expiry, 11:00.
    expect(windowKeyExpiry(at('2026-03-02T09:00:00Z'), 60)).toBe(at('2026-03-02T11:00:00Z'));
    expect(windowKeyExpiry(at('2026-03-02T09:59:59.999Z'), 60)).toBe(at('2026-03-02T11:00:00Z'));
    // An hour's window (an allowance, a cool-down's memory) opened at 09:59:59 ends before 11:00.
    expect(windowKeyExpiry(at('2026-03-02T09:59:59Z'), 3600)).toBe(at('2026-03-02T11:00:00Z'));
    // Longer windows take as many more whole hours as they need.
    expect(windowKeyExpiry(at('2026-03-02T09:30:00Z'), 2 * 3600)).toBe(at('2026-03-02T12:00:00Z'));
  });
});

describe('RedisAbuseStore windows', () => {
  it('count in memory while Redis is unreachable, the window running from its first point', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z') });
    try {
      const redis = { status: 'reconnecting', eval: jest.fn(), hmget: jest.fn() };
      const sut = new RedisAbuseStore(redis as unknown as Redis, config).windows('test', 60);
      expect(await sut.add('tenant', 1)).toEqual({ count: 1, msLeft: 60_000 });
      jest.advanceTimersByTime(30_000);
      expect(await sut.add('tenant', 1)).toEqual({ count: 2, msLeft: 30_000 });
      jest.advanceTimersByTime(30_000);
      expect(await sut.get('tenant')).toBeNull();
      expect(redis.eval).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});
