/// <reference types="jest" />
// Why this exists: the before/after figures of docs/performance.md "Round trips per case read". It times
// N case opens (a 4 KB report and 20 messages, decrypted, checked, audited) and N/2 staff case pages (the
// case, then its timeline, identity requests, identity and links at once, as the portal does) on the API
// in process, as the e2e suites run it (its own database, reporter batching on), and the time one open
// spends awaiting Postgres and its statement count. Figures only: it asserts nothing, so it lives here,
// not among the suites. Run it on each version in turn:
//   NOLAN_TEST_DB=nolan_<name> NOLAN_TEST_REDIS_DB=<n> TIMING_N=80 TIMING_LABEL=after \
//     nice npx jest -c tools/bench/case-open/jest.config.js --maxWorkers=1
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { startApi } from '../../../test/support/api-app';
import { bearerApi, signInAs, StaffFixtures } from '../../../test/support/staff-fixtures';

const N = Number(process.env.TIMING_N ?? 60);
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((q / 100) * s.length) - 1)] as number;
};

describe('timing', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  afterAll(async () => {
    await fixtures?.close();
    await app?.close();
  });
  it('times', async () => {
    process.env.REPORTER_BATCHING = 'on';
    app = await startApi();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('timing');
    const owner = await fixtures.user(tenant.id, ['investigator']);
    const refs: string[] = [];
    for (let c = 0; c < 3; c++) {
      const created = await fixtures.case(tenant.id, {
        category: 'fraud_theft',
        staffIds: [owner.id],
        report: { answers: { whatHappened: 'x'.repeat(4000) }, involves: [] },
      });
      refs.push(created.reference);
    }
    const api = bearerApi(app.getHttpServer(), await signInAs(app.getHttpServer(), tenant.slug, owner));
    for (const ref of refs)
      for (let i = 0; i < 20; i++)
        await api.post(`/cases/${ref}/messages`, { text: `Message ${i + 1} ${'y'.repeat(200)}` }).expect(201);
    const time = async (f: () => Promise<unknown>) => {
      const t = process.hrtime.bigint();
      await f();
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const open = (i: number) => api.get(`/cases/${refs[i % refs.length]}`).expect(200);
    const page = async (i: number) => {
      const ref = refs[i % refs.length];
      await api.get(`/cases/${ref}`).expect(200);
      await Promise.all(
        ['timeline', 'identity-requests', 'identity', 'links'].map((p) => api.get(`/cases/${ref}/${p}`)),
      );
    };
    for (let i = 0; i < 5; i++) {
      await open(i);
      await page(i);
    }
    let dbMs = 0;
    let stmts = 0;
    const proto = Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
    const orig = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const t = process.hrtime.bigint();
      stmts++;
      const done = () => (dbMs += Number(process.hrtime.bigint() - t) / 1e6);
      const r = orig.apply(this, args) as Promise<unknown> | undefined;
      if (r && typeof r.then === 'function') r.then(done, done);
      return r;
    };
    const spans: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < 40; i++) {
      dbMs = 0;
      stmts = 0;
      await open(i);
      spans.push(dbMs);
      counts.push(stmts);
    }
    proto.query = orig;
    console.log(
      `DBSPAN ${process.env.TIMING_LABEL ?? ''}: per open ${counts[0]} statements, time awaiting them p50 ${pct(spans, 50).toFixed(1)} ms, p95 ${pct(spans, 95).toFixed(1)} ms`,
    );
    const opens: number[] = [];
    const pages: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < N; i++) opens.push(await time(() => open(i)));
    const cpu1 = process.cpuUsage(cpu0);
    for (let i = 0; i < N / 2; i++) pages.push(await time(() => page(i)));
    const f = (x: number) => x.toFixed(1);
    console.log(
      `TIMING ${process.env.TIMING_LABEL ?? ''}: opens n=${N} p50 ${f(pct(opens, 50))} p95 ${f(pct(opens, 95))} ms; ` +
        `cpu/open ${f((cpu1.user + cpu1.system) / 1000 / N)} ms; pages n=${N / 2} p50 ${f(pct(pages, 50))} p95 ${f(pct(pages, 95))} ms`,
    );
  });
});
