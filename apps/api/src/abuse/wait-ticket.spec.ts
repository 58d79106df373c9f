import type { AppConfig } from '../config/config';
import { type AbuseOptions, DEFAULT_ABUSE_OPTIONS } from './abuse-options';
import { MemoryAbuseStore } from './abuse-store';
import { WaitTicketService } from './wait-ticket';

const config = { sessionSecret: 's'.repeat(40), redisPrefix: 'unit' } as AppConfig;
const TENANT = '7d1f0c3e-0000-4000-8000-000000000001';
const OTHER_TENANT = '7d1f0c3e-0000-4000-8000-000000000002';

function setup(overrides: Partial<AbuseOptions> = {}, secret = config.sessionSecret) {
  return new WaitTicketService({ ...config, sessionSecret: secret }, new MemoryAbuseStore(), {
    ...DEFAULT_ABUSE_OPTIONS,
    ...overrides,
  });
}

const invalid = (message: string) => expect.objectContaining({ code: 'INVALID_INPUT', message });
const USED = 'waitTicket has already been used; each ticket works once. Fetch a new one.';
const NOT_OURS = 'waitTicket is not a wait ticket this service issued';

describe('WaitTicketService', () => {
  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2026-03-02T09:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
  });
  afterEach(() => jest.useRealTimers());

  it('pins the no-JavaScript allowance that docs/abuse-resistance.md prices', () => {
    expect(DEFAULT_ABUSE_OPTIONS).toMatchObject({
      waitSeconds: 15,
      waitTicketTtlSeconds: 30 * 60,
      waitTicketsPerHour: 30,
    });
  });

  it('refuses a ticket sent too early, saying how long to wait, without using it up', async () => {
    const sut = setup();
    const { waitTicket, waitSeconds } = await sut.issue(TENANT, 'submission');
    expect(waitSeconds).toBe(15);
    jest.advanceTimersByTime(5_500);
    await expect(sut.redeem(waitTicket, TENANT, 'submission')).rejects.toEqual(
      invalid('waitTicket is not ready yet: wait 10 more seconds'),
    );
    jest.advanceTimersByTime(9_000);
    await expect(sut.redeem(waitTicket, TENANT, 'submission')).rejects.toEqual(
      invalid('waitTicket is not ready yet: wait 1 more second'),
    );
    jest.advanceTimersByTime(500);
    await expect(sut.redeem(waitTicket, TENANT, 'submission')).resolves.toBeUndefined();
  });

  it('accepts a ticket once', async () => {
    const sut = setup();
    const { waitTicket } = await sut.issue(TENANT, 'submission');
    jest.advanceTimersByTime(15_000);
    await sut.redeem(waitTicket, TENANT, 'submission');
    await expect(sut.redeem(waitTicket, TENANT, 'submission')).rejects.toEqual(invalid(USED));
  });

  it('accepts a ticket up to 30 minutes after issue, and not after', async () => {
    const sut = setup();
    const first = await sut.issue(TENANT, 'submission');
    const second = await sut.issue(TENANT, 'submission');
    jest.advanceTimersByTime(30 * 60_000 - 1);
    await expect(sut.redeem(first.waitTicket, TENANT, 'submission')).resolves.toBeUndefined();
    jest.advanceTimersByTime(1);
    await expect(sut.redeem(second.waitTicket, TENANT, 'submission')).rejects.toEqual(
      invalid('waitTicket has expired (a ticket lasts 30 minutes); fetch a new one'),
    );
  });

  it('refuses a ticket issued for another council or another purpose', async () => {
    const sut = setup();
    const { waitTicket } = await sut.issue(TENANT, 'submission');
    jest.advanceTimersByTime(15_000);
    const elsewhere = invalid('waitTicket was issued for another council or another form; fetch a new one');
    await expect(sut.redeem(waitTicket, OTHER_TENANT, 'submission')).rejects.toEqual(elsewhere);
    await expect(sut.redeem(waitTicket, TENANT, 'reporter-session')).rejects.toEqual(elsewhere);
    await expect(sut.redeem(waitTicket, TENANT, 'submission')).resolves.toBeUndefined();
  });

  it('refuses a forged, altered or foreign ticket', async () => {
    const sut = setup();
    const { waitTicket } = await sut.issue(TENANT, 'submission');
    const [body, mac] = waitTicket.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    // Backdating the issue time to skip the wait breaks the signature.
    const backdated = Buffer.from(JSON.stringify({ ...claims, iat: claims.iat - 60_000 })).toString(
      'base64url',
    );
    const foreign = (await setup({}, 'x'.repeat(40)).issue(TENANT, 'submission')).waitTicket;
    jest.advanceTimersByTime(15_000);
    for (const ticket of [`${backdated}.${mac}`, `${body}.${'A'.repeat(43)}`, foreign, 'garbage', '']) {
      await expect(sut.redeem(ticket, TENANT, 'submission')).rejects.toEqual(invalid(NOT_OURS));
    }
  });

  describe('the hourly budget of the tenant', () => {
    const SPENT = {
      code: 'TOO_MANY_REQUESTS',
      message:
        'Too many reports are being sent without JavaScript right now. Switch JavaScript on, or try again in 60 minutes.',
      // The hour runs from the first ticket redeemed.
      retryAfterSeconds: 3600,
    };

    it('runs out after waitTicketsPerHour redemptions: 429 with Retry-After, and issuing stops too', async () => {
      const sut = setup({ waitTicketsPerHour: 3 });
      const tickets = await Promise.all([1, 2, 3, 4].map(() => sut.issue(TENANT, 'submission')));
      jest.advanceTimersByTime(15_000);
      for (const { waitTicket } of tickets.slice(0, 3)) await sut.redeem(waitTicket, TENANT, 'submission');
      await expect(sut.redeem(tickets[3].waitTicket, TENANT, 'submission')).rejects.toEqual(
        expect.objectContaining(SPENT),
      );
      // The refused ticket was not used up: it is refused for the budget again, not as a replay.
      await expect(sut.redeem(tickets[3].waitTicket, TENANT, 'submission')).rejects.toEqual(
        expect.objectContaining({ code: 'TOO_MANY_REQUESTS' }),
      );
      // Someone without JavaScript hears it before writing a report, not after.
      await expect(sut.issue(TENANT, 'submission')).rejects.toEqual(expect.objectContaining(SPENT));
      await expect(sut.issue(TENANT, 'reporter-session')).resolves.toBeDefined();
    });

    it('names the whole hour however much of it is left, saying nothing of when the council’s first ticket came', async () => {
      const sut = setup({ waitTicketsPerHour: 1 });
      const [first, second] = await Promise.all([1, 2].map(() => sut.issue(TENANT, 'submission')));
      jest.advanceTimersByTime(15_000);
      await sut.redeem(first.waitTicket, TENANT, 'submission');
      // 20 and then 59 minutes into the hour that ticket opened: the same answer as at its start.
      jest.advanceTimersByTime(20 * 60_000);
      await expect(sut.redeem(second.waitTicket, TENANT, 'submission')).rejects.toEqual(
        expect.objectContaining(SPENT),
      );
      await expect(sut.issue(TENANT, 'submission')).rejects.toEqual(expect.objectContaining(SPENT));
      jest.advanceTimersByTime(39 * 60_000);
      await expect(sut.issue(TENANT, 'submission')).rejects.toEqual(expect.objectContaining(SPENT));
    });

    it('is counted per tenant and per purpose, never per person', async () => {
      const sut = setup({ waitTicketsPerHour: 1 });
      const spent = await sut.issue(TENANT, 'submission');
      const signIn = await sut.issue(TENANT, 'reporter-session');
      const elsewhere = await sut.issue(OTHER_TENANT, 'submission');
      jest.advanceTimersByTime(15_000);
      await sut.redeem(spent.waitTicket, TENANT, 'submission');
      await expect(sut.redeem(signIn.waitTicket, TENANT, 'reporter-session')).resolves.toBeUndefined();
      await expect(sut.redeem(elsewhere.waitTicket, OTHER_TENANT, 'submission')).resolves.toBeUndefined();
      const late = await sut.issue(TENANT, 'reporter-session').catch((e: unknown) => e);
      expect(late).toEqual(
        expect.objectContaining({
          message:
            'Too many people are signing in without JavaScript right now. Switch JavaScript on, or try again in 60 minutes.',
        }),
      );
    });

    it('is not spent by replaying a ticket', async () => {
      const sut = setup({ waitTicketsPerHour: 2 });
      const [first, second] = await Promise.all([1, 2].map(() => sut.issue(TENANT, 'submission')));
      jest.advanceTimersByTime(15_000);
      await sut.redeem(first.waitTicket, TENANT, 'submission');
      for (let i = 0; i < 5; i++) {
        await expect(sut.redeem(first.waitTicket, TENANT, 'submission')).rejects.toEqual(invalid(USED));
      }
      await expect(sut.redeem(second.waitTicket, TENANT, 'submission')).resolves.toBeUndefined();
    });

    it('comes back when the hour is over', async () => {
      const sut = setup({ waitTicketsPerHour: 1 });
      const first = await sut.issue(TENANT, 'submission');
      jest.advanceTimersByTime(15_000);
      await sut.redeem(first.waitTicket, TENANT, 'submission');
      jest.advanceTimersByTime(3600_000);
      const next = await sut.issue(TENANT, 'submission');
      jest.advanceTimersByTime(15_000);
      await expect(sut.redeem(next.waitTicket, TENANT, 'submission')).resolves.toBeUndefined();
    });
  });
});
