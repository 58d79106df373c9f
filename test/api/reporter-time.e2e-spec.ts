/**
 * Issue #14, must show (docs/architecture.md "Reporter time"): a report and a reporter's message sent at
 * known minutes of an hour, with staff acting before, between and after them, leave nothing in a
 * pg_dump, in any Redis key (values and expiry times), in any log line, in any e-mail, in the staff
 * timeline, the audit view or an export's case.json that places either more precisely than the hour's
 * batch; and no ordering puts the reporter's entries between two staff entries of that hour.
 *
 * Everything is real (the API, the workers' own module with its relay timer, BullMQ on Redis, Postgres,
 * an SMTP server), with one clock injected into both processes and moved instead of waiting an hour.
 * Two frames of time are checked: the moved clock (what Nolan stamps) and the real clock (what Postgres,
 * Redis and pino stamp by themselves), each around the moments the reporter acted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { AuditRepository } from '../../apps/api/src/audit/audit.repository';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { LOG_DESTINATION } from '../../apps/api/src/logging/logging.module';
import { Clock } from '../../apps/api/src/sla/clock';
import { RedisRecoveryRunner } from '../../apps/api/src/workers/redis-recovery.runner';
import { WorkerModule } from '../../apps/api/src/workers/worker.module';
import { startApiCapturingLogs } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { redisContents } from '../support/redis-contents';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { MovableClock } from '../support/movable-clock';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Reads a binary body whole (supertest would otherwise parse or drop it). */
function collect(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, Buffer.concat(chunks)));
}

interface Window {
  from: number;
  to: number;
  what: string;
}

/**
 * Every instant written in `text`: ISO 8601 and Postgres timestamps (with or without a zone: Postgres
 * dumps in UTC here), epoch milliseconds and epoch seconds standing alone (not inside hex).
 */
function instantsIn(text: string): { at: number; raw: string }[] {
  const found: { at: number; raw: string }[] = [];
  for (const match of text.matchAll(
    /\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?/g,
  )) {
    const zone = match[3] ? (match[3].length === 3 ? `${match[3]}:00` : match[3]) : 'Z';
    const at = Date.parse(`${match[1]}T${match[2].slice(0, 12)}${zone}`);
    if (!Number.isNaN(at)) found.push({ at, raw: match[0] });
  }
  for (const match of text.matchAll(/(?<![0-9a-fA-F])(1\d{12})(?![0-9a-fA-F])/g)) {
    found.push({ at: Number(match[1]), raw: match[0] });
  }
  for (const match of text.matchAll(/(?<![0-9a-fA-F])(1\d{9})(?![0-9a-fA-F])/g)) {
    found.push({ at: Number(match[1]) * 1000, raw: match[0] });
  }
  return found;
}

function inside(text: string, windows: readonly Window[]): string[] {
  return instantsIn(text)
    .filter(({ at }) => windows.some((w) => at >= w.from && at <= w.to))
    .map(
      ({ raw, at }) =>
        `${raw} (${new Date(at).toISOString()}, in ${windows.find((w) => at >= w.from && at <= w.to)!.what})`,
    );
}

