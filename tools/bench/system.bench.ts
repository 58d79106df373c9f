// Why this exists: issue #18's figures, measured in one run on the real thing — the API and the workers as
// `npm start` builds them, on a database of national size — driven over HTTP from this process (proofs of
// work solved before each timed window), with the crypto floor measured in the same run so figures from a
// busy or a quiet machine can be compared as ratios. Prints one table; nothing passes or fails.
// BENCH_SCALE=small (default, a quick check) or full (1,000,000 cases in 1,000 councils, a council of
// 20,000). docs/performance.md "How to reproduce" says how long each takes.
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash, randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { authenticator } from 'otplib';
import { Client } from 'pg';
import sharp from 'sharp';
import type { BenchContext } from './bench';
import { measureCryptoFloor } from './crypto-floor.bench';
import {
  type BenchUrls,
  SCALES,
  type Scale,
  type Seeded,
  type SeededUser,
  recreateDatabase,
  seed,
} from './system/seed';
import {
  type CpuSnapshot,
  LOG_DIR,
  ROOT,
  build,
  cpuBetween,
  cpuSnapshot,
  mailSink,
  rssMb,
  rssParts,
  settled,
  startStack,
} from './system/stack';

const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 4150);
const DATABASE = process.env.BENCH_DATABASE ?? 'nolan_bench';
const REDIS_DB = Number(process.env.BENCH_REDIS_DB ?? 10);
const REPORT = 'I saw the contract awarded to a company owned by the officer who scored the bids. '
  .repeat(60)
  .slice(0, 4096);

interface Sample {
  ms: number;
  ok: boolean;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

class Api {
  constructor(readonly base: string) {}

