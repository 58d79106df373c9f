/**
 * Issue #17, "Degrade, never 500": with Postgres or Redis unreachable, every route that needs it answers
 * 503 with Retry-After and a message, and recovers by itself; what needs neither keeps working. Postgres
 * is reached through a TCP proxy of this suite's own, cut and restored under load (the shared Postgres is
 * never stopped); Redis is a private redis-server, killed and started again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { StaffFixtures, type TestUser, totpCode } from '../support/staff-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV } from '../support/test-env';

const UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: expect.stringMatching(/try again in 5 seconds/),
};

const report = (n: number, altcha: string) => ({
  category: 'misuse_of_public_funds',
  answers: { whatHappened: `Outage report ${n}`, howYouKnow: 'saw_it', raisedBefore: 'no' },
  altcha,
});

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

async function eventually(what: string, attempt: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await attempt())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Postgres unreachable under load', () => {
  let proxy: TcpProxy;
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  const original = process.env.DATABASE_URL;

  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
    const url = new URL(TEST_ENV.DATABASE_URL);
    url.port = String(proxy.port);
    process.env.DATABASE_URL = url.toString();
    api = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('pg-outage');
    await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    process.env.DATABASE_URL = original;
    await api.close();
    await proxy.close();
    await fixtures.close();
  });

  it('answers only 201s and 503s with Retry-After while Postgres goes away and comes back, and keeps every 201 whole', async () => {
    const server = api.getHttpServer();
    const proofs: string[] = [];
    for (let i = 0; i < 48; i++) proofs.push(await solvedAltcha(server, tenant.slug));

    const answers: {
      n: number;
      sentAfterRestore: boolean;
      status: number;
      retryAfter?: string;
      body: Record<string, unknown>;
    }[] = [];
    let next = 0;
    let restored = false;
    // Each of three submitters keeps sending until it has sent two reports after Postgres came back.
    const submitter = async () => {
      let afterRestore = 0;
      while (next < proofs.length && afterRestore < 2) {
        if (restored) afterRestore++;
        const n = next++;
        const sentAfterRestore = restored;
        const res = await request(server)
          .post(`/api/v1/tenants/${tenant.slug}/reports`)
          .send(report(n, proofs[n]));
        answers.push({
          n,
          sentAfterRestore,
          status: res.status,
          retryAfter: res.headers['retry-after'],
          body: res.body,
        });
        // A client told to retry waits before it does (a shortened Retry-After, to keep the suite quick).
        await new Promise((r) => setTimeout(r, res.status === 503 ? 250 : 50));
      }
    };
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, 400));
      await proxy.cut();
      // Asked for while Postgres is away: a challenge and the form need the council's row.
      const challenge = await request(server).get(`/api/v1/tenants/${tenant.slug}/challenge`);
      const form = await request(server).get(`/api/v1/tenants/${tenant.slug}/form`);
      // What needs neither keeps working.
      const docs = await request(server).get('/api/docs-json');
      await new Promise((r) => setTimeout(r, 1500));
      await proxy.restore();
      restored = true;
      return { challenge, form, docs };
    })();
    await Promise.all([submitter(), submitter(), submitter(), outage]);
    const { challenge, form, docs } = await outage;

    for (const res of [challenge, form]) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual(UNAVAILABLE);
    }
    expect(docs.status).toBe(200);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201, 503]));
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.retryAfter).toBe('5');
      expect(a.body).toEqual(UNAVAILABLE);
    }
    // It recovered by itself: every submission sent after the restore was accepted.
    const later = answers.filter((a) => a.sentAfterRestore);
    expect(later.length).toBeGreaterThanOrEqual(3);
    expect(later.map((a) => a.status)).toEqual(later.map(() => 201));

    // Every 201 is stored whole: one case per reference, with its report, grants and outbox row, and the
    // receipt opens exactly the report that was sent.
    const accepted = answers.filter((a) => a.status === 201);
    const stored = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(
        `SELECT c.reference,
           (SELECT count(*)::int FROM case_items i WHERE i.case_id = c.id) AS items,
           (SELECT count(*)::int FROM case_grants g WHERE g.case_id = c.id) AS grants,
           (SELECT count(*)::int FROM outbox o WHERE o.aggregate_id = c.id) AS events
         FROM cases c`,
      ) as Promise<{ reference: string; items: number; grants: number; events: number }[]>;
    });
    expect(stored.map((s) => s.reference).sort()).toEqual(accepted.map((a) => a.body.reference).sort());
    for (const s of stored) {
      expect(s.items).toBeGreaterThan(0);
      expect(s.grants).toBeGreaterThan(0);
      expect(s.events).toBeGreaterThan(0);
    }
    for (const a of accepted.slice(0, 4)) {
      const token = await signInWithReceipt(server, tenant.slug, a.body.receipt as string);
      const view = await request(server)
        .get('/api/v1/reporter/case')
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(view.body.report.answers.whatHappened).toBe(`Outage report ${a.n}`);
    }
  }, 120_000);
});

describe('Redis unreachable', () => {
  let port: number;
  let redisServer: ChildProcess | undefined;
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  const original = process.env.REDIS_URL;

  const startRedis = async () => {
    redisServer = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const probe = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null });
    await eventually(
      'redis-server to start',
      () =>
        probe.connect().then(
          () => true,
          () => false,
        ),
      10_000,
    );
    probe.disconnect();
  };
  const stopRedis = () =>
    new Promise<void>((resolve) => {
      const child = redisServer;
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    api = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('redis-down');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    await api.close();
    await stopRedis();
    process.env.REDIS_URL = original;
    await fixtures.close();
  });

  it('answers staff sign-in with a 503 and Retry-After while Redis is down, keeps taking reports, and signs in once it is back', async () => {
    const server = api.getHttpServer();
    await stopRedis();
    const signIn = (step: -1 | 0 | 1) =>
      request(server)
        .post(`/api/v1/tenants/${tenant.slug}/sessions`)
        .send({ email: mo.email, password: mo.password, totp: totpCode(mo.totpSecret as string, step) });

    const refused = await signIn(0);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toEqual(UNAVAILABLE);

    // A report needs only Postgres (the outbox holds its events until Redis is back).
    const accepted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send(report(1, await solvedAltcha(server, tenant.slug)));
    expect(accepted.status).toBe(201);
    // A receipt sign-in needs Redis (the reporter's session lives there).
    const receipt = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
      .send({
        receipt: accepted.body.receipt,
        altcha: await solvedAltcha(server, tenant.slug, 'reporter-session'),
      });
    expect(receipt.status).toBe(503);
    expect(receipt.headers['retry-after']).toBe('5');

    await startRedis();
    let status = 0;
    await eventually(
      'sign-in to work again',
      async () => {
        status = (await signIn(1)).status;
        return status !== 503;
      },
      20_000,
    );
    expect(status).toBe(201);
    const token = await signInWithReceipt(server, tenant.slug, accepted.body.receipt);
    expect(token).toEqual(expect.any(String));
  }, 60_000);
});