describe('reporter time: nothing places a reporter’s action closer than its batch', () => {
  const clock = new MovableClock();
  const redis = new Redis(TEST_ENV.REDIS_URL);
  let apiLines: string[] = [];
  const workerLines: string[] = [];
  let app: INestApplication;
  let worker: TestingModule;
  let fixtures: StaffFixtures;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let investigator: TestUser;
  let colleague: TestUser;
  let queueAdmin: TestUser;
  let moToken: string;
  let adminToken: string;
  let gpgHome: string;
  const original = { batching: process.env.REPORTER_BATCHING, level: process.env.LOG_LEVEL };

  // The hour the reporter acts in (moved clock): two hours ahead of the real one, so that the two
  // frames of time never overlap.
  const H = Math.floor(Date.now() / HOUR) * HOUR + 2 * HOUR;
  const BATCH = H + HOUR;
  const at = (minutes: number) => new Date(H + minutes * MINUTE);
  const real: Window[] = [];
  const moved: Window[] = [
    { from: at(16).getTime(), to: at(21).getTime(), what: 'the report, moved clock' },
    { from: at(42).getTime(), to: at(47).getTime(), what: 'the message, moved clock' },
  ];

  const server = () => app.getHttpServer();
  /** Mail to this council's staff (a suite before this one may have left notices for its own). */
  const ours = () => smtp.mails.filter((m) => m.to.some((to) => [mo.email, investigator.email].includes(to)));
  const asMo = () => ({
    get: (path: string) => request(server()).get(`/api/v1${path}`).auth(moToken, { type: 'bearer' }),
    post: (path: string, body: object = {}) =>
      request(server()).post(`/api/v1${path}`).auth(moToken, { type: 'bearer' }).send(body),
  });
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T[]>;
    });
  const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /**
   * What an administrator of this council, and anyone at all, can poll while a reporter acts: the queue
   * view (counts and failed jobs) and the public /health. Polled before and after each reporter action
   * (after several relay passes), they must not change: nothing of the action reaches a queue before the
   * boundary, and /health has no counts.
   */
  const observable = async () => {
    const queues = (await asAdmin().get('/admin/queues').expect(200)).body as unknown;
    const health = (await request(server()).get('/health')).body as unknown;
    // (the worker's heartbeat age runs on the worker's own timer, whatever reporters do)
    return JSON.parse(
      JSON.stringify({ queues, health }, (k, v: unknown) =>
        k === 'workerHeartbeatAgeSeconds' ? undefined : v,
      ),
    ) as unknown;
  };
  const asAdmin = () => ({
    get: (path: string) => request(server()).get(`/api/v1${path}`).auth(adminToken, { type: 'bearer' }),
  });
  const staffRelayed = async () => {
    await until('the staff rows relayed', async () => {
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND release_at IS NULL`,
      );
      return row?.n === 0;
    });
    await new Promise((r) => setTimeout(r, 1500));
  };
  /** Runs a reporter's action, recording its real window. */
  const asReporter = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    const from = Date.now();
    const result = await action();
    real.push({ from, to: Date.now(), what: `${what}, real clock` });
    return result;
  };
  const gpg = (args: string[], input?: string | Buffer) => {
    const result = spawnSync('gpg', ['--homedir', gpgHome, '--batch', '--no-tty', ...args], {
      input,
      timeout: 30_000,
    });
    if (result.status !== 0) throw new Error(`gpg ${args.join(' ')}: ${result.stderr.toString()}`);
    return result.stdout.toString('utf8');
  };

  beforeAll(async () => {
    process.env.REPORTER_BATCHING = 'on';
    process.env.LOG_LEVEL = 'info';
    smtp = await startSmtpCatcher();
    process.env.SMTP_URL = smtp.url;
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('rtime');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    // Never routed a case: signs in at H:55 (each TOTP code is accepted once).
    colleague = await fixtures.user(tenant.id, ['administrator']);
    // Watches the administrators' queue view (their own council's) and /health while the reporter acts.
    queueAdmin = await fixtures.user(tenant.id, ['administrator']);
    clock.setTo(at(2));
    const started = await startApiCapturingLogs((builder) => builder.overrideProvider(Clock).useValue(clock));
    app = started.app;
    apiLines = started.lines;
    const logs = new PassThrough();
    logs.on('data', (chunk: Buffer) =>
      workerLines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
    );
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(Clock)
      .useValue(clock)
      .overrideProvider(LOG_DESTINATION)
      .useValue(logs)
      .compile();
    // What earlier suites in this worker's database left unsent (they ran no worker, or their mail server
    // has gone) is set aside first: relayed during this suite it would stamp the real clock beside the
    // reporter's actions.
    const owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();
    await owner.query(`UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL AND release_at IS NULL`);
    await owner.query(`UPDATE notifications SET status = 'sent' WHERE status <> 'sent'`);
    worker.enableShutdownHooks();
    await worker.init();
    try {
      await until(
        'earlier suites’ events to drain',
        async () => {
          const [row] = (
            await owner.query<{ pending: number }>(
              `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND release_at IS NULL)::int +
                      (SELECT count(*) FROM notifications WHERE status <> 'sent')::int AS pending`,
            )
          ).rows;
          return row?.pending === 0;
        },
        60_000,
      );
    } finally {
      await owner.end();
    }
    // The worker's start-up pass over the schedulers and timers is done (a slow machine may have left it
    // to a retry), so it cannot stamp Redis with the real clock while a reporter acts.
    await worker.get(RedisRecoveryRunner).tick();
    await new Promise((r) => setTimeout(r, 2500));
    gpgHome = mkdtempSync(join(tmpdir(), 'nolan-rtime-gpg-'));
  });
  afterAll(async () => {
    process.env.REPORTER_BATCHING = original.batching;
    process.env.LOG_LEVEL = original.level;
    delete process.env.SMTP_URL;
    await worker?.close();
    await app?.close();
    await fixtures?.close();
    await smtp?.close();
    redis.disconnect();
    if (gpgHome) rmSync(gpgHome, { recursive: true, force: true });
  });

  let reference: string;
  let caseId: string;
  let reporterToken: string;

  it('holds a report and a message for the batch, while staff work goes on as usual', async () => {
    // H:05 — staff sign in (staff entries, exact times).
    clock.setTo(at(5));
    moToken = await signInAs(server(), tenant.slug, mo);
    await signInAs(server(), tenant.slug, investigator);
    adminToken = await signInAs(server(), tenant.slug, queueAdmin);

    // H:17 — the report.
    clock.setTo(at(17));
    const beforeReport = await observable();
    // (what the staff did, reading the view included, is relayed and logged before the reporter acts)
    await staffRelayed();
    const sent = await asReporter('the report', async () => {
      const altcha = await solvedAltcha(server(), tenant.slug);
      return (
        await request(server())
          .post(`/api/v1/tenants/${tenant.slug}/reports`)
          .send({
            category: 'gifts_hospitality',
            answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
            altcha,
          })
          .expect(201)
      ).body as { reference: string; receipt: string };
    });
    reference = sent.reference;
    [{ id: caseId }] = await query<{ id: string }>(`SELECT id FROM cases WHERE reference = $1`, [reference]);
    await new Promise((r) => setTimeout(r, 2500));
    const afterReport = await observable();
    expect(afterReport).toEqual(beforeReport);
    expect(JSON.stringify((afterReport as { health: unknown }).health)).not.toMatch(
      /"(waiting|active|delayed|failed|completed)"/,
    );

    // H:30 — staff work goes on (they sign in again), but the case is not theirs to see before its batch's
    // release: neither in the list nor at its door, so nothing they do with it can bound the report.
    clock.setTo(at(30));
    moToken = await signInAs(server(), tenant.slug, mo, 1);
    await signInAs(server(), tenant.slug, investigator, 1);
    const listed = (await asMo().get('/cases?limit=100').expect(200)).body as {
      items: { reference: string }[];
    };
    expect(listed.items.map((c) => c.reference)).not.toContain(reference);
    await asMo().get(`/cases/${reference}`).expect(404);
    await asMo().get(`/cases/${reference}/timeline`).expect(404);
    await asMo().post(`/cases/${reference}/notes`, { text: 'Checked the register.' }).expect(404);
    // In the database the case exists at once (no report is lost), released at the boundary; its SLA
    // clocks still count from the hour it was received (intake reads the real clock for that).
    const [stored] = await query<{ visible_from: Date; received_at: Date }>(
      `SELECT visible_from, received_at FROM cases WHERE id = $1`,
      [caseId],
    );
    expect(new Date(stored!.visible_from).getTime()).toBe(BATCH);
    expect(new Date(stored!.received_at).getTime() % HOUR).toBe(0);
    // The staff work of H:30 is relayed and done before the reporter acts, so what it stamps with the
    // real clock (its job) cannot fall inside the reporter's real window by coincidence.
    await until('the staff rows relayed', async () => {
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND release_at IS NULL`,
      );
      return row?.n === 0;
    });
    await new Promise((r) => setTimeout(r, 1500));

    // H:43 — the reporter signs in with the receipt and sends a message.
    clock.setTo(at(43));
    const beforeMessage = await observable();
    await staffRelayed();
    await asReporter('the message', async () => {
      const altcha = await solvedAltcha(server(), tenant.slug, 'reporter-session');
      const token = (
        await request(server())
          .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
          .send({ receipt: sent.receipt, altcha })
          .expect(201)
      ).body.token as string;
      await request(server())
        .post('/api/v1/reporter/case/messages')
        .auth(token, { type: 'bearer' })
        .field('text', 'The tickets were for the final.')
        .expect(201);
      reporterToken = token;
      // The reporter's session in Redis holds neither the case nor when it began.
      const sessionId = token.split('.')[0];
      const stored = await redis.get(`${TEST_ENV.REDIS_PREFIX}:reporter-session:${sessionId}`);
      expect(stored).toBeTruthy();
      expect(stored).not.toContain(caseId);
      expect(stored).not.toContain(tenant.id);
      expect(stored).not.toMatch(/createdAt|"meta"/);
    });

    await new Promise((r) => setTimeout(r, 2500));
    expect(await observable()).toEqual(beforeMessage);

    // H:55 — staff sign in again; the monitoring officer still cannot reach the case to write to the reporter.
    clock.setTo(at(55));
    // (a colleague signs in: each TOTP code is accepted once, and the first two have theirs used).
    await signInAs(server(), tenant.slug, colleague);
    await asMo()
      .post(`/cases/${reference}/messages`, { text: 'Thank you, we are looking at it.' })
      .expect(404);
    // The reporter's items: released at the boundary, and numbered at random above the identity's range,
    // so in a dump neither their number nor their place says which staff items came before or after.
    const items = await query<{ seq: string; visible_from: Date | null; author_kind: string }>(
      `SELECT seq, visible_from, author_kind FROM case_items WHERE case_id = $1`,
      [caseId],
    );
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const item of items) {
      expect(new Date(item.visible_from!).getTime()).toBe(BATCH);
      expect(BigInt(item.seq) >= 1n << 61n).toBe(true);
    }
    const ordinary = await query(`SELECT 1 FROM case_items WHERE case_id = $1 AND seq < (1::bigint << 61)`, [
      caseId,
    ]);
    expect(ordinary).toHaveLength(0);

    // Several relay passes later, still in the hour: nothing the reporter caused has moved.
    await new Promise((r) => setTimeout(r, 5000));
    expect(ours()).toHaveLength(0);
    const held = await query<{ action: string; release_at: Date }>(
      `SELECT action, release_at FROM audit_held WHERE case_id = $1 OR case_id IS NULL`,
      [caseId],
    );
    expect(held.map((h) => h.action).sort()).toEqual(
      ['auth.sign_in', 'case.created', 'case.message_added', 'grant.created'].sort(),
    );
    expect(held.every((h) => new Date(h.release_at).getTime() === BATCH)).toBe(true);
    const chained = await query<{ actor_type: string; action: string }>(
      `SELECT actor_type, action FROM audit_entries WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    expect(chained.every((e) => e.actor_type === 'staff')).toBe(true);
    const outbox = await query<{ id: string; sent_at: Date | null; release_at: Date | null }>(
      `SELECT id, sent_at, release_at FROM outbox WHERE aggregate_id = $1 ORDER BY id`,
      [caseId],
    );
    const reporterRows = outbox.filter((o) => o.release_at !== null);
    expect(reporterRows).toHaveLength(2);
    // Their ids are random, above the sequence: they say nothing of the staff rows around them.
    // (Staff cannot reach the case before its release, so no staff row of it exists yet; the ids are
    // above the sequence's range, from which every staff row's id comes.)
    const staffRows = outbox.filter((o) => o.release_at === null);
    expect(staffRows).toHaveLength(0);
    for (const row of reporterRows) {
      expect(BigInt(row.id) >= 1n << 61n).toBe(true);
      for (const staff of staffRows) expect(BigInt(row.id) > BigInt(staff.id)).toBe(true);
    }
    expect(reporterRows.every((o) => o.sent_at === null && new Date(o.release_at!).getTime() === BATCH)).toBe(
      true,
    );
    const cache = await redisContents(redis);
    for (const row of reporterRows) expect(cache).not.toContain(`outbox-${row.id}`);

    // The reporter sees their own message at once (their reading it is held for the batch like the rest).
    const own = await request(server())
      .get('/api/v1/reporter/case')
      .auth(reporterToken, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(own.body)).toContain('The tickets were for the final.');
  });

  it('releases everything at the boundary with the boundary’s time, after every staff entry of the hour', async () => {
    clock.setTo(new Date(BATCH + 1000));
    await until('the batch’s notices', () => smtp.mails.filter((m) => m.to.includes(mo.email)).length >= 2);
    await until('the routing to be recorded', async () => {
      const rows = await query(`SELECT 1 FROM audit_entries WHERE case_id = $1 AND action = 'case.routed'`, [
        caseId,
      ]);
      const pending = await query(`SELECT 1 FROM notifications WHERE status <> 'sent'`);
      // A release pass that failed (it never stops the relay) is retried by the next one.
      const held = await query(`SELECT 1 FROM audit_held WHERE release_at <= $1`, [new Date(BATCH)]);
      return rows.length > 0 && pending.length === 0 && held.length === 0;
    });

    // Every notice's Date header is the batch's time.
    for (const mail of ours()) {
      const date = /^Date: (.+)$/m.exec(mail.raw)?.[1];
      expect(new Date(date!).getTime()).toBe(BATCH);
    }
    const sentAt = await query<{ sent_at: Date }>(
      `SELECT n.sent_at FROM notifications n JOIN outbox o ON o.id = n.outbox_id WHERE o.aggregate_id = $1`,
      [caseId],
    );
    expect(sentAt.length).toBeGreaterThanOrEqual(2);
    expect(sentAt.every((n) => new Date(n.sent_at).getTime() === BATCH)).toBe(true);
    const outbox = await query<{ sent_at: Date; release_at: Date | null }>(
      `SELECT sent_at, release_at FROM outbox WHERE aggregate_id = $1 AND release_at IS NOT NULL`,
      [caseId],
    );
    expect(outbox.every((o) => new Date(o.sent_at).getTime() === BATCH)).toBe(true);
    expect(await query(`SELECT 1 FROM audit_held`)).toHaveLength(0);

    // The chain: intact; the reporter's entries (and the system's for them) carry the batch's time and
    // come after every staff entry of the hour they happened in.
    const trail = await query<{
      seq: string;
      actor_type: string;
      occurred_at: Date;
      details: { batch?: boolean };
    }>(`SELECT seq, actor_type, occurred_at, details FROM audit_entries ORDER BY seq`);
    const batched = trail.filter((e) => e.details.batch === true);
    expect(batched.length).toBeGreaterThanOrEqual(5);
    expect(batched.every((e) => new Date(e.occurred_at).getTime() === BATCH)).toBe(true);
    const firstBatched = Math.min(...batched.map((e) => Number(e.seq)));
    const staffOfTheHour = trail.filter(
      (e) => e.actor_type === 'staff' && new Date(e.occurred_at).getTime() < BATCH,
    );
    expect(staffOfTheHour.length).toBeGreaterThanOrEqual(5);
    expect(staffOfTheHour.every((e) => Number(e.seq) < firstBatched)).toBe(true);
    const verdict = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      // The chain is keyed (docs/architecture.md "Reporter time"): verified under the API's AUDIT_KEY.
      return new AuditService(new AuditRepository(), TEST_ENV.AUDIT_KEY).verify(m);
    });
    expect(verdict).toEqual(expect.objectContaining({ intact: true }));

    // From the boundary the handlers see the case and the reporter's message, and work on it: their
    // exact-time entries about it can only come after the batch's time.
    const listed = (await asMo().get('/cases?limit=100').expect(200)).body as {
      items: { reference: string }[];
    };
    expect(listed.items.map((c) => c.reference)).toContain(reference);
    await asMo().get(`/cases/${reference}`).expect(200);
    const shown = (await asMo().get(`/cases/${reference}/timeline?limit=100`).expect(200)).body as {
      events: { action: string; actor: { type: string } }[];
    };
    expect(shown.events.some((e) => e.action === 'case.message_added' && e.actor.type === 'reporter')).toBe(
      true,
    );
    await asMo().post(`/cases/${reference}/notes`, { text: 'Checked the register.' }).expect(201);
    await asMo()
      .post(`/cases/${reference}/messages`, { text: 'Thank you, we are looking at it.' })
      .expect(201);
    const staffItems = await query<{ seq: string; visible_from: Date | null }>(
      `SELECT seq, visible_from FROM case_items WHERE case_id = $1 AND author_kind = 'staff'`,
      [caseId],
    );
    expect(staffItems.length).toBeGreaterThanOrEqual(2);
    for (const item of staffItems) {
      expect(item.visible_from).toBeNull();
      expect(BigInt(item.seq) < 1n << 61n).toBe(true);
    }
  });

  it('shows the reporter to the batch in the timeline, the audit view and an export’s case.json', async () => {
    const timeline = (await asMo().get(`/cases/${reference}/timeline?limit=100`).expect(200)).body as {
      events: { action: string; at: string; precision: string; actor: { type: string } }[];
    };
    const reporterEvents = timeline.events.filter(
      (e) => e.actor.type === 'reporter' || ['case.created', 'case.routed'].includes(e.action),
    );
    expect(reporterEvents.length).toBeGreaterThanOrEqual(2);
    for (const e of reporterEvents) {
      expect(e.precision).toBe('hour');
      expect(new Date(e.at).getTime() % HOUR).toBe(0);
    }
    const lastStaffOfHour = timeline.events.findLastIndex(
      (e) => e.actor.type === 'staff' && new Date(e.at).getTime() < BATCH,
    );
    const message = timeline.events.findIndex(
      (e) => e.action === 'case.message_added' && e.actor.type === 'reporter',
    );
    expect(message).toBeGreaterThan(lastStaffOfHour);
    expect(inside(JSON.stringify(timeline), moved)).toEqual([]);

    const audit = (await asMo().get(`/cases/${reference}/audit?limit=200`).expect(200)).body;
    expect(inside(JSON.stringify(audit), moved)).toEqual([]);

    gpg(['--passphrase', '', '--quick-gen-key', `MO <${mo.email}>`, 'future-default', 'default', 'never']);
    const armored = gpg(['--armor', '--export', mo.email]);
    await request(server())
      .put('/api/v1/me/openpgp-key')
      .auth(moToken, { type: 'bearer' })
      .send({ armoredPublicKey: armored })
      .expect(200);
    const exported = await asMo().post(`/cases/${reference}/exports`).buffer(true).parse(collect).expect(201);
    const signingKey = await request(server())
      .get(`/api/v1/tenants/${tenant.slug}/signing-key`)
      .buffer(true)
      .parse(collect)
      .expect(200);
    gpg(['--import'], signingKey.body as Buffer);
    const dir = mkdtempSync(join(gpgHome, 'export-'));
    writeFileSync(join(dir, 'export.pgp'), exported.body as Buffer);
    gpg(['--trust-model', 'always', '--output', join(dir, 'case.zip'), '--decrypt', join(dir, 'export.pgp')]);
    execFileSync('unzip', ['-q', join(dir, 'case.zip'), '-d', join(dir, 'out')]);
    const caseJson = readFileSync(join(dir, 'out', 'case.json'), 'utf8');
    expect(caseJson).toContain(reference);
    expect(inside(caseJson, moved)).toEqual([]);
  });

  it('leaves no instant near either action in a dump, in Redis, in the logs or in any e-mail', async () => {
    const database = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
    // What pg_dumpall gives of this server for this database: its globals (roles…) and the database.
    // (pg_dumpall itself would read every helper's database on the shared test server.)
    const dump =
      execFileSync('pg_dumpall', ['-h', '127.0.0.1', '-U', 'postgres', '--globals-only'], {
        encoding: 'latin1',
      }) +
      execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', database], {
        encoding: 'latin1',
        maxBuffer: 512 * 1024 * 1024,
      });
    // Every key of every type, and when each expires.
    const keys = await redis.keys('*');
    const expiries: string[] = [];
    for (const key of keys) expiries.push(`${key} ${await redis.call('PEXPIRETIME', key)}`);
    // The heartbeat and the system queue's housekeeping jobs run on their own timers, whatever reporters do.
    const cache = (await redisContents(redis))
      .split('\n')
      .filter((line) => !/worker-heartbeat|bull:system:/.test(line))
      .join('\n');
    const logs = [...apiLines, ...workerLines].join('\n');
    const mails = ours()
      .map((m) => m.raw)
      .join('\n');
    const everything = {
      dump,
      cache,
      expiries: expiries.filter((e) => !/system|heartbeat/.test(e)).join('\n'),
      logs,
      mails,
    };

    expect(mails.length).toBeGreaterThan(0);
    expect(real).toHaveLength(2);
    for (const [where, text] of Object.entries(everything)) {
      expect({ where, found: inside(text, [...moved, ...real]) }).toEqual({ where, found: [] });
    }
    // No log line was written while the reporter acted, and none names their case before the batch.
    for (const line of [...apiLines, ...workerLines]) {
      const time = (JSON.parse(line) as { time?: number }).time ?? 0;
      expect(real.some((w) => time >= w.from && time <= w.to)).toBe(false);
    }
  });

  it('pads texts and files to size buckets, and gives anonymous and identified reports the same records', async () => {
    const send = async (text: string, file: Buffer, identity?: object) =>
      (
        await request(server())
          .post(`/api/v1/tenants/${tenant.slug}/reports`)
          .field(
            'submission',
            JSON.stringify({
              category: 'gifts_hospitality',
              answers: { whatHappened: text, howYouKnow: 'saw_it', raisedBefore: 'no' },
              ...(identity ? { identity } : {}),
              altcha: await solvedAltcha(server(), tenant.slug),
            }),
          )
          .attach('files', file, 'notes.txt')
          .expect(201)
      ).body as { reference: string };
    const anonymous = await send('Short account. '.repeat(10), Buffer.from('a'.repeat(900)));
    const identified = await send(
      'A longer account of what happened. '.repeat(20),
      Buffer.from('b'.repeat(2900)),
      {
        name: 'Pat Example',
        jobTitle: 'Planning officer',
        contact: 'pat@example.org',
      },
    );
    const records = async (reference: string) =>
      (
        await query<{ kind: string; scope: string; author_kind: string; length: number }>(
          `SELECT i.kind, i.scope, i.author_kind, length(i.ciphertext) AS length FROM case_items i
           JOIN cases c ON c.id = i.case_id WHERE c.reference = $1 ORDER BY i.kind, i.scope`,
          [reference],
        )
      ).map((r) => `${r.kind}/${r.scope}/${r.author_kind}/${r.length}`);
    const [a, b] = [await records(anonymous.reference), await records(identified.reference)];
    expect(a.map((r) => r.split('/')[0])).toEqual(['attachment', 'identity', 'report']);
    expect(a).toEqual(b);
  });
});
