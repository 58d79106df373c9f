import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import request from 'supertest';
import { WORKER_HEARTBEAT_KEY } from '../../apps/api/src/queues/queue-names';
import { WorkerModule } from '../../apps/api/src/workers/worker.module';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const HEARTBEAT = `${TEST_ENV.REDIS_PREFIX}:${WORKER_HEARTBEAT_KEY}`;

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('GET /health', () => {
  let app: INestApplication;
  // /health is "ok" only while a worker beats (issue #17), so the workers run beside the API here.
  let worker: INestApplicationContext;
  let fixtures: StaffFixtures;
  const redis = new Redis(TEST_ENV.REDIS_URL);

  beforeAll(async () => {
    app = await startApi();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    fixtures = await StaffFixtures.open();
    await waitFor('a worker heartbeat', async () => (await redis.exists(HEARTBEAT)) === 1, 15_000);
  });
  afterAll(async () => {
    await worker.close();
    await fixtures.close();
    await app.close();
    redis.disconnect();
  });

  /** The queue counts as the administrators' view gives them (their own council's, issue #14). */
  async function adminQueueCounts(name: string): Promise<Record<string, number>> {
    const tenant = await fixtures.tenant('health');
    const admin = await fixtures.user(tenant.id, ['administrator']);
    const token = await signInAs(app.getHttpServer(), tenant.slug, admin);
    const res = await request(app.getHttpServer())
      .get('/api/v1/admin/queues')
      .auth(token, { type: 'bearer' })
      .expect(200);
    return res.body.queues.find((q: { name: string }) => q.name === name).counts;
  }

  it('reports Postgres, Redis and the queues as up', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.postgres).toEqual({ status: 'up' });
    expect(res.body.info.redis).toEqual({ status: 'up' });
    expect(res.body.info.queues.status).toBe('up');
    // Moved (issue #14): the public /health no longer has queue counts; this assertion, unchanged,
    // now reads them where they belong, the administrators' queue view (was res.body.info.queues.system).
    expect(await adminQueueCounts('system')).toEqual(
      expect.objectContaining({
        waiting: expect.any(Number),
        failed: expect.any(Number),
        delayed: expect.any(Number),
      }),
    );
    expect(res.headers['cache-control']).toMatch(/no-store/);
  });

  it('tells anyone who has not signed in up or down, and no queue counts', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.info).toEqual({
      postgres: { status: 'up' },
      redis: { status: 'up' },
      queues: { status: 'up', workerHeartbeatAgeSeconds: expect.any(Number) },
    });
    expect(JSON.stringify(res.body)).not.toMatch(
      /"(waiting|active|delayed|failed|completed|case-events|sla|system)"/,
    );
  });
});

describe('GET /health without a worker', () => {
  let app: INestApplication;
  const redis = new Redis(TEST_ENV.REDIS_URL);

  beforeAll(async () => {
    app = await startApi();
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
  });

  it('is not ok while no worker heartbeat is seen, and says what that means', async () => {
    await redis.del(HEARTBEAT);
    const res = await request(app.getHttpServer()).get('/health').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.details.postgres).toEqual({ status: 'up' });
    expect(res.body.details.redis).toEqual({ status: 'up' });
    expect(res.body.details.queues).toEqual({
      status: 'down',
      message:
        'No worker heartbeat in the last 120 s: reports are kept, but nobody is notified and no deadline fires until a worker runs',
      workerHeartbeatAgeSeconds: null,
    });
  });

  it('is not ok when the last heartbeat is older than four beats', async () => {
    await redis.set(HEARTBEAT, String(Date.now() - 300_000), 'EX', 600);
    const res = await request(app.getHttpServer()).get('/health').expect(503);
    expect(res.body.details.queues.status).toBe('down');
    expect(res.body.details.queues.workerHeartbeatAgeSeconds).toBeGreaterThanOrEqual(300);
    await redis.del(HEARTBEAT);
  });
});

describe('GET /health with Redis unreachable', () => {
  let app: INestApplication;
  const original = process.env.REDIS_URL;

  beforeAll(async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:6390/13';
    app = await startApi();
  });
  afterAll(async () => {
    await app.close();
    process.env.REDIS_URL = original;
  });

  it('answers 503 promptly, naming Redis as down and Postgres as up', async () => {
    const started = Date.now();
    const res = await request(app.getHttpServer()).get('/health').expect(503);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.body.status).toBe('error');
    expect(res.body.details.postgres).toEqual({ status: 'up' });
    expect(res.body.details.redis).toEqual({ status: 'down', message: 'Redis is unreachable' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});
