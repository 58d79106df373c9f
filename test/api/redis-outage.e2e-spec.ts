/**
 * Issue #6 must-show: "Redis stopped, reports submitted (201), Redis started: every case is routed
 * and notified exactly once." A private redis-server on a random port (nothing kept on disk, so it
 * comes back empty, as after a crash) serves the API and the real worker entry point (a child
 * process). Redis is killed, reports are submitted and accepted, Redis is started again on the same
 * port: the relay catches up from the outbox in Postgres, each case is relayed once, its routing
 * decision recorded once, and each handler gets exactly one e-mail per case, however many relay
 * passes run afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import request from 'supertest';
import { WORKER_HEARTBEAT_KEY } from '../../apps/api/src/queues/queue-names';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const root = join(__dirname, '..', '..');
const CASES = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
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

function stopped(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('Redis stopped while reports arrive', () => {
  let port: number;
  let redisUrl: string;
  let redisServer: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  const original = process.env.REDIS_URL;

  const startRedis = async () => {
    redisServer = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => null });
    await waitFor(
      'redis-server to accept connections',
      () =>
        probe.connect().then(
          () => true,
          () => false,
        ),
      10_000,
    );
    probe.disconnect();
  };
  const inTenantQuery = <T>(sql: string, params: unknown[] = []): Promise<T> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T>;
    });
  const deliveredTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email)).length;

  beforeAll(async () => {
    port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    await startRedis();
    smtp = await startSmtpCatcher();
    process.env.REDIS_URL = redisUrl;
    api = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('outage');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    worker = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        ...TEST_ENV,
        SWC_NODE_PROJECT: 'tsconfig.base.json',
        REDIS_URL: redisUrl,
        SMTP_URL: smtp.url,
      },
      stdio: 'ignore',
    });
    const redis = new Redis(redisUrl);
    await waitFor(
      'the worker to start',
      async () => (await redis.get(`${TEST_ENV.REDIS_PREFIX}:${WORKER_HEARTBEAT_KEY}`)) !== null,
      150_000,
    );
    redis.disconnect();
  }, 180_000);
  afterAll(async () => {
    await stopped(worker);
    await api.close();
    await stopped(redisServer);
    process.env.REDIS_URL = original;
    await fixtures.close();
    await smtp.close();
  });

  it('accepts every report, then routes and notifies each case exactly once when Redis is back', async () => {
    await stopped(redisServer);
    const server = api.getHttpServer();
    const references: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const res = await request(server)
        .post(`/api/v1/tenants/${tenant.slug}/reports`)
        .send({
          category: 'fraud_theft',
          answers: {
            whatHappened: `Report ${i} during the outage`,
            howYouKnow: 'saw_it',
            raisedBefore: 'no',
          },
          altcha: await solvedAltcha(server, tenant.slug),
        })
        .expect(201);
      references.push(res.body.reference);
    }
    // Routed at intake (the grants are in Postgres), waiting in the outbox while Redis is away.
    const grants = await inTenantQuery<{ n: number }[]>(
      `SELECT count(DISTINCT g.grantee_id)::int AS n FROM case_grants g JOIN cases c ON c.id = g.case_id
       WHERE g.grantee_kind = 'staff' GROUP BY c.id`,
    );
    expect(grants).toEqual(Array(CASES).fill({ n: 2 }));
    await new Promise((r) => setTimeout(r, 4500)); // two relay passes fail meanwhile
    const unsent = await inTenantQuery<{ id: string }[]>(`SELECT id FROM outbox WHERE sent_at IS NULL`);
    expect(unsent).toHaveLength(CASES);
    expect(deliveredTo(mo.email) + deliveredTo(s151.email)).toBe(0);

    await startRedis();
    await waitFor(
      'every case to be relayed and notified',
      () => deliveredTo(mo.email) >= CASES && deliveredTo(s151.email) >= CASES,
      150_000,
    );
    await new Promise((r) => setTimeout(r, 5000)); // more relay passes: nothing is sent twice
    expect(deliveredTo(mo.email)).toBe(CASES);
    expect(deliveredTo(s151.email)).toBe(CASES);
    expect(await inTenantQuery<unknown[]>(`SELECT id FROM outbox WHERE sent_at IS NULL`)).toEqual([]);

    const perCase = await inTenantQuery<{ reference: string; notices: number; routed: number }[]>(
      `SELECT c.reference,
         (SELECT count(*)::int FROM notifications n JOIN outbox o ON o.id = n.outbox_id
           WHERE o.aggregate_id = c.id AND n.status = 'sent') AS notices,
         (SELECT count(*)::int FROM audit_entries a WHERE a.case_id = c.id AND a.action = 'case.routed') AS routed
       FROM cases c ORDER BY c.reference`,
    );
    expect(perCase).toEqual(
      [...references].sort().map((reference) => ({ reference, notices: 2, routed: 1 })),
    );
  }, 240_000);
});
