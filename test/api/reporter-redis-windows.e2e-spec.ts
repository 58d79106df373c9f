/**
 * Issue #14, the count windows in Redis (docs/architecture.md "Redis hygiene"): a count an earlier version
 * left under a window's name (rate-limiter-flexible's plain string) still counts, instead of failing the
 * command and letting the attempt through; and when a window ends is decided on Redis's clock, which
 * every API process shares, never on one process's own.
 */
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import { AbuseStore, WindowErrors } from '../../apps/api/src/abuse/abuse-store';
import { ReceiptSignInThrottle } from '../../apps/api/src/abuse/receipt-throttle';
import { startApiCapturingLogs } from '../support/api-app';
import { StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const HOUR = 3_600_000;

describe('reporter time in Redis: count windows across versions and processes', () => {
  const redis = new Redis(TEST_ENV.REDIS_URL);
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };

  beforeAll(async () => {
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('rwin');
    other = await fixtures.tenant('rwin2');
    app = (await startApiCapturingLogs()).app;
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
    await fixtures?.close();
    redis.disconnect();
  });

  it('keeps a cool-down an earlier version left under the same name, rather than letting the attempt through', async () => {
    // rate-limiter-flexible kept a plain count, its window's end in the key's expiry.
    await redis.set(`${TEST_ENV.REDIS_PREFIX}:abuse:receipt-cooling-down:${tenant.id}`, '1', 'PX', 600_000);
    const throttle = app.get(ReceiptSignInThrottle);
    await expect(throttle.assertAllowed(tenant.id, 'any-lookup')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    // And counting on from it turns it into a window of today's kind, its count carried.
    const windows = app.get(AbuseStore).windows('receipt-failures-tenant', 60);
    await redis.set(`${TEST_ENV.REDIS_PREFIX}:abuse:receipt-failures-tenant:${tenant.id}`, '7', 'PX', 60_000);
    expect((await windows.add(tenant.id, 1)).count).toBe(8);
    expect(await redis.type(`${TEST_ENV.REDIS_PREFIX}:abuse:receipt-failures-tenant:${tenant.id}`)).toBe(
      'hash',
    );
  });

  it('ends a window on Redis’s clock, whatever one API process’s own clock says', async () => {
    const throttle = app.get(ReceiptSignInThrottle);
    for (let i = 0; i < 20; i++) await throttle.recordFailure(other.id, `wrong-${i}`);
    await expect(throttle.assertAllowed(other.id, 'any-lookup')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 60,
    });
    // This process's clock runs two hours fast: the cool-down (a minute, on Redis's clock) still holds.
    const real = Date.now.bind(Date);
    const fast = jest.spyOn(Date, 'now').mockImplementation(() => real() + 2 * HOUR);
    try {
      await expect(throttle.assertAllowed(other.id, 'any-lookup')).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
      });
    } finally {
      fast.mockRestore();
    }
  });

  it('tells the operators of a failed window command on the hour, by its kind, never its key', () => {
    const logged: string[] = [];
    const errors = new WindowErrors((message) => logged.push(message));
    errors.note(
      'receipt-cooling-down',
      new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
    );
    errors.note(
      'receipt-cooling-down',
      new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
    );
    expect(logged).toEqual([]);
    errors.flush();
    expect(logged).toEqual([
      'Rate-limit windows fell back to memory in the past hour: receipt-cooling-down: WRONGTYPE ×2',
    ]);
  });
});
