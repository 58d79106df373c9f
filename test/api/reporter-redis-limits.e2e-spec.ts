/**
 * Issue #14, the limits a reporter's attempts consume (docs/architecture.md "Redis hygiene"): a wrong
 * receipt counts against its own key, against the council's minute and, at the twentieth in a minute,
 * starts the council's cool-down; a report sent without JavaScript spends the council's hourly
 * allowance. Each is a window that runs from its first point, so a key expiring with its window would
 * say to the second when someone first mistyped a receipt or reported without JavaScript. Here every key
 * these attempts make or touch expires on an hour boundary that follows from nothing finer than the clock
 * hour, holds no time in clear, and the limits still hold as strongly as before (the same counts, the
 * same cool-down, the same hour from the first ticket).
 */
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import request from 'supertest';
import { ABUSE_OPTIONS, DEFAULT_ABUSE_OPTIONS } from '../../apps/api/src/abuse/abuse-options';
import { ReceiptSignInThrottle } from '../../apps/api/src/abuse/receipt-throttle';
import { startApiCapturingLogs } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const HOUR = 3_600_000;

describe('reporter time in Redis: the limits a reporter’s attempts consume', () => {
  const redis = new Redis(TEST_ENV.REDIS_URL);
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  const server = () => app.getHttpServer();

  beforeAll(async () => {
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('rlimit');
    other = await fixtures.tenant('rlimit2');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    app = (
      await startApiCapturingLogs((builder) =>
        builder
          .overrideProvider(ABUSE_OPTIONS)
          .useValue({ ...DEFAULT_ABUSE_OPTIONS, waitSeconds: 1, waitTicketsPerHour: 2 }),
      )
    ).app;
  });
  afterAll(async () => {
    await app?.close();
    await fixtures?.close();
    redis.disconnect();
  });

  it('keeps every window a wrong receipt or a no-JavaScript report touches expiring on an hour, its times sealed', async () => {
    const expiryOf = async (key: string) => Number(await redis.call('PEXPIRETIME', key));
    const before = new Map<string, number>();
    for (const key of await redis.keys('*')) before.set(key, await expiryOf(key));
    const openedIn = Math.floor(Date.now() / HOUR);

    // A report from a browser without JavaScript: a wait ticket, redeemed after the wait.
    const ticket = await request(server())
      .get(`/api/v1/tenants/${tenant.slug}/challenge?mode=wait&purpose=submission`)
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
        waitTicket: ticket.body.waitTicket,
      })
      .expect(201);
    // A mistyped receipt.
    await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
      .send({
        receipt: 'apple banana cherry damson elder fig grape',
        altcha: await solvedAltcha(server(), tenant.slug, 'reporter-session'),
      })
      .expect(401);
    // Twenty wrong receipts in another council's minute: its cool-down starts, for exactly a minute.
    const throttle = app.get(ReceiptSignInThrottle);
    for (let i = 0; i < 20; i++) await throttle.recordFailure(other.id, `wrong-lookup-${i}`);
    await expect(throttle.assertAllowed(other.id, 'any-lookup')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 60,
    });

    const prefix = `${TEST_ENV.REDIS_PREFIX}:abuse:`;
    const touched: string[] = [];
    for (const key of await redis.keys(`${prefix}*`)) {
      if (before.get(key) !== (await expiryOf(key))) touched.push(key);
    }
    // (The spent ticket's hour set is there too, already proved on the hour by reporter-redis-hour.)
    const kinds = touched.map((key) => key.slice(prefix.length).split(':')[0]!);
    for (const kind of [
      'no-js-budget',
      'receipt-failures-key',
      'receipt-failures-tenant',
      'receipt-cool-downs',
      'receipt-cooling-down',
    ]) {
      expect(kinds).toContain(kind);
    }

    // Each expires on an hour, no later than the end of the hour after the next: an expiry that follows
    // from the clock hour the window opened in, never from the second its first point came.
    const offHour: string[] = [];
    for (const key of touched) {
      const expiresAt = await expiryOf(key);
      if (expiresAt <= 0 || expiresAt % HOUR !== 0 || expiresAt > (openedIn + 3) * HOUR) {
        offHour.push(`${key} expires ${expiresAt > 0 ? new Date(expiresAt).toISOString() : expiresAt}`);
      }
    }
    expect(offHour).toEqual([]);

    // And no value holds a time: no number near now, in seconds or milliseconds.
    const now = Date.now();
    const times: string[] = [];
    for (const key of touched) {
      const type = await redis.type(key);
      const values =
        type === 'hash'
          ? Object.values(await redis.hgetall(key))
          : type === 'set'
            ? await redis.smembers(key)
            : type === 'zset'
              ? await redis.zrange(key, 0, -1, 'WITHSCORES')
              : [(await redis.get(key)) ?? ''];
      for (const value of values) {
        for (const found of value.match(/\d{9,}/g) ?? []) {
          const n = Number(found);
          if (Math.abs(n - now) < 3 * HOUR || Math.abs(n * 1000 - now) < 3 * HOUR)
            times.push(`${key}: ${value}`);
        }
      }
    }
    expect(times).toEqual([]);
  });

  it('keeps the limits as strong: the hour from the first ticket, and a cool-down that doubles', async () => {
    // The second ticket of the hour is the last (two an hour here); the third is refused for an hour.
    const tickets: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await request(server())
        .get(`/api/v1/tenants/${tenant.slug}/challenge?mode=wait&purpose=submission`)
        .expect(200);
      tickets.push(res.body.waitTicket as string);
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const report = (waitTicket: string) =>
      request(server())
        .post(`/api/v1/tenants/${tenant.slug}/reports`)
        .send({
          category: 'gifts_hospitality',
          answers: { whatHappened: 'A car on loan', howYouKnow: 'saw_it', raisedBefore: 'no' },
          waitTicket,
        });
    await report(tickets[0]!).expect(201);
    const refused = await report(tickets[1]!).expect(429);
    // From the first ticket of the previous test, seconds ago: the rest of that hour, not the clock's.
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);

    // The council's second cool-down within the hour lasts twice as long.
    const throttle = app.get(ReceiptSignInThrottle);
    await redis.del(`${TEST_ENV.REDIS_PREFIX}:abuse:receipt-cooling-down:${other.id}`);
    for (let i = 0; i < 20; i++) await throttle.recordFailure(other.id, `wrong-again-${i}`);
    await expect(throttle.assertAllowed(other.id, 'any-lookup')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 120,
    });
  });

  it('answers a spent allowance or a pause with its whole length, never what is left of someone else’s window', async () => {
    // The allowance was spent by the tests above, seconds ago: the answer names the whole hour all the same.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const spent = await request(server())
      .get(`/api/v1/tenants/${tenant.slug}/challenge?mode=wait&purpose=submission`)
      .expect(429);
    expect(spent.headers['retry-after']).toBe('3600');
    expect(spent.body.message).toContain('try again in 60 minutes');
    // The second cool-down in a row (2 minutes) began above: a second on, still its whole length.
    await expect(app.get(ReceiptSignInThrottle).assertAllowed(other.id, 'any-lookup')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 120,
    });
  });
});
