import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { WORKER_HEARTBEAT_KEY } from '../../apps/api/src/queues/queue-names';
import { WorkerModule } from '../../apps/api/src/workers/worker.module';
import { startApi } from '../support/api-app';
import { TEST_ENV } from '../support/test-env';

describe('the workers entry point', () => {
  let worker: INestApplicationContext;
  let api: INestApplication;
  const redis = new Redis(TEST_ENV.REDIS_URL);

  beforeAll(async () => {
    await redis.del(`${TEST_ENV.REDIS_PREFIX}:${WORKER_HEARTBEAT_KEY}`);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    api = await startApi();
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    redis.disconnect();
  });

  it('processes the heartbeat job from BullMQ, and /health shows the workers are alive', async () => {
    const deadline = Date.now() + 15_000;
    let beat: string | null = null;
    while (!beat && Date.now() < deadline) {
      beat = await redis.get(`${TEST_ENV.REDIS_PREFIX}:${WORKER_HEARTBEAT_KEY}`);
      if (!beat) await new Promise((r) => setTimeout(r, 200));
    }
    expect(Number(beat)).toBeGreaterThan(Date.now() - 60_000);
    const health = await request(api.getHttpServer()).get('/health').expect(200);
    expect(health.body.info.queues.workerHeartbeatAgeSeconds).toBeLessThan(60);
  });
});
