import { generateScopeKeyPair } from '@nolan/crypto';
import type Redis from 'ioredis';
import { SealedSessions } from './sealed-sessions';

/** Just enough of ioredis for SealedSessions: strings with a TTL we do not model. */
function fakeRedis() {
  const values = new Map<string, string>();
  const redis = {
    set: jest.fn(async (key: string, value: string) => void values.set(key, value)),
    get: jest.fn(async (key: string) => values.get(key) ?? null),
    expire: jest.fn(async () => 1),
    del: jest.fn(async (key: string) => Number(values.delete(key))),
  };
  return { redis: redis as unknown as Redis, values };
}

const META = {
  tenantId: '0b9f4c52-6a43-4bb1-9d0c-1f6a4f3f2a10',
  caseId: 'c4a4d5a8-8c0e-4d7e-9d53-0d1b2f8e6a33',
};

describe(SealedSessions.name, () => {
  it('with sealMeta keeps neither the metadata nor the start time readable, and still resolves them', async () => {
    const { redis, values } = fakeRedis();
    const sessions = new SealedSessions<typeof META>(redis, 'reporter-session', 900, 7200, {
      sealMeta: true,
    });
    const key = await generateScopeKeyPair('report');
    const { sessionId, token } = await sessions.create(META, key.privateKey);
    const stored = values.get(`reporter-session:${sessionId}`) ?? '';
    expect(stored).not.toContain(META.caseId);
    expect(stored).not.toContain(META.tenantId);
    expect(Object.keys(JSON.parse(stored)).sort()).toEqual(['sealedKey', 'sealedMeta', 'secretHash']);
    const resolved = await sessions.resolve(token);
    expect(resolved?.meta).toEqual(META);
    expect((await sessions.unlockedKey(resolved!))?.serialize()).toEqual(key.privateKey);
    // A forged secret opens nothing.
    expect(await sessions.resolve(`${sessionId}.${'A'.repeat(43)}`)).toBeNull();
  });

  it('reseals the metadata with the token’s secret, still unreadable, keeping the key', async () => {
    const { redis, values } = fakeRedis();
    const sessions = new SealedSessions<typeof META & { lock?: string }>(
      redis,
      'reporter-session',
      900,
      7200,
      {
        sealMeta: true,
      },
    );
    const key = await generateScopeKeyPair('report');
    const { sessionId, token } = await sessions.create({ ...META, lock: 'old-lock' }, key.privateKey);
    const resolved = await sessions.resolve(token);
    await sessions.resealMeta(resolved!, { ...META, lock: 'new-lock' });
    const stored = values.get(`reporter-session:${sessionId}`) ?? '';
    expect(stored).not.toContain('new-lock');
    expect(stored).not.toContain(META.caseId);
    const again = await sessions.resolve(token);
    expect(again?.meta).toEqual({ ...META, lock: 'new-lock' });
    expect((await sessions.unlockedKey(again!))?.serialize()).toEqual(key.privateKey);
    // A session already gone is left gone.
    await sessions.destroy(sessionId);
    await sessions.resealMeta(resolved!, META);
    expect(values.has(`reporter-session:${sessionId}`)).toBe(false);
  });

  it('with sealMeta still ends a session at its absolute limit', async () => {
    const { redis } = fakeRedis();
    const sessions = new SealedSessions<typeof META>(redis, 'reporter-session', 900, 7200, {
      sealMeta: true,
    });
    const { token } = await sessions.create(META, (await generateScopeKeyPair('report')).privateKey);
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 7201 * 1000);
    try {
      expect(await sessions.resolve(token)).toBeNull();
    } finally {
      now.mockRestore();
    }
  });

  it('with sealMeta ends a session 15 idle minutes after its sealed last use, and expires it in Redis on the hour', async () => {
    const { redis } = fakeRedis();
    let now = Date.UTC(2026, 11, 6, 10, 50);
    const sessions = new SealedSessions<typeof META>(redis, 'reporter-session', 900, 7200, {
      sealMeta: true,
      now: () => now,
    });
    const { token } = await sessions.create(META, (await generateScopeKeyPair('report')).privateKey);
    // Redis is told an hour boundary (EXAT, seconds), never a time counted from the use.
    for (const call of (redis.set as jest.Mock).mock.calls) {
      expect(call[2]).toBe('EXAT');
      expect((call[3] as number) % 3600).toBe(0);
    }
    now += 14 * 60_000;
    expect((await sessions.resolve(token))?.meta).toEqual(META);
    now += 14 * 60_000; // 28 minutes after sign-in, 14 after the last use
    expect((await sessions.resolve(token))?.meta).toEqual(META);
    now += 15 * 60_000;
    expect(await sessions.resolve(token)).toBeNull();
    expect(redis.del).toHaveBeenCalled();
  });

  it('with sealMeta keeps the idle limit on a session whose metadata was resealed (a replaced receipt)', async () => {
    const { redis } = fakeRedis();
    let now = Date.UTC(2026, 11, 6, 10, 50);
    const sessions = new SealedSessions<typeof META & { lock?: string }>(
      redis,
      'reporter-session',
      900,
      7200,
      {
        sealMeta: true,
        now: () => now,
      },
    );
    const { token } = await sessions.create(
      { ...META, lock: 'old-lock' },
      (await generateScopeKeyPair('report')).privateKey,
    );
    now += 5 * 60_000;
    const resolved = await sessions.resolve(token);
    await sessions.resealMeta(resolved!, { ...META, lock: 'new-lock' });
    now += 14 * 60_000; // 14 minutes after the last use
    expect((await sessions.resolve(token))?.meta).toEqual({ ...META, lock: 'new-lock' });
    await sessions.resealMeta(resolved!, { ...META, lock: 'newer-lock' });
    now += 15 * 60_000; // 15 idle minutes after the last use
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('without it (staff sessions) keeps the metadata readable, for ending a person’s sessions', async () => {
    const { redis, values } = fakeRedis();
    const sessions = new SealedSessions<typeof META>(redis, 'session', 900, 7200);
    const { sessionId } = await sessions.create(META, (await generateScopeKeyPair('report')).privateKey);
    expect(JSON.parse(values.get(`session:${sessionId}`) ?? '{}').meta).toEqual(META);
  });
});
