import type { AppConfig } from '../config/config';
import { MemoryAbuseStore } from './abuse-store';
import { coolDownSeconds, ReceiptSignInThrottle } from './receipt-throttle';

const config = { sessionSecret: 's'.repeat(40), redisPrefix: 'unit' } as AppConfig;
const TENANT = '7d1f0c3e-0000-4000-8000-000000000001';
const OTHER_TENANT = '7d1f0c3e-0000-4000-8000-000000000002';
/** Stand-ins for the caller's HMAC of a normalised receipt. */
const key = (n: number) => `lookup-${n}`;

const pausedFor = (minutes: string, seconds: number) =>
  expect.objectContaining({
    code: 'TOO_MANY_REQUESTS',
    message:
      'Too many wrong receipts have been tried for this council, so signing in with a receipt is paused ' +
      `for everyone for a short while. Try again in ${minutes}.`,
    retryAfterSeconds: seconds,
  });

async function fail(sut: ReceiptSignInThrottle, times: number, tenantId = TENANT): Promise<void> {
  for (let i = 0; i < times; i++) await sut.recordFailure(tenantId, key(1000 + i));
}

describe('ReceiptSignInThrottle', () => {
  let sut: ReceiptSignInThrottle;
  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2026-03-02T09:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    sut = new ReceiptSignInThrottle(config, new MemoryAbuseStore());
  });
  afterEach(() => jest.useRealTimers());

  describe('per tenant, for everyone', () => {
    it('pauses every receipt sign-in for the council after 20 wrong receipts in a minute', async () => {
      await fail(sut, 19);
      await expect(sut.assertAllowed(TENANT, key(1))).resolves.toBeUndefined();
      await fail(sut, 1);
      await expect(sut.assertAllowed(TENANT, key(1))).rejects.toEqual(pausedFor('1 minute', 60));
      await expect(sut.assertAllowed(TENANT, key(2))).rejects.toEqual(pausedFor('1 minute', 60));
      await expect(sut.assertAllowed(OTHER_TENANT, key(1))).resolves.toBeUndefined();
      jest.advanceTimersByTime(60_000);
      await expect(sut.assertAllowed(TENANT, key(1))).resolves.toBeUndefined();
    });

    it('does not pause for failures spread over more than a minute', async () => {
      await fail(sut, 15);
      jest.advanceTimersByTime(61_000);
      await fail(sut, 15);
      await expect(sut.assertAllowed(TENANT, key(1))).resolves.toBeUndefined();
    });

    it('doubles the pause while failures continue, up to 15 minutes, and forgets after a quiet hour', async () => {
      const pauses: number[] = [];
      for (let round = 0; round < 6; round++) {
        await fail(sut, 20);
        const refusal = await sut
          .assertAllowed(TENANT, key(1))
          .catch((e: { retryAfterSeconds: number }) => e);
        pauses.push((refusal as { retryAfterSeconds: number }).retryAfterSeconds);
        jest.advanceTimersByTime(pauses[round] * 1000);
      }
      expect(pauses).toEqual([60, 120, 240, 480, 900, 900]);
      jest.advanceTimersByTime(3600_000);
      await fail(sut, 20);
      await expect(sut.assertAllowed(TENANT, key(1))).rejects.toEqual(pausedFor('1 minute', 60));
    });

    it('names the whole pause however much of it is left, saying nothing of when the twentieth wrong receipt came', async () => {
      await fail(sut, 20);
      jest.advanceTimersByTime(59_000);
      await expect(sut.assertAllowed(TENANT, key(1))).rejects.toEqual(pausedFor('1 minute', 60));
      jest.advanceTimersByTime(1_000);
      await fail(sut, 20);
      jest.advanceTimersByTime(90_000);
      await expect(sut.assertAllowed(TENANT, key(1))).rejects.toEqual(pausedFor('2 minutes', 120));
      jest.advanceTimersByTime(30_000);
      await expect(sut.assertAllowed(TENANT, key(1))).resolves.toBeUndefined();
    });

    it('is not reset by a right receipt', async () => {
      await fail(sut, 19);
      await sut.recordSuccess(TENANT, key(1));
      await fail(sut, 1);
      await expect(sut.assertAllowed(TENANT, key(1))).rejects.toEqual(pausedFor('1 minute', 60));
    });
  });

  describe('per receipt lookup key', () => {
    const tooMany = (minutes: string, seconds: number) =>
      expect.objectContaining({
        code: 'TOO_MANY_REQUESTS',
        message: `This receipt has been tried too many times. Try again in ${minutes}.`,
        retryAfterSeconds: seconds,
      });

    it('refuses a key after 5 failures in an hour, and only that key', async () => {
      for (let i = 0; i < 4; i++) await sut.recordFailure(TENANT, key(1));
      await expect(sut.assertAllowed(TENANT, key(1))).resolves.toBeUndefined();
      jest.advanceTimersByTime(60_000);
      await sut.recordFailure(TENANT, key(1));
      await expect(sut.assertAllowed(TENANT, key(1))).rejects.toEqual(tooMany('59 minutes', 3540));
      await expect(sut.assertAllowed(TENANT, key(2))).resolves.toBeUndefined();
      await expect(sut.assertAllowed(OTHER_TENANT, key(1))).resolves.toBeUndefined();
      jest.advanceTimersByTime(3540_000);
      await expect(sut.assertAllowed(TENANT, key(1))).resolves.toBeUndefined();
    });

    it('forgets a key’s failures after a right receipt', async () => {
      for (let i = 0; i < 4; i++) await sut.recordFailure(TENANT, key(1));
      await sut.recordSuccess(TENANT, key(1));
      for (let i = 0; i < 4; i++) await sut.recordFailure(TENANT, key(1));
      await expect(sut.assertAllowed(TENANT, key(1))).resolves.toBeUndefined();
    });
  });

  it('grows the pause 1, 2, 4, 8 minutes, then holds at 15', () => {
    expect([1, 2, 3, 4, 5, 6, 100].map(coolDownSeconds)).toEqual([60, 120, 240, 480, 900, 900, 900]);
  });
});
