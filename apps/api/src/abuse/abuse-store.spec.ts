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
