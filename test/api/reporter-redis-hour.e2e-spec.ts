/**
 * Issue #14, Redis (docs/architecture.md "Reporter time", "Redis hygiene"): what a reporter's actions
 * leave in Redis says no more than the hour, in its values and in its expiry. The proof of work a
 * reporter spends is kept in the set of the clock hour it is spent in, expiring on an hour fixed by that
 * hour alone (never by when the challenge was issued or lapses); a reporter's session expires in Redis on an hour
 * boundary and ends after 15 idle minutes by the time of last use sealed inside it.
 */
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import request from 'supertest';
import { ProofOfWorkService } from '../../apps/api/src/abuse/proof-of-work.service';
import { ReporterKeysTouched } from '../../apps/api/src/reporter/reporter-keys-touched';
import { Clock } from '../../apps/api/src/sla/clock';
import { startApiCapturingLogs } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';
import { MovableClock } from '../support/movable-clock';
import { TEST_ENV } from '../support/test-env';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('reporter time in Redis: nothing finer than the hour', () => {
  const clock = new MovableClock();
  const redis = new Redis(TEST_ENV.REDIS_URL);
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let receipt: string;
  const original = process.env.REPORTER_BATCHING;
  const server = () => app.getHttpServer();

  beforeAll(async () => {
    process.env.REPORTER_BATCHING = 'on';
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('rhour');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    app = (await startApiCapturingLogs((builder) => builder.overrideProvider(Clock).useValue(clock))).app;
  });
  afterAll(async () => {
    process.env.REPORTER_BATCHING = original;
    await app?.close();
    await fixtures?.close();
    redis.disconnect();
  });

  it('leaves every key a report, a sign-in and a message touch expiring on an hour, and spends each proof once', async () => {
    // What earlier suites left in this worker's Redis database, with its expiry: a key these actions did
    // not make or re-expire is not theirs.
    const expiryOf = async (key: string) => Number(await redis.call('PEXPIRETIME', key));
    const before = new Map<string, number>();
    for (const key of await redis.keys('*')) before.set(key, await expiryOf(key));
    const altcha = await solvedAltcha(server(), tenant.slug);
    const report = (whatHappened: string) =>
      request(server())
        .post(`/api/v1/tenants/${tenant.slug}/reports`)
        .send({
          category: 'gifts_hospitality',
          answers: { whatHappened, howYouKnow: 'saw_it', raisedBefore: 'no' },
          altcha,
        });
    receipt = (await report('Tickets from a bidder').expect(201)).body.receipt as string;
    // The same solution again is refused: the hour's set remembers it.
    const replay = await report('Again').expect(400);
    expect(JSON.stringify(replay.body)).toContain('altcha has already been used');

    const token = await signInWithReceipt(server(), tenant.slug, receipt);
    await request(server())
      .post('/api/v1/reporter/case/messages')
      .auth(token, { type: 'bearer' })
      .field('text', 'The tickets were for the final.')
      .expect(201);

    // The spent challenge lives in the set of the clock hour it was spent in.
    const { signature } = JSON.parse(Buffer.from(altcha, 'base64').toString('utf8')) as {
      signature: string;
    };
    const spentSet = `${TEST_ENV.REDIS_PREFIX}:abuse:altcha-used:spent-in-hour:${Math.floor(Date.now() / HOUR)}`;
    expect(await redis.zscore(spentSet, signature)).toBe('0');
    expect(await redis.exists(`${TEST_ENV.REDIS_PREFIX}:abuse:altcha-used:${signature}`)).toBe(0);

    // Every key these actions made or touched, of every type (BullMQ's hashes, lists and sorted sets
    // included), expires on an hour boundary or not at all. The worker's own housekeeping (the system
    // queue, its heartbeat) runs on its own timers, whatever reporters do, and runs in no process here.
    const expiries: string[] = [];
    for (const key of await redis.keys('*')) {
      if (/worker-heartbeat|bull:system:/.test(key)) continue;
      const expiresAt = await expiryOf(key);
      if (before.get(key) === expiresAt) continue;
      if (expiresAt > 0 && expiresAt % HOUR !== 0) {
        expiries.push(
          `${key} (${await redis.type(key)}, ${before.has(key) ? 'touched' : 'new'}) expires ${new Date(expiresAt).toISOString()}`,
        );
      }
    }
    expect(expiries).toEqual([]);

    // The session's entry: sealed fields only, expiring at the end of the hour after its last use.
    const sessionKey = `${TEST_ENV.REDIS_PREFIX}:reporter-session:${token.split('.')[0]}`;
    expect(Object.keys(JSON.parse((await redis.get(sessionKey))!)).sort()).toEqual([
      'sealedKey',
      'sealedMeta',
      'secretHash',
    ]);
    expect(Number(await redis.call('PEXPIRETIME', sessionKey))).toBe(
      (Math.floor(Date.now() / HOUR) + 2) * HOUR,
    );
  });

  it('keeps each spent proof in the set of the clock hour it is spent in, whenever its challenge was issued', async () => {
    const pow = app.get(ProofOfWorkService);
    const spentOf = (altcha: string) =>
      JSON.parse(Buffer.from(altcha, 'base64').toString('utf8')) as { signature: string; salt: string };
    const lapsesOf = (altcha: string) => Number(/expires=(\d+)/.exec(spentOf(altcha).salt)![1]) * 1000;
    // One challenge fetched now, one from a process whose clock runs an hour ahead: they lapse in
    // different hours (an hour apart), and both are spent now, in this clock hour.
    const early = await solvedAltcha(server(), tenant.slug);
    const real = Date.now.bind(Date);
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => real() + HOUR);
    let later: string;
    try {
      later = await solvedAltcha(server(), tenant.slug);
    } finally {
      ahead.mockRestore();
    }
    expect(Math.ceil(lapsesOf(later) / HOUR)).toBe(Math.ceil(lapsesOf(early) / HOUR) + 1);

    const hour = Math.floor(Date.now() / HOUR);
    await pow.verifyOnce(early, tenant.slug, 'submission');
    await pow.verifyOnce(later, tenant.slug, 'submission');
    // Both spent proofs went into one key, whose expiry is fixed by the clock hour they were spent in:
    // nothing of it says when either challenge was issued or lapses.
    const mine = [spentOf(early).signature, spentOf(later).signature];
    const holding: [string, number][] = [];
    for (const key of await redis.keys(`${TEST_ENV.REDIS_PREFIX}:abuse:*`)) {
      const type = await redis.type(key);
      const members =
        type === 'zset' ? await redis.zrange(key, 0, -1) : type === 'set' ? await redis.smembers(key) : [];
      if (members.some((m) => mine.includes(m)))
        holding.push([key, Number(await redis.call('PEXPIRETIME', key))]);
    }
    expect(holding).toEqual([
      [`${TEST_ENV.REDIS_PREFIX}:abuse:altcha-used:spent-in-hour:${hour}`, (hour + 2) * HOUR],
    ]);
    const [key] = holding[0]!;
    // Its members are listed in byte order, never in the order they were spent.
    expect(await redis.type(key)).toBe('zset');
    const members = await redis.zrange(key, 0, -1, 'WITHSCORES');
    expect(members.filter((m) => mine.includes(m))).toEqual([...mine].sort());
    expect(new Set(members.filter((_m, i) => i % 2 === 1))).toEqual(new Set(['0']));
    // And each is refused again for the whole of its life: spent in this hour, in the hour before (its
    // set still there into the next), or by an earlier version (in the set of the hour it lapses in).
    const used = {
      message: 'altcha has already been used; each solution works once. Fetch a new challenge.',
    };
    for (const altcha of [early, later]) {
      await expect(pow.verifyOnce(altcha, tenant.slug, 'submission')).rejects.toMatchObject(used);
    }
    const lastHour = await solvedAltcha(server(), tenant.slug);
    const lastHourSet = `${TEST_ENV.REDIS_PREFIX}:abuse:altcha-used:spent-in-hour:${hour - 1}`;
    await redis.zadd(lastHourSet, 0, spentOf(lastHour).signature);
    await redis.expireat(lastHourSet, ((hour + 1) * HOUR) / 1000);
    await expect(pow.verifyOnce(lastHour, tenant.slug, 'submission')).rejects.toMatchObject(used);
    const beforeUpgrade = await solvedAltcha(server(), tenant.slug);
    const legacy = `${TEST_ENV.REDIS_PREFIX}:abuse:altcha-used:${Math.ceil(lapsesOf(beforeUpgrade) / HOUR) * (HOUR / 1000)}`;
    await redis.sadd(legacy, spentOf(beforeUpgrade).signature);
    await redis.expireat(legacy, Math.ceil(lapsesOf(beforeUpgrade) / HOUR) * (HOUR / 1000));
    await expect(pow.verifyOnce(beforeUpgrade, tenant.slug, 'submission')).rejects.toMatchObject(used);
  });

  it('counts a mistyped receipt’s failures in the clock hour, so their key expires with the hour', async () => {
    await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
      .send({
        receipt: 'apple banana cherry damson elder fig grape',
        altcha: await solvedAltcha(server(), tenant.slug, 'reporter-session'),
      })
      .expect(401);
    const keys = await redis.keys(`${TEST_ENV.REDIS_PREFIX}:abuse:receipt-failures-key:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key.endsWith(`:${Math.floor(Date.now() / HOUR)}`)).toBe(true);
      // (counted in whole seconds by the rate limiter: the hour's end, give or take a second or two)
      expect(Number(await redis.call('PEXPIRETIME', key)) % HOUR).toBeLessThan(5000);
    }
  });

  it('leaves no key a reporter’s action wrote saying when it was last used, once the minute’s touch has run', async () => {
    const token = await signInWithReceipt(server(), tenant.slug, receipt);
    await request(server()).get('/api/v1/reporter/case').auth(token, { type: 'bearer' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const idleTimes = async () => {
      const idle = new Map<string, number>();
      for (const space of ['abuse', 'reporter-session'])
        for (const key of await redis.keys(`${TEST_ENV.REDIS_PREFIX}:${space}:*`))
          idle.set(key, Number(await redis.call('OBJECT', 'IDLETIME', key)));
      return idle;
    };
    // Redis says, to the second, when each was last written: the session two seconds ago.
    const sessionKey = `${TEST_ENV.REDIS_PREFIX}:reporter-session:${token.split('.')[0]}`;
    expect((await idleTimes()).get(sessionKey)).toBeGreaterThanOrEqual(2);
    // The API's touch, once a minute, leaves every such key saying only when it ran.
    expect(await app.get(ReporterKeysTouched).touchAll()).toBeGreaterThan(0);
    const after = await idleTimes();
    expect(after.size).toBeGreaterThan(1);
    expect([...after].filter(([, seconds]) => seconds > 1)).toEqual([]);
  });

  it('ends a reporter’s session after 15 idle minutes, and keeps it while it is used', async () => {
    const token = await signInWithReceipt(server(), tenant.slug, receipt);
    const read = () => request(server()).get('/api/v1/reporter/case').auth(token, { type: 'bearer' });
    clock.advance(10 * MINUTE);
    await read().expect(200);
    clock.advance(14 * MINUTE); // 24 minutes after signing in, 14 after its last use
    await read().expect(200);
    clock.advance(15 * MINUTE + 1000); // 15 minutes and a second idle
    await read().expect(401);
    // Ended for good: the entry is gone, and it stays refused.
    expect(await redis.exists(`${TEST_ENV.REDIS_PREFIX}:reporter-session:${token.split('.')[0]}`)).toBe(0);
    clock.advance(-30 * MINUTE);
    await read().expect(401);
  });
});
