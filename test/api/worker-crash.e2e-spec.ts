/**
 * Issue #6 must-show: "A worker killed mid-job: the job is retried on restart, no duplicate e-mail."
 * The real worker entry point (apps/api/src/worker.ts) runs as a child process against real Postgres,
 * Redis and an SMTP server. The SMTP server accepts the first handler's notice and leaves the second
 * one unanswered, so the job is caught mid-send; the worker is SIGKILLed there. A new worker finds
 * the job stalled (its lock lapses), runs it again, and the notifications table makes it send only
 * what was never accepted: each handler ends up with exactly one e-mail.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import request from 'supertest';
import { QueueName } from '../../apps/api/src/queues/queue-names';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const root = join(__dirname, '..', '..');

/** The workers' entry point, from source, as its own process. */
function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/worker.ts'], {
    cwd: root,
    env: { ...process.env, ...TEST_ENV, SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

// Generous limits: in a full run the worker first relays and works through every unsent outbox row
// other suites left in the database, on a machine shared with other work.
async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('a worker killed mid-job', () => {
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  const ours = new Set<string>();
  let oursSeen = 0;
  const workers: ChildProcess[] = [];
  const connection = new Redis(TEST_ENV.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.CaseEvents, { connection, prefix: `${TEST_ENV.REDIS_PREFIX}:bull` });

  const inTenantQuery = <T>(sql: string, params: unknown[] = []): Promise<T> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T>;
    });
  const delivered = () =>
    smtp.mails
      .flatMap((m) => m.to)
      .filter((to) => ours.has(to))
      .sort();

  beforeAll(async () => {
    // Our handlers' second notice is left unanswered: the worker is then mid-job, one e-mail sent.
    smtp = await startSmtpCatcher({
      hold: (to) => to.some((t) => ours.has(t)) && ++oursSeen === 2,
    });
    api = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('crash');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    ours.add(mo.email).add(s151.email);
  });
  afterAll(async () => {
    for (const worker of workers) await killed(worker);
    await queue.close();
    connection.disconnect();
    await api.close();
    await fixtures.close();
    await smtp.close();
  });

  it('retries the job on restart and e-mails nobody twice', async () => {
    const server = api.getHttpServer();
    const { body } = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Stock written off and sold', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const [row] = await inTenantQuery<{ id: string; case_id: string }[]>(
      `SELECT o.id, o.aggregate_id AS case_id FROM outbox o WHERE o.event = 'case.created'`,
    );
    const jobId = `outbox-${row!.id}`;

    const first = spawnWorker({ SMTP_URL: smtp.url });
    workers.push(first);
    await waitFor('the worker to be caught mid-send', () => smtp.held.length === 1, 150_000);
    expect(delivered()).toHaveLength(1);
    expect(await (await queue.getJob(jobId))?.getState()).toBe('active');
    await killed(first);

    const second = spawnWorker({ SMTP_URL: smtp.url });
    workers.push(second);
    await waitFor(
      'the retried job to complete',
      async () => (await (await queue.getJob(jobId))?.getState()) === 'completed',
      150_000,
    );
    const job = await queue.getJob(jobId);
    expect(job?.returnvalue).toEqual({ sent: 1 }); // only the notice never accepted
    expect(delivered()).toEqual([mo.email, s151.email].sort());
    expect(smtp.held.flatMap((m) => m.to)).toHaveLength(1);

    const notices = await inTenantQuery<{ status: string }[]>(
      `SELECT status FROM notifications WHERE outbox_id = $1`,
      [row!.id],
    );
    expect(notices.map((n) => n.status)).toEqual(['sent', 'sent']);
    const routed = await inTenantQuery<unknown[]>(
      `SELECT 1 FROM audit_entries WHERE action = 'case.routed' AND case_id = $1`,
      [row!.case_id],
    );
    expect(routed).toHaveLength(1);
    expect(smtp.mails.some((m) => m.raw.includes(body.reference as string))).toBe(false);
  }, 360_000);
});
