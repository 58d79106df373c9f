/**
 * Issue #17 must-show: "Redis flushed under a running worker: within a minute every open case's clocks
 * and the schedulers are back, and a reminder due tomorrow still fires tomorrow (fake clock)."
 * The real worker module runs against this suite's own Redis database, which is flushed (FLUSHDB of
 * that database only). Postgres is the source of truth: the worker's recovery pass derives every open
 * case's timers from its row again, leaves out those that already notified, and re-creates the job
 * schedulers. The clock is injected; BullMQ's own wait until tomorrow is skipped by promoting the job.
 */
import { getQueueToken } from '@nestjs/bullmq';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { addCalendarDays, toLondonDate } from '@nolan/domain';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { QueueName } from '../../apps/api/src/queues/queue-names';
import { Clock } from '../../apps/api/src/sla/clock';
import { firingInstant, type SlaTimer, slaJobId, timersFor } from '../../apps/api/src/sla/sla.service';
import { CaseEntity } from '../../apps/api/src/cases/store/case.entity';
import {
  AUDIT_CHECKPOINT_JOB,
  HEARTBEAT_JOB,
  RETENTION_JOB,
} from '../../apps/api/src/workers/system.processor';
import { WorkerModule } from '../../apps/api/src/workers/worker.module';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

