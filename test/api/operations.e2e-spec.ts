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

  it("shows another council's administrator none of this council's queue activity, and lets them retry none of it", async () => {
    const ours = await fixtures.tenant('ops-ours');
    const theirs = await fixtures.tenant('ops-theirs');
    const server = app.getHttpServer();
    const ourToken = await signInAs(server, ours.slug, await fixtures.user(ours.id, ['administrator']));
    const theirToken = await signInAs(server, theirs.slug, await fixtures.user(theirs.id, ['administrator']));
    const overview = async (token: string) =>
      (await request(server).get('/api/v1/admin/queues').auth(token, { type: 'bearer' }).expect(200)).body
        .queues as { name: string; counts: Record<string, number>; failed: { id: string }[] }[];
    const theirsBefore = await overview(theirToken);
    const oursBefore = await overview(ourToken);

    // Our council's activity: a case event waiting, an SLA timer delayed, and a failed job.
    const caseEvents = new Queue('case-events', { connection, prefix });
    const sla = new Queue('sla', { connection, prefix });
    const stamp = Date.now();
    const waiting = await caseEvents.add(
      'case.created',
      { tenantId: ours.id, caseId: 'c1', outboxId: 'x' },
      { jobId: `ops-ours-wait-${stamp}` },
    );
    const delayed = await sla.add(
      'feedback_reminder',
      { tenantId: ours.id, caseId: 'c1' },
      { jobId: `ops-ours-delayed-${stamp}`, delay: 86_400_000 },
    );
    const failing = await sla.add(
      'feedback_breach',
      { tenantId: ours.id, caseId: 'c1' },
      { attempts: 1, jobId: `ops-ours-failed-${stamp}` },
    );
    const worker = new Worker(
      'sla',
      async (job) => {
        if (job.id === failing.id) throw new Error('SMTP relay refused the connection');
        throw new Error('not this test’s job');
      },
      { connection, prefix },
    );
    await new Promise<void>((resolve) => worker.on('failed', (job) => job?.id === failing.id && resolve()));
    await worker.close();

    const oursAfter = await overview(ourToken);
    const count = (view: typeof oursAfter, queue: string, state: string) =>
      view.find((q) => q.name === queue)!.counts[state];
    expect(count(oursAfter, 'case-events', 'waiting')).toBe(count(oursBefore, 'case-events', 'waiting') + 1);
    expect(count(oursAfter, 'sla', 'delayed')).toBe(count(oursBefore, 'sla', 'delayed') + 1);
    expect(count(oursAfter, 'sla', 'failed')).toBe(count(oursBefore, 'sla', 'failed') + 1);
    expect(oursAfter.find((q) => q.name === 'sla')!.failed.map((j) => j.id)).toContain(failing.id);

    // The other council's administrator sees exactly what they saw before.
    expect(await overview(theirToken)).toEqual(theirsBefore);
    await request(server)
      .post(`/api/v1/admin/queues/sla/jobs/${failing.id}/retry`)
      .auth(theirToken, { type: 'bearer' })
      .expect(404, { statusCode: 404, error: 'Not Found', message: 'There is no such job.' });
    expect(await failing.getState()).toBe('failed');
    await request(server)
      .post(`/api/v1/admin/queues/sla/jobs/${failing.id}/retry`)
      .auth(ourToken, { type: 'bearer' })
      .expect(200, { id: failing.id, retried: true });

    for (const job of [waiting, delayed, failing]) await job.remove();
    await caseEvents.close();
    await sla.close();
  });
});
