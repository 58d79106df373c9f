/**
 * Issue #17's fuzz suite: every operation of the OpenAPI document, driven with generated hostile input
 * (fast-check, a fixed seed and a bounded number of runs) in the three auth contexts (none, a reporter's
 * token, a staff token). Fails on any 5xx and on any stack trace in a body.
 */
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';
import { beatAsAWorker } from '../support/worker-heartbeat';

const SEED = 1717;
const RUNS_PER_OPERATION = 4;

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'NLN-\u0000',
    '\ud800',
    '../../etc/passwd',
    "' OR 1=1 --",
    '%00',
    '__proto__',
    'A'.repeat(300),
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom('email', 'password', 'text', 'to', 'reason', 'receipt', 'roles', 'category', '__proto__'),
    fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 })),
  ),
  fc.constant('['.repeat(5000) + ']'.repeat(5000)),
);
const contentType = fc.constantFrom(
  'application/json',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
);

const STACK = /\n\s+at [^\n]+:\d+:\d+/;

describe('every API operation under generated hostile input', () => {
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let operations: { method: string; path: string }[];
  const tokens: Record<string, string | undefined> = { none: undefined };

  beforeAll(async () => {
    api = await startApi();
    // /health is 503 while no worker beats; the fuzz is about input, so a worker is taken as running.
    await beatAsAWorker();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('fuzz');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const server = api.getHttpServer();
    tokens.staff = await signInAs(server, tenant.slug, mo);
    const sent = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Fuzz', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    tokens.reporter = await signInWithReceipt(server, tenant.slug, sent.body.receipt);
    const doc = (await request(server).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ method, path })),
    );
  });
  afterAll(async () => {
    await fixtures.close();
    await api.close();
  });

  it('never answers 5xx or shows a stack trace, in any of the three auth contexts', async () => {
    const server = api.getHttpServer();
    expect(operations.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const op of operations) {
      // Sign-out would end the contexts' sessions for the operations after it.
      if (op.method === 'delete' && /sessions\/current|reporter\/session/.test(op.path)) continue;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('none', 'reporter', 'staff'),
          fc.array(hostileText, { minLength: 3, maxLength: 3 }),
          hostileJson,
          contentType,
          async (context, params, body, type) => {
            let i = 0;
            const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++ % 3] ?? ''));
            let req = (request(server) as unknown as Record<string, (p: string) => request.Test>)[op.method](
              path,
            );
            const token = tokens[context];
            if (token) req = req.set('authorization', `Bearer ${token}`);
            if (op.method !== 'get')
              req = req
                .set('content-type', type)
                .send(typeof body === 'string' ? body : JSON.stringify(body));
            const res = await req;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500 || STACK.test(res.text ?? '')) {
              failures.push(
                `${op.method.toUpperCase()} ${op.path} [${context}] → ${res.status} ${String(res.text).slice(0, 200)}`,
              );
            }
            return true;
          },
        ),
        { seed: SEED, numRuns: RUNS_PER_OPERATION * 3 },
      );
    }
    expect(failures).toEqual([]);
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThan(operations.length * RUNS_PER_OPERATION * 2);
  }, 300_000);
});
