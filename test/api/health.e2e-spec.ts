import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';

describe('GET /health', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApi();
  });
  afterAll(() => app.close());

  it('reports Postgres, Redis and the queues as up', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.postgres).toEqual({ status: 'up' });
    expect(res.body.info.redis).toEqual({ status: 'up' });
    expect(res.body.info.queues.status).toBe('up');
    expect(res.body.info.queues.system).toEqual(
      expect.objectContaining({
        waiting: expect.any(Number),
        failed: expect.any(Number),
        delayed: expect.any(Number),
      }),
    );
    expect(res.headers['cache-control']).toMatch(/no-store/);
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