  async call(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; form?: FormData } = {},
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) body = options.form;
    // A kept-alive socket the API closed just as it was reused fails the fetch: a read is asked again
    // (on a fresh connection); a write is counted as the error it is.
    let res: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await fetch(`${this.base}/api/v1${path}`, { method, headers, body });
        break;
      } catch (error) {
        if (method !== 'GET' || attempt >= 3) throw error;
      }
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }

  /** A challenge fetched and solved as the reporter's browser would, before any timed window. */
  async proof(slug: string, purpose: 'submission' | 'reporter-session'): Promise<string> {
    const res = await this.call('GET', `/tenants/${slug}/challenge?purpose=${purpose}`);
    const c = res.body as {
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
    throw new Error('could not solve a proof of work');
  }

  async signIn(slug: string, user: SeededUser): Promise<{ token: string; ms: number }> {
    const start = performance.now();
    const res = await this.call('POST', `/tenants/${slug}/sessions`, {
      json: { email: user.email, password: user.password, totp: authenticator.generate(user.totpSecret) },
    });
    const ms = performance.now() - start;
    if (res.status !== 201)
      throw new Error(`staff sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { token: (res.body as { token: string }).token, ms };
  }
}

interface IntakeRun {
  clients: number;
  ok: number;
  errors: number;
  errorStatuses: Record<string, number>;
  /** The first answer of each kind of error, to say what went wrong. */
  errorBodies: Record<string, string>;
  seconds: number;
  latencies: number[];
  accepted: { reference: string; receipt: string; at: number }[];
  /** CPU seconds each part of the machine used during the timed window, where it was measured. */
  cpu?: CpuSnapshot;
}

async function runIntake(
  api: Api,
  slug: string,
  clients: number,
  total: number,
  jpeg: Buffer,
  measure?: () => CpuSnapshot,
): Promise<IntakeRun> {
  const proofs: string[] = [];
  for (let i = 0; i < total; i++) proofs.push(await api.proof(slug, 'submission'));
  const categories = ['fraud_theft', 'bribery_corruption', 'conflicts_of_interest', 'misuse_of_public_funds'];
  const run: IntakeRun = {
    clients,
    ok: 0,
    errors: 0,
    errorStatuses: {},
    errorBodies: {},
    seconds: 0,
    latencies: [],
    accepted: [],
  };
  let next = 0;
  const cpuBefore = measure?.();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) {
        const submission = {
          category: categories[i % categories.length],
          answers: {
            whatHappened: REPORT,
            when: 'Last March',
            where: 'Planning office',
            howYouKnow: 'documents',
            raisedBefore: 'no',
          },
          altcha: proofs[i],
        };
        let options: { json?: unknown; form?: FormData };
        if (i % 10 === 9) {
          const form = new FormData();
          form.set('submission', JSON.stringify(submission));
          form.set('files', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'photo.jpg');
          options = { form };
        } else options = { json: submission };
        const t0 = performance.now();
        const res = await api
          .call('POST', `/tenants/${slug}/reports`, options)
          .catch(() => ({ status: 0, body: null }));
        run.latencies.push(performance.now() - t0);
        if (res.status === 201) {
          run.ok += 1;
          const body = res.body as { reference: string; receipt: string };
          run.accepted.push({ reference: body.reference, receipt: body.receipt, at: Date.now() });
        } else {
          run.errors += 1;
          run.errorStatuses[res.status] = (run.errorStatuses[res.status] ?? 0) + 1;
          run.errorBodies[res.status] ??= JSON.stringify(res.body).slice(0, 200);
        }
      }
    }),
  );
  run.seconds = (performance.now() - start) / 1000;
  const cpuAfter = measure?.();
  if (cpuBefore && cpuAfter) run.cpu = cpuBetween(cpuBefore, cpuAfter);
  return run;
}

/** ANALYZE of the whole database, as autovacuum would leave it after a burst of writes. */
async function analyse(ownerUrl: string): Promise<void> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

/**
 * Waits for every accepted case's recipients to be e-mailed; returns ms from acceptance to the notice.
 * Reports are batched (docs/architecture.md "Reporter time"): nothing is sent before the batch's release,
 * and `sent_at` is stamped with the release's time, so the wait runs to the council's release (its own
 * setting, hourly by default: up to an hour) and times each notice as this poll first sees it sent.
 */
async function routingLatencies(
  ownerUrl: string,
  accepted: IntakeRun['accepted'],
  timeoutMs: number,
): Promise<{ latencies: number[]; notified: number; batchMinutes: number }> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    const references = accepted.map((a) => a.reference);
    const [held] = (
      await db.query<{ release: Date | null; minutes: number | null }>(
        `SELECT max(o.release_at) AS release, max(t.reporter_batch_minutes) AS minutes
           FROM cases c JOIN tenants t ON t.id = c.tenant_id
           LEFT JOIN outbox o ON o.aggregate_id = c.id AND o.event = 'case.created'
          WHERE c.reference = ANY($1)`,
        [references],
      )
    ).rows;
    const release = held?.release?.getTime() ?? Date.now();
    console.log(
      `  reports are batched (${held?.minutes ?? '?'} min): waiting for the release at ` +
        `${new Date(release).toISOString()} (${((release - Date.now()) / 60_000).toFixed(1)} min from now)`,
    );
    const deadline = Math.max(Date.now(), release) + timeoutMs;
    const seen = new Map<string, number>();
    for (;;) {
      const rows = (
        await db.query<{ reference: string }>(
          `SELECT c.reference
             FROM cases c JOIN outbox o ON o.aggregate_id = c.id AND o.event = 'case.created'
             JOIN notifications n ON n.outbox_id = o.id
            WHERE c.reference = ANY($1)
            GROUP BY c.reference
           HAVING bool_and(n.status = 'sent')`,
          [references],
        )
      ).rows;
      const now = Date.now();
      for (const row of rows) if (!seen.has(row.reference)) seen.set(row.reference, now);
      if (seen.size >= references.length || now > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, now < release - 5000 ? 2000 : 250));
    }
    const at = new Map(accepted.map((a) => [a.reference, a.at]));
    const latencies = [...seen].map(([reference, sent]) => Math.max(0, sent - (at.get(reference) ?? 0)));
    const afterRelease = [...seen.values()].map((sent) => sent - release).sort((a, b) => a - b);
    console.log(
      `  submission → notice: mean ${(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length) / 60_000).toFixed(1)} min; ` +
        `release → last notice ${afterRelease.at(-1) ?? '—'} ms (${seen.size}/${references.length} notified)`,
    );
    return { latencies, notified: seen.size, batchMinutes: held?.minutes ?? 60 };
  } finally {
    await db.end();
  }
}

async function timed(n: number, step: (i: number) => Promise<boolean>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const ok = await step(i);
    samples.push({ ms: performance.now() - start, ok });
  }
  return samples;
}

function fmt(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export async function systemBench(context: BenchContext): Promise<void> {
  const scaleName = (process.env.BENCH_SCALE ?? 'small') as Scale['name'];
  const scale = SCALES[scaleName];
  if (!scale) throw new Error('BENCH_SCALE must be small or full');
  const apiProcesses = Number(process.env.BENCH_API_PROCESSES ?? 1);
  const intakeMax = process.env.BENCH_INTAKE_MAX_CONCURRENT ?? '64';
  const urls: BenchUrls = {
    ownerUrl: `postgres://postgres@127.0.0.1:5432/${DATABASE}`,
    appUrl: `postgres://${DATABASE}_app@127.0.0.1:5432/${DATABASE}`,
  };
  const secret = () => randomBytes(32).toString('base64url');
  const secrets = {
    sessionSecret: secret(),
    receiptPepper: secret(),
    exportSigningSecret: secret(),
    auditKey: secret(),
    modeTagSecret: secret(),
  };
  const startedAt = performance.now();
  const phase = (label: string) =>
    console.log(`  [${fmt((performance.now() - startedAt) / 1000, 0)} s] ${label}`);

  console.log(
    `scale ${scale.name}: ${scale.totalCases.toLocaleString('en-GB')} cases in ${scale.councils} councils, ` +
      `the measured council ${scale.councilCases.toLocaleString('en-GB')}`,
  );
  phase('building the API (nx, cached after the first run)');
  build();
  phase('seeding');
  await recreateDatabase(urls);
  const seeded: Seeded = await seed(urls, scale, secrets);
  phase('seeded');
  if (process.env.BENCH_SEED_ONLY) {
    // For EXPLAIN ANALYZE on a database of this scale (docs/performance.md "The case list"): stop here.
    // The secrets the seed used go to tmp/<database>.env (mode 0600), so an API can be started on the
    // seeded database to measure it alone (docs/performance.md "Memory").
    const envFile = join(ROOT, 'tmp', `${DATABASE}.env`);
    writeFileSync(
      envFile,
      Object.entries({
        SESSION_SECRET: secrets.sessionSecret,
        RECEIPT_PEPPER: secrets.receiptPepper,
        EXPORT_SIGNING_SECRET: secrets.exportSigningSecret,
        AUDIT_KEY: secrets.auditKey,
        MODE_TAG_SECRET: secrets.modeTagSecret,
        DATABASE_URL: urls.appUrl,
        MIGRATION_DATABASE_URL: urls.ownerUrl,
      })
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
      { mode: 0o600 },
    );
    console.log(
      `seeded ${DATABASE}: council ${seeded.slug} (${seeded.tenantId}), monitoring officer ${seeded.monitoringOfficer.id}, investigator ${seeded.investigator.id}; its secrets in ${envFile}`,
    );
    return;
  }
  const redis = new Redis(`redis://127.0.0.1:6379/${REDIS_DB}`);
  await redis.flushdb();
  redis.disconnect();
  const mail = await mailSink(PORT_BASE + 1);
  const stack = await startStack(
    {
      NODE_ENV: 'production',
      DATABASE_URL: urls.appUrl,
      MIGRATION_DATABASE_URL: urls.ownerUrl,
      REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}`,
      REDIS_PREFIX: 'nolan-bench',
      SESSION_SECRET: secrets.sessionSecret,
      RECEIPT_PEPPER: secrets.receiptPepper,
      EXPORT_SIGNING_SECRET: secrets.exportSigningSecret,
      AUDIT_KEY: secrets.auditKey,
      MODE_TAG_SECRET: secrets.modeTagSecret,
      SMTP_URL: `smtp://127.0.0.1:${PORT_BASE + 1}`,
      LOG_LEVEL: 'warn',
      INTAKE_MAX_CONCURRENT: intakeMax,
      API_PROCESSES: String(apiProcesses),
      UPLOAD_TMP_DIR: join(ROOT, 'tmp', 'bench-uploads'),
    },
    { apiPort: PORT_BASE },
  );
  const api = new Api(stack.baseUrl);
  try {
    phase('API and worker up');
    const waited = await settled(stack.workers);
    phase(`workers settled (${fmt(waited, 0)} s: what the seed left them, before anything is measured)`);
    const jpeg = await sharp({
      create: {
        width: 400,
        height: 300,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 92 })
      .toBuffer();
    // Warm-up: JIT, connection pools, parsed-key caches.
    await runIntake(api, seeded.slug, 4, 20, jpeg);
    phase('intake, one client');
    const one = await runIntake(api, seeded.slug, 1, scale.intakeOneClient, jpeg);
    phase('intake, 32 clients');
    const many = await runIntake(api, seeded.slug, 32, scale.intakeManyClients, jpeg, () =>
      cpuSnapshot(stack),
    );
    console.log(
      `  intake: 1 client ${fmt(percentile(one.latencies, 50), 1)} ms p50, ${fmt(one.ok / one.seconds, 1)}/s; ` +
        `32 clients ${fmt(many.ok / many.seconds, 1)}/s, p99 ${fmt(percentile(many.latencies, 99), 0)} ms, ${many.errors} errors`,
    );
    // BENCH_SKIP_ROUTING=1 leaves the routing row out: with reporter batching the wait runs to the
    // council's next release (up to an hour), which a run measuring intake alone need not sit through.
    const skipRouting = Boolean(process.env.BENCH_SKIP_ROUTING);
    if (!skipRouting) phase('waiting for the notices');
    const routing = skipRouting
      ? { latencies: [], notified: 0, batchMinutes: Number.NaN }
      : await routingLatencies(urls.ownerUrl, many.accepted, 120_000);

    // What autovacuum would do within a minute of the intake runs, on a server where it is on (Postgres's
    // default; it is off on the machine these figures come from): the held tables took a batch's rows
    // (docs/architecture.md "Held tables"), and statistics from before them would plan the reads for
    // tables that were empty.
    await analyse(urls.ownerUrl);

    phase('receipt sign-in');
    const reporters = many.accepted.slice(0, Math.min(100, many.accepted.length));
    const reporterProofs: string[] = [];
    for (let i = 0; i < reporters.length; i++)
      reporterProofs.push(await api.proof(seeded.slug, 'reporter-session'));
    const receiptSignIn = await timed(reporters.length, async (i) => {
      const res = await api.call('POST', `/tenants/${seeded.slug}/reporter-sessions`, {
        json: { receipt: reporters[i]?.receipt, altcha: reporterProofs[i] },
      });
      return res.status === 201;
    });

    phase('staff');
    const investigator = await api.signIn(seeded.slug, seeded.investigator);
    const mo = await api.signIn(seeded.slug, seeded.monitoringOfficer);
    const opens = await timed(Math.max(50, context.iterations / 2), async (i) => {
      const ref = seeded.openable[i % seeded.openable.length];
      const res = await api.call('GET', `/cases/${ref}`, { token: investigator.token });
      const body = res.body as { messages?: unknown[] };
      return res.status === 200 && (body.messages?.length ?? 0) === 20;
    });
    const pages = await timed(Math.max(50, context.iterations / 2), async (i) => {
      const ref = seeded.openable[i % seeded.openable.length] as string;
      const first = await api.call('GET', `/cases/${ref}`, { token: investigator.token });
      const rest = await Promise.all(
        ['timeline', 'identity-requests', 'identity', 'links'].map((part) =>
          api.call('GET', `/cases/${ref}/${part}`, { token: investigator.token }),
        ),
      );
      return first.status === 200 && rest.every((r) => r.status === 200 || r.status === 404);
    });
    const listQueries = [
      '?limit=50',
      '?limit=50&status=investigation',
      '?limit=50&category=fraud_theft',
      '?limit=50&offset=5000',
      '?limit=50&q=NLN-0000',
    ];
    const lists = await timed(Math.max(100, context.iterations), async (i) => {
      const res = await api.call('GET', `/cases${listQueries[i % listQueries.length]}`, { token: mo.token });
      return res.status === 200;
    });
    // Each kind of list query's own p95, printed under the table (which one sets the figure).
    const listBreakdown = listQueries
      .map((query, q) => {
        const own = lists.filter((_, i) => i % listQueries.length === q).map((s) => s.ms);
        return `${query} ${fmt(percentile(own, 95), 1)} ms`;
      })
      .join('; ');
    const mine = await timed(Math.max(20, context.iterations / 10), async () => {
      const res = await api.call('GET', '/cases?limit=50&assignee=me', { token: investigator.token });
      return res.status === 200;
    });
    const listTotal = (
      (await api.call('GET', '/cases?limit=1', { token: mo.token })).body as { total: number }
    ).total;

    let dashboard = 'not available';
    if (existsSync(join(ROOT, 'apps', 'api', 'src', 'dashboard'))) {
      const res = await api.call('GET', '/dashboard/figures', { token: mo.token });
      if (res.status === 200) {
        const samples = await timed(
          50,
          async () => (await api.call('GET', '/dashboard/figures', { token: mo.token })).status === 200,
        );
        dashboard = `${fmt(
          percentile(
            samples.map((s) => s.ms),
            95,
          ),
          1,
        )} ms`;
      } else dashboard = `not available (HTTP ${res.status})`;
    }
    const apiRss = stack.api.reduce((sum, child) => sum + rssMb(child.pid), 0);
    const workerRss = stack.workers.reduce((sum, child) => sum + rssMb(child.pid), 0);
    console.log(
      `  resident sets after the run: API ${stack.api.map((child) => rssParts(child.pid)).join(', ')}; ` +
        `worker ${stack.workers.map((child) => rssParts(child.pid)).join(', ')}`,
    );

    phase('crypto floor (same run)');
    const floor = await measureCryptoFloor(Math.max(50, Math.min(200, context.iterations)));
    const floorTwoCores = (2 * 1000) / floor.meanMs;

    const rate = (r: IntakeRun) => r.ok / r.seconds;
    const errText = (r: IntakeRun) =>
      `${r.errors}${
        r.errors
          ? ` (${Object.entries(r.errorStatuses)
              .map(([s, n]) => `${n}×${s}`)
              .join(', ')})`
          : ''
      }`;
    const p = (samples: number[], q: number) => percentile(samples, q);
    const failures = (samples: Sample[]) => samples.filter((s) => !s.ok).length;
    const xFloor = (ms: number) => `${fmt(ms / floor.meanMs, 1)}× floor`;
    const rows: [string, string, string, string, string][] = [
      [
        'intake, 1 client: rate',
        `${fmt(rate(one), 1)}/s`,
        '—',
        '—',
        `${fmt((100 * rate(one)) / floorTwoCores, 0)}% of 2-core floor`,
      ],
      [
        'intake, 1 client: p50',
        `${fmt(p(one.latencies, 50), 1)} ms`,
        '< 30 ms',
        p(one.latencies, 50) < 30 ? 'yes' : 'NO',
        xFloor(p(one.latencies, 50)),
      ],
      ['intake, 1 client: p99', `${fmt(p(one.latencies, 99), 1)} ms`, '—', '—', xFloor(p(one.latencies, 99))],
      ['intake, 1 client: errors', errText(one), '0', one.errors === 0 ? 'yes' : 'NO', ''],
      [
        'intake, 32 clients: rate',
        `${fmt(rate(many), 1)}/s`,
        '≥ 100/s',
        rate(many) >= 100 ? 'yes' : 'NO',
        `${fmt((100 * rate(many)) / floorTwoCores, 0)}% of 2-core floor (target ≥ 60%)`,
      ],
      [
        'intake, 32 clients: p50',
        `${fmt(p(many.latencies, 50), 0)} ms`,
        '—',
        '—',
        xFloor(p(many.latencies, 50)),
      ],
      [
        'intake, 32 clients: p99',
        `${fmt(p(many.latencies, 99), 0)} ms`,
        '< 500 ms',
        p(many.latencies, 99) < 500 ? 'yes' : 'NO',
        xFloor(p(many.latencies, 99)),
      ],
      ['intake, 32 clients: errors', errText(many), '0', many.errors === 0 ? 'yes' : 'NO', ''],
      skipRouting
        ? ['routing, accepted → notified: p95', 'skipped (BENCH_SKIP_ROUTING)', '< batch + 5 s', '—', '']
        : [
            `routing, accepted → notified (batch ${routing.batchMinutes} min): p95`,
            `${fmt(p(routing.latencies, 95), 0)} ms (${routing.notified}/${many.ok} notified)`,
            `< batch + 5 s`,
            p(routing.latencies, 95) < routing.batchMinutes * 60_000 + 5000 && routing.notified === many.ok
              ? 'yes'
              : 'NO',
            xFloor(p(routing.latencies, 95)),
          ],
      [
        'receipt sign-in: p95',
        `${fmt(
          p(
            receiptSignIn.map((s) => s.ms),
            95,
          ),
          1,
        )} ms (${failures(receiptSignIn)} failed)`,
        '< 50 ms',
        p(
          receiptSignIn.map((s) => s.ms),
          95,
        ) < 50 && !failures(receiptSignIn)
          ? 'yes'
          : 'NO',
        xFloor(
          p(
            receiptSignIn.map((s) => s.ms),
            95,
          ),
        ),
      ],
      [
        'handler opens a case (report + 20 messages): p95',
        `${fmt(
          p(
            opens.map((s) => s.ms),
            95,
          ),
          1,
        )} ms (${failures(opens)} failed)`,
        '< 50 ms',
        p(
          opens.map((s) => s.ms),
          95,
        ) < 50 && !failures(opens)
          ? 'yes'
          : 'NO',
        xFloor(
          p(
            opens.map((s) => s.ms),
            95,
          ),
        ),
      ],
      [
        'staff case page (5 calls): p95',
        `${fmt(
          p(
            pages.map((s) => s.ms),
            95,
          ),
          1,
        )} ms (${failures(pages)} failed)`,
        '< 150 ms',
        p(
          pages.map((s) => s.ms),
          95,
        ) < 150 && !failures(pages)
          ? 'yes'
          : 'NO',
        xFloor(
          p(
            pages.map((s) => s.ms),
            95,
          ),
        ),
      ],
      [
        `case list, page of 50 of ${listTotal.toLocaleString('en-GB')}: p95`,
        `${fmt(
          p(
            lists.map((s) => s.ms),
            95,
          ),
          1,
        )} ms (${failures(lists)} failed)`,
        '< 30 ms',
        p(
          lists.map((s) => s.ms),
          95,
        ) < 30 && !failures(lists)
          ? 'yes'
          : 'NO',
        xFloor(
          p(
            lists.map((s) => s.ms),
            95,
          ),
        ),
      ],
      [
        'case list, assigned to me: p95',
        `${fmt(
          p(
            mine.map((s) => s.ms),
            95,
          ),
          1,
        )} ms`,
        '< 30 ms',
        p(
          mine.map((s) => s.ms),
          95,
        ) < 30 && !failures(mine)
          ? 'yes'
          : 'NO',
        xFloor(
          p(
            mine.map((s) => s.ms),
            95,
          ),
        ),
      ],
      [
        'dashboard: p95',
        dashboard,
        '< 200 ms',
        dashboard.endsWith(' ms') && parseFloat(dashboard) < 200 ? 'yes' : '—',
        '',
      ],
      [
        'staff sign-in (Argon2 unlock), one',
        `${fmt((investigator.ms + mo.ms) / 2, 0)} ms`,
        '—',
        '—',
        xFloor((investigator.ms + mo.ms) / 2),
      ],
      ['memory: API RSS after the run', `${fmt(apiRss, 0)} MB`, '< 300 MB', apiRss < 300 ? 'yes' : 'NO', ''],
      [
        'memory: worker RSS after the run',
        `${fmt(workerRss, 0)} MB`,
        '< 300 MB',
        workerRss < 300 ? 'yes' : 'NO',
        '',
      ],
      [
        'crypto floor: one submission, one core',
        `${fmt(floor.meanMs, 1)} ms (${fmt(1000 / floor.meanMs, 0)}/s; 2 cores ${fmt(floorTwoCores, 0)}/s)`,
        '—',
        '—',
        '1.0× floor',
      ],
    ];
    const header: [string, string, string, string, string] = [
      'figure',
      'measured',
      'target',
      'met',
      'vs crypto floor',
    ];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]?.length ?? 0)));
    const line = (cells: string[]) =>
      `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
    console.log('');
    console.log(
      `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 0)} GB, ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}; node ${process.version}; ` +
        `API processes ${apiProcesses}, INTAKE_MAX_CONCURRENT ${intakeMax}; scale ${scale.name}; ` +
        `${mail.count()} notices e-mailed; run took ${fmt((performance.now() - startedAt) / 1000, 0)} s`,
    );
    console.log(line(header));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const row of rows) console.log(line(row));
    for (const run of [one, many]) {
      for (const [status, body] of Object.entries(run.errorBodies)) {
        console.log(`  intake at ${run.clients}: HTTP ${status}, e.g. ${body}`);
      }
    }
    if (many.cpu && many.ok > 0) {
      // Where a report's CPU went at 32 clients: the machine's two cores bound the rate at
      // 2000 / (its busy milliseconds per report).
      const perReport = (seconds: number) => `${fmt((1000 * seconds) / many.ok, 1)} ms`;
      const { api: apiCpu, apiSystem, workers, postgres, bench, machine } = many.cpu;
      const rest = machine - apiCpu - workers - postgres - bench;
      console.log(
        `  CPU per report at 32 clients: API ${perReport(apiCpu)} (${perReport(apiSystem)} in the kernel), Postgres ${perReport(postgres)}, ` +
          `workers ${perReport(workers)}, bench clients ${perReport(bench)}, rest of the machine ${perReport(rest)}; ` +
          `machine ${perReport(machine)} (${fmt((100 * machine) / (cpus().length * many.seconds), 0)}% of its cores busy)`,
      );
    }
    console.log(`  case list p95 by query (monitoring officer): ${listBreakdown}`);
    console.log(`  API and worker logs (warnings and errors): ${LOG_DIR}`);
  } finally {
    await stack.stop();
    await mail.close();
  }
}
