import type Redis from 'ioredis';
import type { AppConfig } from '../config/config';
import { MemoryAbuseStore, RedisAbuseStore } from './abuse-store';

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
  it('claims with SET NX under the deployment prefix, expiring at the top of an hour at least that long ahead', async () => {
    const redis = { status: 'ready', set: jest.fn().mockResolvedValueOnce('OK').mockResolvedValueOnce(null) };
    const sut = new RedisAbuseStore(redis as unknown as Redis, config);
    const now = Math.floor(Date.now() / 1000);
    expect(await sut.claimOnce('altcha-used:abc', 42)).toBe(true);
    expect(await sut.claimOnce('altcha-used:abc', 42)).toBe(false);
    // An expiry counted from the claim would say when a report was sent (issue #14).
    expect(redis.set).toHaveBeenCalledWith(
      'unit:abuse:altcha-used:abc',
      '1',
      'EXAT',
      expect.any(Number),
      'NX',
    );
    const expiresAt = redis.set.mock.calls[0][3] as number;
    expect(expiresAt % 3600).toBe(0);
    expect(expiresAt).toBeGreaterThanOrEqual(now + 42);
    expect(expiresAt).toBeLessThanOrEqual(now + 42 + 3600);
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
