import { solveChallenge } from 'altcha-lib';
import type { AppConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import type { TenantsRepository } from '../tenants/tenants.repository';
import { type AbuseOptions, DEFAULT_ABUSE_OPTIONS } from './abuse-options';
import { MemoryAbuseStore } from './abuse-store';
import { type AltchaChallenge, ProofOfWorkService } from './proof-of-work.service';
import { WaitTicketService } from './wait-ticket';

const config = { sessionSecret: 's'.repeat(40), redisPrefix: 'unit' } as AppConfig;
// Small enough that solving in a test takes milliseconds; the real difficulty is pinned below.
const options: AbuseOptions = { ...DEFAULT_ABUSE_OPTIONS, powMaxNumber: 500 };
const DEMO = { id: '7d1f0c3e-0000-4000-8000-000000000001', slug: 'demo' };

function setup(secret = config.sessionSecret) {
  const store = new MemoryAbuseStore();
  const tenants = {
    requireBySlug: jest.fn(async (slug: string) => {
      if (slug !== DEMO.slug) throw new AppError('NOT_FOUND', 'There is no council at this address.');
      return DEMO;
    }),
  } as unknown as TenantsRepository;
  const withSecret = { ...config, sessionSecret: secret };
  const waitTickets = new WaitTicketService(withSecret, store, options);
  const sut = new ProofOfWorkService(withSecret, store, waitTickets, tenants, options);
  return { sut, waitTickets };
}

/** What the ALTCHA widget does in the browser: find the number, send back base64 JSON. */
async function solve(challenge: AltchaChallenge): Promise<string> {
  const found = await solveChallenge(
    challenge.challenge,
    challenge.salt,
    challenge.algorithm,
    challenge.maxnumber,
  ).promise;
  if (!found) throw new Error('no solution found');
  return encode({ ...challenge, number: found.number });
}

function encode(payload: object): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

function decode(payload: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
}

const invalid = (message: string | RegExp) =>
  expect.objectContaining({
    code: 'INVALID_INPUT',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

const REPLAYED = 'altcha has already been used; each solution works once. Fetch a new challenge.';
const ELSEWHERE = 'altcha was solved for another council or another form; fetch a new challenge';
const WRONG = 'altcha does not verify: the solution is wrong or the challenge was not issued here';
const UNREADABLE =
  'altcha is not an ALTCHA solution (base64 of JSON with algorithm, challenge, number, salt and signature)';

describe('ProofOfWorkService', () => {
  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2026-03-02T09:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
  });
  afterEach(() => jest.useRealTimers());

  it('pins the production difficulty that docs/abuse-resistance.md prices', () => {
    // 150,000 gives ~0.7 s in a browser; changing it changes every cost in the document.
    expect(DEFAULT_ABUSE_OPTIONS.powMaxNumber).toBe(150_000);
    expect(DEFAULT_ABUSE_OPTIONS.challengeTtlSeconds).toBe(600);
  });

  it('issues an ALTCHA challenge bound to the council and purpose, expiring in 10 minutes', async () => {
    const { sut } = setup();
    const challenge = await sut.createChallenge('demo', 'submission');
    expect(Object.keys(challenge).sort()).toEqual([
      'algorithm',
      'challenge',
      'maxnumber',
      'salt',
      'signature',
    ]);
    expect(challenge).toMatchObject({
      algorithm: 'SHA-256',
      maxnumber: 500,
      challenge: expect.stringMatching(/^[0-9a-f]{64}$/),
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const params = new URLSearchParams(challenge.salt.split('?')[1]);
    expect(params.get('tenant')).toBe('demo');
    expect(params.get('purpose')).toBe('submission');
    expect(Number(params.get('expires'))).toBe(Date.parse('2026-03-02T09:10:00Z') / 1000);
    const other = await sut.createChallenge('demo', 'submission');
    expect(other.salt).not.toBe(challenge.salt);
  });

  it('accepts a valid solution once and refuses the replay', async () => {
    const { sut } = setup();
    const payload = await solve(await sut.createChallenge('demo', 'submission'));
    await expect(sut.verifyOnce(payload, 'demo', 'submission')).resolves.toBeUndefined();
    await expect(sut.verifyOnce(payload, 'demo', 'submission')).rejects.toEqual(invalid(REPLAYED));
  });

  it('refuses a solution made for another council or another purpose', async () => {
    const { sut } = setup();
    const forOther = await solve(await sut.createChallenge('other', 'submission'));
    await expect(sut.verifyOnce(forOther, 'demo', 'submission')).rejects.toEqual(invalid(ELSEWHERE));
    const forSignIn = await solve(await sut.createChallenge('demo', 'reporter-session'));
    await expect(sut.verifyOnce(forSignIn, 'demo', 'submission')).rejects.toEqual(invalid(ELSEWHERE));
    // Refused without being used up: it still works where it belongs.
    await expect(sut.verifyOnce(forSignIn, 'demo', 'reporter-session')).resolves.toBeUndefined();
  });

  it('accepts a solution until the challenge expires, and not after', async () => {
    const { sut } = setup();
    const early = await solve(await sut.createChallenge('demo', 'submission'));
    const late = await solve(await sut.createChallenge('demo', 'submission'));
    jest.advanceTimersByTime(10 * 60_000 - 1000);
    await expect(sut.verifyOnce(early, 'demo', 'submission')).resolves.toBeUndefined();
    jest.advanceTimersByTime(1000);
    await expect(sut.verifyOnce(late, 'demo', 'submission')).rejects.toEqual(
      invalid('altcha has expired (a challenge lasts 10 minutes); fetch a new challenge and solve it again'),
    );
  });

  it('refuses a tampered payload: wrong number, rewritten salt, forged signature', async () => {
    const { sut } = setup();
    const good = decode(await solve(await sut.createChallenge('other', 'submission')));
    const tampered = [
      { ...good, number: (good['number'] as number) + 1 },
      // Moving a solution to another council by editing its salt breaks the challenge hash.
      { ...good, salt: String(good['salt']).replace('tenant=other', 'tenant=demo') },
      // …and recomputing the hash for the new salt breaks our signature.
      { ...good, signature: 'f'.repeat(64) },
      { ...good, algorithm: 'SHA-1' },
    ];
    for (const payload of tampered) {
      await expect(sut.verifyOnce(encode(payload), 'demo', 'submission')).rejects.toEqual(invalid(WRONG));
    }
  });

  it('refuses a challenge signed with another secret', async () => {
    const foreign = await solve(await setup('x'.repeat(40)).sut.createChallenge('demo', 'submission'));
    await expect(setup().sut.verifyOnce(foreign, 'demo', 'submission')).rejects.toEqual(invalid(WRONG));
  });

  it('says clearly when the field is not an ALTCHA payload at all', async () => {
    const { sut } = setup();
    const good = decode(await solve(await sut.createChallenge('demo', 'submission')));
    for (const payload of [
      'not base64!',
      Buffer.from('not json').toString('base64'),
      encode([1, 2]),
      encode({ ...good, number: '12' }),
      encode({ ...good, number: -1 }),
      encode({ ...good, challenge: 'abc' }),
      'A'.repeat(2001),
    ]) {
      await expect(sut.verifyOnce(payload, 'demo', 'submission')).rejects.toEqual(invalid(UNREADABLE));
    }
  });

  describe('challengeFor', () => {
    it('answers 404 for a council that does not exist', async () => {
      await expect(setup().sut.challengeFor('nowhere', 'submission', 'pow')).rejects.toEqual(
        expect.objectContaining({ code: 'NOT_FOUND', message: 'There is no council at this address.' }),
      );
    });

    it('gives a proof-of-work challenge, or a wait ticket in wait mode', async () => {
      const { sut } = setup();
      await expect(sut.challengeFor('demo', 'reporter-session', 'pow')).resolves.toMatchObject({
        salt: expect.stringContaining('tenant=demo&purpose=reporter-session'),
      });
      await expect(sut.challengeFor('demo', 'submission', 'wait')).resolves.toEqual({
        waitTicket: expect.any(String),
        waitSeconds: 15,
      });
    });
  });

  describe('assertHuman', () => {
    it('accepts a solved challenge, once', async () => {
      const { sut } = setup();
      const altcha = await solve(await sut.createChallenge('demo', 'reporter-session'));
      await expect(sut.assertHuman('demo', DEMO.id, { altcha }, 'reporter-session')).resolves.toBeUndefined();
      await expect(sut.assertHuman('demo', DEMO.id, { altcha }, 'reporter-session')).rejects.toEqual(
        invalid(REPLAYED),
      );
    });

    it('accepts a wait ticket after its wait, once', async () => {
      const { sut, waitTickets } = setup();
      const { waitTicket } = await waitTickets.issue(DEMO.id, 'submission');
      jest.advanceTimersByTime(15_000);
      await expect(sut.assertHuman('demo', DEMO.id, { waitTicket }, 'submission')).resolves.toBeUndefined();
      await expect(sut.assertHuman('demo', DEMO.id, { waitTicket }, 'submission')).rejects.toEqual(
        invalid('waitTicket has already been used; each ticket works once. Fetch a new one.'),
      );
    });

    it('requires exactly one of altcha and waitTicket, naming both', async () => {
      const { sut, waitTickets } = setup();
      const altcha = await solve(await sut.createChallenge('demo', 'submission'));
      const { waitTicket } = await waitTickets.issue(DEMO.id, 'submission');
      await expect(sut.assertHuman('demo', DEMO.id, {}, 'submission')).rejects.toEqual(
        invalid(
          'altcha or waitTicket is required: the solved proof-of-work challenge, or, without JavaScript, a wait ticket',
        ),
      );
      await expect(
        sut.assertHuman('demo', DEMO.id, { altcha: '', waitTicket: '' }, 'submission'),
      ).rejects.toEqual(invalid(/^altcha or waitTicket is required/));
      await expect(sut.assertHuman('demo', DEMO.id, { altcha, waitTicket }, 'submission')).rejects.toEqual(
        invalid('Send altcha or waitTicket, not both'),
      );
      // An empty field from a form without JavaScript is as good as absent.
      jest.advanceTimersByTime(15_000);
      await expect(
        sut.assertHuman('demo', DEMO.id, { altcha: '', waitTicket }, 'submission'),
      ).resolves.toBeUndefined();
    });
  });
});
