/**
 * Issue #6 (first part): with Redis unreachable the API still accepts reports, each with its outbox
 * row; the relay cannot publish them and loses nothing; once Redis is there, one pass publishes each
 * exactly once (job id = outbox row), and a second pass publishes nothing more.
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { OutboxRelay } from '../../apps/api/src/outbox/outbox-relay.service';
import { QueueName } from '../../apps/api/src/queues/queue-names';
import { QueuesModule } from '../../apps/api/src/queues/queues.module';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';

async function relayModule() {
  const moduleRef = await Test.createTestingModule({
    imports: [CoreModule, QueuesModule],
    providers: [OutboxRelay],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('the outbox relay', () => {
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  const original = process.env.REDIS_URL;

  const unsent = () =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return (await m.query(`SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id`)).map(
        (r: { id: string }) => String(r.id),
      );
    });

  beforeAll(async () => {
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('outbox');
    await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    process.env.REDIS_URL = original;
    await fixtures.close();
  });

  it('accepts reports while Redis is down and publishes each exactly once when it is back', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:6390/13';
    const api: INestApplication = await startApi();
    const server = api.getHttpServer();
    for (let i = 0; i < 3; i++) {
      await request(server)
        .post(`/api/v1/tenants/${tenant.slug}/reports`)
        .send({
          category: 'dishonesty',
          answers: {
            whatHappened: `Report ${i} while Redis is down`,
            howYouKnow: 'saw_it',
            raisedBefore: 'no',
          },
          altcha: await solvedAltcha(server, tenant.slug),
        })
        .expect(201);
    }
    const waiting = await unsent();
    expect(waiting).toHaveLength(3);

    const down = await relayModule();
    await expect(down.get(OutboxRelay).relayOnce()).rejects.toThrow(/Redis/);
    await down.close();
    await api.close();
    expect(await unsent()).toEqual(waiting);

    process.env.REDIS_URL = original;
    const up = await relayModule();
    try {
      const queue = up.get<Queue>(getQueueToken(QueueName.CaseEvents));
      await up.get(OutboxRelay).relayOnce();
      expect(await unsent()).toEqual([]);
      for (const id of waiting) {
        const job = await queue.getJob(`outbox-${id}`);
        expect(job?.name).toBe('case.created');
        expect(job?.data).toEqual(expect.objectContaining({ outboxId: id, tenantId: tenant.id }));
        expect(JSON.stringify(job?.data)).not.toMatch(/while Redis is down/);
      }
      const before = (await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).length;
      await up.get(OutboxRelay).relayOnce();
      expect((await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).length).toBe(
        before,
      );
    } finally {
      await up.close();
    }
  });
});
