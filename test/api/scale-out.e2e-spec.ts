/**
 * Issue #18 must-show, scale-out correctness (docs/performance.md "Past one machine"): two API processes
 * and two worker processes, each its own entry point from source, against one Postgres and one Redis, take
 * a burst of reports and reporter messages sent to both APIs at once. No case is lost (every 201 is a
 * case, and there are no others), no job runs twice (each outbox event's job was started once, and
 * each handler got exactly one e-mail per notice recorded for them) and the council's audit chain, appended
 * to by all four processes at once, is intact.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { QueueName } from '../../apps/api/src/queues/queue-names';
import { cli } from '../support/cli';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const root = join(__dirname, '..', '..');
const REPORTS = 16;
const MESSAGES = 8;

function spawnEntry(entry: 'main.ts' | 'worker.ts', env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/api/src/${entry}`], {
    cwd: root,
    env: { ...process.env, ...TEST_ENV, SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  return child;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function call(
  base: string,
  method: string,
  path: string,
  json?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/** A challenge from one API, solved as the reporter's browser would (reporter-client.ts, over fetch). */
async function proof(
  base: string,
  slug: string,
  purpose: 'submission' | 'reporter-session',
): Promise<string> {
  const { body } = await call(base, 'GET', `/tenants/${slug}/challenge?purpose=${purpose}`);
  const c = body as {
    algorithm: string;
    challenge: string;
    maxnumber: number;
    salt: string;
    signature: string;
  };
  for (let number = 0; number <= c.maxnumber; number++) {
    if (
      createHash('sha256')
        .update(c.salt + number)
        .digest('hex') === c.challenge
    ) {
      const payload = {
        algorithm: c.algorithm,
        challenge: c.challenge,
        number,
        salt: c.salt,
        signature: c.signature,
      };
      return Buffer.from(JSON.stringify(payload)).toString('base64');
    }
  }
  throw new Error('could not solve the challenge');
}