/** The real time, until a test moves it. */
class FakeClock extends Clock {
  at: Date | undefined;
  now(): Date {
    return this.at ?? new Date();
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Redis flushed under a running worker', () => {
  const clock = new FakeClock();
  const redis = new Redis(TEST_ENV.REDIS_URL);
  let worker: TestingModule | undefined;
  let sla: Queue;
  let system: Queue;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let investigator: TestUser;
  const today = toLondonDate(new Date());
  const cases: Record<'fresh' | 'remindedTomorrow' | 'acknowledged' | 'closed', string> = {
    fresh: '',
    remindedTomorrow: '',
    acknowledged: '',
    closed: '',
  };

  const asTenant = <T>(sql: string, params: unknown[] = []) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return (await m.query(sql, params)) as T;
    });
  const timersOf = async (caseId: string): Promise<SlaTimer[]> => {
    const row = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.getRepository(CaseEntity).findOneByOrFail({ id: caseId });
    });
    return timersFor(row);
  };
  /** The ids of the delayed or waiting SLA jobs of these cases, as Redis has them now. */
  const jobIdsIn = async (ids: string[]): Promise<string[]> => {
    const jobs = await sla.getJobs(['delayed', 'waiting']);
    return jobs
      .filter((j) => j && ids.includes((j.data as SlaTimer).caseId))
      .map((j) => j.id as string)
      .sort();
  };
  const schedulerIds = async () => (await system.getJobSchedulers()).map((s) => s.key).sort();

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    process.env.SMTP_URL = smtp.url;
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('flush');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    const newCase = async () =>
      (
        await fixtures.case(tenant.id, {
          category: 'dishonesty',
          staffIds: [mo.id, investigator.id],
          report: {},
        })
      ).id;
    cases.fresh = await newCase();
    cases.remindedTomorrow = await newCase();
    cases.acknowledged = await newCase();
    cases.closed = await newCase();
    // Received four days ago: the acknowledgement reminder (day 5) is due tomorrow.
    await asTenant(`UPDATE cases SET received_at = $2 WHERE id = $1`, [
      cases.remindedTomorrow,
      `${addCalendarDays(today, -4)}T12:00:00Z`,
    ]);
    await asTenant(`UPDATE cases SET status = 'acknowledged', acknowledged_on = $2 WHERE id = $1`, [
      cases.acknowledged,
      today,
    ]);
    await asTenant(
      `UPDATE cases SET status = 'closed', outcome = 'no_further_action', closed_on = $2 WHERE id = $1`,
      [cases.closed, today],
    );
    // The fresh case's reminder has already been sent (as if its day came and went): it is not re-made.
    const reminder = (await timersOf(cases.fresh)).find((t) => t.kind === 'acknowledgement_reminder')!;
    await asTenant(
      `INSERT INTO sla_events (tenant_id, case_id, kind, due_on, fired_on) VALUES ($1, $2, $3, $4, $5)`,
      [tenant.id, cases.fresh, reminder.kind, reminder.due, today],
    );

    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    await worker.init();
    sla = worker.get(getQueueToken(QueueName.Sla));
    system = worker.get(getQueueToken(QueueName.System));
  });
  afterAll(async () => {
    await worker?.close();
    delete process.env.SMTP_URL;
    await fixtures.close();
    await smtp.close();
    redis.disconnect();
  });

  it('makes every open case’s timers and the schedulers at worker start, from Postgres alone', async () => {
    const open = [cases.fresh, cases.remindedTomorrow, cases.acknowledged];
    const expected = (await Promise.all(open.map(timersOf)))
      .flat()
      .filter((t) => !(t.caseId === cases.fresh && t.kind === 'acknowledgement_reminder'))
      .map(slaJobId)
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(7);
    expect(await jobIdsIn([...open, cases.closed])).toEqual(expected);
    expect(await schedulerIds()).toEqual([AUDIT_CHECKPOINT_JOB, HEARTBEAT_JOB, RETENTION_JOB].sort());
  });

  it('brings every open case’s clocks and the schedulers back within a minute of a FLUSHDB', async () => {
    const open = [cases.fresh, cases.remindedTomorrow, cases.acknowledged];
    const before = await jobIdsIn(open);
    expect(before.length).toBeGreaterThanOrEqual(7);

    expect(await redis.flushdb()).toBe('OK');
    expect(await jobIdsIn(open)).toEqual([]);
    expect(await schedulerIds()).toEqual([]);

    await waitFor(
      'the timers and schedulers to be rebuilt',
      async () => (await jobIdsIn(open)).length === before.length && (await schedulerIds()).length === 3,
      60_000,
    );
    expect(await jobIdsIn(open)).toEqual(before);
    expect(await jobIdsIn([cases.closed])).toEqual([]);
    expect(await schedulerIds()).toEqual([AUDIT_CHECKPOINT_JOB, HEARTBEAT_JOB, RETENTION_JOB].sort());
    // The heartbeat runs again, so /health can see a worker.
    await waitFor(
      'a heartbeat',
      async () => (await redis.exists(`${TEST_ENV.REDIS_PREFIX}:worker:heartbeat`)) === 1,
      30_000,
    );
  });

  it('still fires a reminder due tomorrow tomorrow, once, to the case’s handlers', async () => {
    const reminder = (await timersOf(cases.remindedTomorrow)).find(
      (t) => t.kind === 'acknowledgement_reminder',
    )!;
    const tomorrow = addCalendarDays(today, 1);
    expect(reminder.firesOn).toBe(tomorrow);
    const job = await sla.getJob(slaJobId(reminder));
    expect(job).toBeDefined();
    expect(await job!.getState()).toBe('delayed');
    expect(toLondonDate(new Date(job!.timestamp + (job!.opts.delay ?? 0)))).toBe(tomorrow);

    // Tomorrow morning: BullMQ's delay is what the fake clock cannot move, so the job is promoted.
    clock.at = new Date(firingInstant(tomorrow).getTime() + 60_000);
    await job!.promote();
    const mine = () =>
      smtp.mails.filter((m) => [mo.email, investigator.email].includes(m.to[0])).map((m) => m.to[0]);
    await waitFor('the reminder e-mails', async () => mine().length >= 2, 30_000);
    expect(mine().sort()).toEqual([investigator.email, mo.email].sort());
    await waitFor('the job to complete', async () => (await job!.getState()) === 'completed', 10_000);
    const fired = await asTenant<{ kind: string; fired_on: string }[]>(
      `SELECT kind, fired_on::text AS fired_on FROM sla_events WHERE case_id = $1`,
      [cases.remindedTomorrow],
    );
    expect(fired).toEqual([{ kind: 'acknowledgement_reminder', fired_on: tomorrow }]);
  });
});
