/** Issue #6: queue health and the dead-letter list for administrators, with a retry. */
import type { INestApplication } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

describe('the operational view', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  const connection = { url: TEST_ENV.REDIS_URL, maxRetriesPerRequest: null };
  const prefix = `${TEST_ENV.REDIS_PREFIX}:bull`;

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('shows administrators each queue and its failed jobs, lets them retry one, and shows nobody else', async () => {
    const tenant = await fixtures.tenant('ops');
    const admin = await fixtures.user(tenant.id, ['administrator']);
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const server = app.getHttpServer();
    const adminToken = await signInAs(server, tenant.slug, admin);
    const moToken = await signInAs(server, tenant.slug, mo);

    const queue = new Queue('sla', { connection, prefix });
    const job = await queue.add(
      'feedback_breach',
      { caseId: 'ids only' },
      { attempts: 1, jobId: `ops-test-${Date.now()}` },
    );
    const worker = new Worker(
      'sla',
      async () => {
        throw new Error('SMTP relay refused the connection');
      },
      { connection, prefix },
    );
    await new Promise<void>((resolve) => worker.on('failed', () => resolve()));
    await worker.close();

    await request(server).get('/api/v1/admin/queues').auth(moToken, { type: 'bearer' }).expect(403);
    const overview = await request(server)
      .get('/api/v1/admin/queues')
      .auth(adminToken, { type: 'bearer' })
      .expect(200);
    expect(overview.body.queues.map((q: { name: string }) => q.name)).toEqual([
      'system',
      'case-events',
      'sla',
    ]);
    const sla = overview.body.queues.find((q: { name: string }) => q.name === 'sla');
    expect(sla.failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: job.id,
          name: 'feedback_breach',
          attemptsMade: 1,
          failedReason: 'SMTP relay refused the connection',
        }),
      ]),
    );

    await request(server)
      .post(`/api/v1/admin/queues/sla/jobs/${job.id}/retry`)
      .auth(adminToken, { type: 'bearer' })
      .expect(200, { id: job.id, retried: true });
    expect(await (await queue.getJob(job.id!))?.getState()).toBe('waiting');
    await request(server)
      .post(`/api/v1/admin/queues/sla/jobs/${job.id}/retry`)
      .auth(adminToken, { type: 'bearer' })
      .expect(409);
    await request(server)
      .post('/api/v1/admin/queues/nope/jobs/1/retry')
      .auth(adminToken, { type: 'bearer' })
      .expect(404);
    await job.remove();
    await queue.close();
  });
});