describe('two APIs and two workers on one Postgres and one Redis', () => {
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  const processes: ChildProcess[] = [];
  const bases: string[] = [];
  const connection = new Redis(TEST_ENV.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.CaseEvents, { connection, prefix: `${TEST_ENV.REDIS_PREFIX}:bull` });

  const inTenantQuery = <T>(sql: string, params: unknown[] = []): Promise<T> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T>;
    });

  beforeAll(async () => {
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('scaleout');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    smtp = await startSmtpCatcher();
    for (const port of [await freePort(), await freePort()]) {
      processes.push(spawnEntry('main.ts', { API_PORT: String(port), SMTP_URL: smtp.url }));
      bases.push(`http://127.0.0.1:${port}`);
    }
    processes.push(spawnEntry('worker.ts', { SMTP_URL: smtp.url }));
    processes.push(spawnEntry('worker.ts', { SMTP_URL: smtp.url }));
    for (const base of bases) {
      await waitFor(
        `the API at ${base}`,
        async () => {
          if (processes.some((p) => p.exitCode !== null)) throw new Error('a process exited at start');
          return (await fetch(`${base}/health`).catch(() => null))?.status === 200;
        },
        180_000,
      );
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map(stopped));
    await queue.close();
    connection.disconnect();
    await fixtures.close();
    await smtp.close();
  });

  it('loses no case and runs no job twice', async () => {
    const base = (i: number) => bases[i % 2] as string;
    // Proofs first, from the API each request goes to; then the burst, at both APIs at once.
    const proofs = await Promise.all(
      Array.from({ length: REPORTS }, (_, i) => proof(base(i), tenant.slug, 'submission')),
    );
    const reports = await Promise.all(
      proofs.map((altcha, i) =>
        call(base(i), 'POST', `/tenants/${tenant.slug}/reports`, {
          category: 'fraud_theft',
          answers: { whatHappened: `Burst report ${i}`, howYouKnow: 'saw_it', raisedBefore: 'no' },
          altcha,
        }),
      ),
    );
    expect(reports.map((r) => r.status)).toEqual(Array(REPORTS).fill(201));
    const accepted = reports.map((r) => r.body as { reference: string; receipt: string });

    // Each reporter signs in at the other API and writes to their handlers, all at once.
    const messages = await Promise.all(
      accepted.slice(0, MESSAGES).map(async ({ receipt }, i) => {
        const other = base(i + 1);
        const session = await call(other, 'POST', `/tenants/${tenant.slug}/reporter-sessions`, {
          receipt,
          altcha: await proof(other, tenant.slug, 'reporter-session'),
        });
        expect(session.status).toBe(201);
        return call(
          other,
          'POST',
          '/reporter/case/messages',
          { text: `More ${i}` },
          session.body.token as string,
        );
      }),
    );
    expect(messages.map((m) => m.status)).toEqual(Array(MESSAGES).fill(201));

    // Every notice: a new case and a reporter's message each e-mail both handlers.
    const expectedNotices = 2 * (REPORTS + MESSAGES);
    const ours = (to: string) => to === mo.email || to === s151.email;
    await waitFor(
      'every notice to be sent',
      async () => {
        const [row] = await inTenantQuery<{ sent: string; unsent: string }[]>(
          `SELECT (SELECT count(*) FROM notifications WHERE status = 'sent') AS sent,
                  (SELECT count(*) FROM outbox WHERE sent_at IS NULL) AS unsent`,
        );
        return Number(row?.sent) >= expectedNotices && Number(row?.unsent) === 0;
      },
      180_000,
    );
    // A job run twice would show up as a second e-mail shortly after the first.
    await new Promise((r) => setTimeout(r, 3000));

    // No case lost: the council holds exactly the cases that were accepted, with every message.
    const cases = await inTenantQuery<{ reference: string }[]>(`SELECT reference FROM cases`);
    expect(cases.map((c) => c.reference).sort()).toEqual(accepted.map((a) => a.reference).sort());
    const [messageRows] = await inTenantQuery<{ n: string }[]>(
      `SELECT count(*) AS n FROM case_items WHERE kind = 'message' AND author_kind = 'reporter'`,
    );
    expect(Number(messageRows?.n)).toBe(MESSAGES);

    // No job run twice: each event's job started once, and e-mails match the notices recorded, per person.
    const events = await inTenantQuery<{ id: string; event: string }[]>(`SELECT id, event FROM outbox`);
    expect(events.filter((e) => e.event === 'case.created')).toHaveLength(REPORTS);
    expect(events.filter((e) => e.event === 'case.message_added')).toHaveLength(MESSAGES);
    for (const event of events) {
      const job = await queue.getJob(`outbox-${event.id}`);
      expect({ id: event.id, state: await job?.getState(), started: job?.attemptsStarted }).toEqual({
        id: event.id,
        state: 'completed',
        started: 1,
      });
    }
    const notices = await inTenantQuery<{ user_id: string; n: string }[]>(
      `SELECT user_id, count(*) AS n FROM notifications WHERE status = 'sent' GROUP BY user_id`,
    );
    for (const user of [mo, s151]) {
      const recorded = Number(notices.find((n) => n.user_id === user.id)?.n ?? 0);
      expect(recorded).toBe(REPORTS + MESSAGES);
      expect(smtp.mails.flatMap((m) => m.to).filter((to) => to === user.email)).toHaveLength(recorded);
    }
    expect(smtp.mails.flatMap((m) => m.to).filter(ours)).toHaveLength(expectedNotices);
    const routed = await inTenantQuery<{ case_id: string; n: string }[]>(
      `SELECT case_id, count(*) AS n FROM audit_entries WHERE action = 'case.routed' GROUP BY case_id`,
    );
    expect(routed).toHaveLength(REPORTS);
    expect(routed.every((r) => Number(r.n) === 1)).toBe(true);

    // The council's audit chain, appended to by four processes at once, verifies.
    const verified = cli(['audit:verify', '--tenant', tenant.slug]);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
  }, 360_000);
});
