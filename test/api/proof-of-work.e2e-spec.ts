import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { solveChallenge } from 'altcha-lib';
import type Redis from 'ioredis';
import request from 'supertest';
import { ABUSE_OPTIONS, DEFAULT_ABUSE_OPTIONS } from '../../apps/api/src/abuse/abuse-options';
import { AbuseModule } from '../../apps/api/src/abuse/abuse.module';
import { ProofOfWorkService } from '../../apps/api/src/abuse/proof-of-work.service';
import { ReceiptSignInThrottle } from '../../apps/api/src/abuse/receipt-throttle';
import { configureApp } from '../../apps/api/src/app/configure-app';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { REDIS } from '../../apps/api/src/redis/redis.module';
import { StaffFixtures } from '../support/staff-fixtures';

/**
 * The challenge endpoint over HTTP and the checks intake and receipt sign-in will make, against real
 * Postgres and Redis. The proof of work runs at production difficulty; the no-JavaScript wait and
 * budget are shortened (1 s, 2 an hour) so the suite does not sleep for 15 s.
 */
describe('proof of work and the no-JavaScript path', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let redis: Redis;

  const challenge = (query = '', slug = tenant.slug) =>
    request(app.getHttpServer()).get(`/api/v1/tenants/${slug}/challenge${query}`);

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [CoreModule, AbuseModule] })
      .overrideProvider(ABUSE_OPTIONS)
      .useValue({ ...DEFAULT_ABUSE_OPTIONS, waitSeconds: 1, waitTicketsPerHour: 2 })
      .compile();
    app = configureApp(
      moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true, bodyParser: false }),
    );
    await app.init();
    redis = app.get(REDIS);
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('pow');
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('serves an ALTCHA challenge that, solved, is accepted once and only where it belongs', async () => {
    const res = await challenge().expect(200).expect('cache-control', 'no-store');
    expect(res.body).toEqual({
      algorithm: 'SHA-256',
      challenge: expect.stringMatching(/^[0-9a-f]{64}$/),
      maxnumber: 150_000,
      salt: expect.stringMatching(
        new RegExp(`^[0-9a-f]{24}\\?tenant=${tenant.slug}&purpose=submission&expires=\\d+&$`),
      ),
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const found = await solveChallenge(res.body.challenge, res.body.salt, 'SHA-256', res.body.maxnumber)
      .promise;
    const altcha = Buffer.from(JSON.stringify({ ...res.body, number: found!.number })).toString('base64');
    const pow = app.get(ProofOfWorkService);

    await expect(pow.verifyOnce(altcha, 'another-council', 'submission')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'altcha was solved for another council or another form; fetch a new challenge',
    });
    await expect(pow.verifyOnce(altcha, tenant.slug, 'reporter-session')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(pow.assertHuman(tenant.slug, tenant.id, { altcha }, 'submission')).resolves.toBeUndefined();
    await expect(pow.verifyOnce(altcha, tenant.slug, 'submission')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'altcha has already been used; each solution works once. Fetch a new challenge.',
    });

    // The single-use marker lives in Redis, in the set of the clock hour it was spent in, until an hour
    // fixed by that hour: never by when the challenge was issued or lapses, which would say when a
    // reporter fetched it (issue #14; docs/architecture.md "Reporter time").
    const marker = `nolan-test:abuse:altcha-used:spent-in-hour:${Math.floor(Date.now() / 3_600_000)}`;
    expect(await redis.zscore(marker, res.body.signature)).toBe('0');
    expect(await redis.ttl(marker)).toBeGreaterThan(0);
    expect(await redis.ttl(marker)).toBeLessThanOrEqual(2 * 3600);
    expect(Number(await redis.call('EXPIRETIME', marker)) % 3600).toBe(0);
  });

  it('binds a challenge to its purpose', async () => {
    const res = await challenge('?purpose=reporter-session&mode=pow').expect(200);
    expect(res.body.salt).toContain(`tenant=${tenant.slug}&purpose=reporter-session&`);
  });

  it('gives a browser without JavaScript a wait ticket, redeemable once after the wait, within the budget', async () => {
    const tickets = [];
    for (let i = 0; i < 3; i++) {
      const res = await challenge('?mode=wait&purpose=submission')
        .expect(200)
        .expect('cache-control', 'no-store');
      expect(res.body).toEqual({ waitTicket: expect.any(String), waitSeconds: 1 });
      tickets.push(res.body.waitTicket as string);
    }
    const pow = app.get(ProofOfWorkService);
    await expect(
      pow.assertHuman(tenant.slug, tenant.id, { waitTicket: tickets[0] }, 'submission'),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'waitTicket is not ready yet: wait 1 more second',
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await pow.assertHuman(tenant.slug, tenant.id, { waitTicket: tickets[0] }, 'submission');
    await expect(
      pow.assertHuman(tenant.slug, tenant.id, { waitTicket: tickets[0] }, 'submission'),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/already been used/) });
    await pow.assertHuman(tenant.slug, tenant.id, { waitTicket: tickets[1] }, 'submission');
    await expect(
      pow.assertHuman(tenant.slug, tenant.id, { waitTicket: tickets[2] }, 'submission'),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: expect.any(Number) });

    const spent = await challenge('?mode=wait').expect(429);
    expect(spent.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message:
        'Too many reports are being sent without JavaScript right now. Switch JavaScript on, or try again in 60 minutes.',
    });
    expect(Number(spent.headers['retry-after'])).toBeGreaterThan(3590);
    await challenge('?mode=wait&purpose=reporter-session').expect(200);
  });

  it('answers 404 for an unknown council and 400 naming a bad purpose or mode', async () => {
    await challenge('', 'no-such-council').expect(404, {
      statusCode: 404,
      error: 'Not Found',
      message: 'There is no council at this address.',
    });
    await challenge('?purpose=staff&mode=fast').expect(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: ['purpose must be submission or reporter-session', 'mode must be pow or wait'],
    });
  });

  it('pauses receipt sign-in for the council after 20 wrong receipts, keeping no receipt lookup in Redis', async () => {
    const throttle = app.get(ReceiptSignInThrottle);
    const lookupKey = (i: number) => `receipt-lookup-hmac-${tenant.id}-${i}`;
    for (let i = 0; i < 20; i++) await throttle.recordFailure(tenant.id, lookupKey(i % 3));
    await expect(throttle.assertAllowed(tenant.id, lookupKey(99))).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 60,
    });
    const keys = await redis.keys('nolan-test:abuse:*');
    expect(keys).toEqual(
      expect.arrayContaining([
        `nolan-test:abuse:receipt-cooling-down:${tenant.id}`,
        `nolan-test:abuse:receipt-cool-downs:${tenant.id}`,
        `nolan-test:abuse:no-js-budget:${tenant.id}:submission`,
      ]),
    );
    for (const key of keys) {
      expect(key).not.toContain('receipt-lookup-hmac');
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    }
  });

  it('describes the endpoint in OpenAPI so other clients need not read our code', async () => {
    const spec = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    const operation = spec.body.paths['/api/v1/tenants/{slug}/challenge'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'mode',
      'purpose',
      'slug',
    ]);
    expect(operation.responses['200'].content['application/json'].schema.oneOf).toEqual([
      { $ref: '#/components/schemas/AltchaChallengeDto' },
      { $ref: '#/components/schemas/WaitTicketDto' },
    ]);
    expect(Object.keys(spec.body.components.schemas.AltchaChallengeDto.properties).sort()).toEqual([
      'algorithm',
      'challenge',
      'maxnumber',
      'salt',
      'signature',
    ]);
    expect(operation.responses).toHaveProperty('429');
  });
});
