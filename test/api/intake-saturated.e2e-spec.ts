/**
 * Intake while Postgres is too saturated to answer in time (docs/abuse-resistance.md "Degrading, never a
 * 500 (issue #17)", "What an error's log line holds"): a lock that is not obtained within its
 * `lock_timeout`, or a statement cancelled by its `statement_timeout`, inside the report's own write
 * transaction, is a 503 with Retry-After and a message, never a 500; nothing of the report is written, the
 * same report sent again is taken whole, and the error is logged by class, SQLSTATE and message only at
 * the turn of the hour, never at the moment the reporter acted.
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { CaseStoreService } from '../../apps/api/src/cases/store/case-store.service';
import { HourlyErrorTally } from '../../apps/api/src/errors/error-log';
import { startApiCapturingLogs } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const MARKER = 'SATURATED-7c1e-report-text';
const LOCK = 1763999001;

const report = (altcha: string) => ({
  category: 'misuse_of_public_funds',
  answers: { whatHappened: `${MARKER} at the depot`, howYouKnow: 'saw_it', raisedBefore: 'no' },
  altcha,
});

/** Each line the filter wrote under its context ('Errors'), parsed. */
const errorLines = (lines: string[]) =>
  lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['context'] === 'Errors');

describe('intake while the database is saturated', () => {
  let app: INestApplication;
  let lines: string[];
  let fixtures: StaffFixtures;
  let owner: Client;
  let caseStore: CaseStoreService;
  let tenant: { id: string; slug: string };
  let councils = 0;
  const tallies = new Set<HourlyErrorTally>();
  const saved = { LOG_LEVEL: process.env.LOG_LEVEL, REPORTER_BATCHING: process.env.REPORTER_BATCHING };

  beforeAll(async () => {
    // As in production: warnings logged, and a reporter's writes held for the batch.
    process.env.LOG_LEVEL = 'info';
    process.env.REPORTER_BATCHING = 'on';
    try {
      ({ app, lines } = await startApiCapturingLogs());
    } finally {
      process.env.LOG_LEVEL = saved.LOG_LEVEL;
      process.env.REPORTER_BATCHING = saved.REPORTER_BATCHING;
    }
    caseStore = app.get(CaseStoreService);
    fixtures = await StaffFixtures.open();
    owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();
    // The filter's tally of reporter-route errors, to write it now rather than at the hour's turn.
    const add = HourlyErrorTally.prototype.add;
    jest.spyOn(HourlyErrorTally.prototype, 'add').mockImplementation(function (
      this: HourlyErrorTally,
      ...args
    ) {
      tallies.add(this);
      return add.apply(this, args);
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await owner.end();
    await fixtures.close();
    await app.close();
  });

  /** Rows of the council's report in every table intake writes (as the owner, past row-level security). */
  async function written(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of [
      'cases',
      'reporter_keys',
      'case_items',
      'case_grants',
      'outbox',
      'audit_held',
      'held_placement',
    ]) {
      const { rows } = await owner.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`,
        [tenant.id],
      );
      counts[table] = Number(rows[0]!.n);
    }
    return counts;
  }

  const saturations: [
    string,
    string,
    string,
    (m: { query: (sql: string) => Promise<unknown> }) => Promise<void>,
  ][] = [
    [
      'a lock not obtained within its lock_timeout',
      '55P03',
      'canceling statement due to lock timeout',
      async (m) => {
        // The lock is held by the test's own connection, as by a long transaction under load.
        await m.query(`SET LOCAL lock_timeout = '200ms'`);
        await m.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
      },
    ],
    [
      'a statement cancelled by its statement_timeout',
      '57014',
      'canceling statement due to statement timeout',
      async (m) => {
        await m.query(`SET LOCAL statement_timeout = '100ms'`);
        await m.query(`SELECT pg_sleep(5)`);
      },
    ],
  ];

  it.each(saturations)(
    'answers %s at the report’s first write with a 503 and Retry-After, writes nothing, and takes the report sent again',
    async (_what, sqlState, message, saturate) => {
      const server = app.getHttpServer();
      // A council of its own for each case, so that what one wrote is not counted for the other.
      tenant = await fixtures.tenant(`saturated-${++councils}`);
      await fixtures.user(tenant.id, ['monitoring_officer']);
      await fixtures.user(tenant.id, ['s151_officer']);
      await owner.query(`SELECT pg_advisory_lock(${LOCK})`);
      const create = jest.spyOn(caseStore, 'create').mockImplementationOnce(async (m) => {
        await saturate(m);
        throw new Error('the saturation above should have failed the transaction');
      });
      let refused: request.Response;
      let calls: number;
      try {
        refused = await request(server)
          .post(`/api/v1/tenants/${tenant.slug}/reports`)
          .send(report(await solvedAltcha(server, tenant.slug)));
      } finally {
        await owner.query(`SELECT pg_advisory_unlock(${LOCK})`);
        calls = create.mock.calls.length;
        create.mockRestore();
      }
      expect(calls).toBe(1);
      expect({
        status: refused.status,
        retryAfter: refused.headers['retry-after'],
        body: refused.body,
      }).toEqual({
        status: 503,
        retryAfter: '5',
        body: {
          statusCode: 503,
          error: 'Service Unavailable',
          message: expect.stringMatching(/Nothing is wrong with your request: try again in 5 seconds/),
        },
      });
      expect(JSON.stringify(refused.body)).not.toMatch(/at [A-Za-z]+\.|\.ts:|QueryFailed|timeout/);
      // Nothing of the report was written: no case, no key, no item, no event.
      expect(await written()).toEqual({
        cases: 0,
        reporter_keys: 0,
        case_items: 0,
        case_grants: 0,
        outbox: 0,
        audit_held: 0,
        held_placement: 0,
      });
      // Nothing logged at the moment the reporter acted (a line carries the millisecond).
      expect(errorLines(lines)).toEqual([]);

      // The portal keeps the draft; the reporter sends it again and it is taken whole.
      const accepted = await request(server)
        .post(`/api/v1/tenants/${tenant.slug}/reports`)
        .send(report(await solvedAltcha(server, tenant.slug)))
        .expect(201);
      expect((await written()).cases).toBe(1);
      await signInWithReceipt(server, tenant.slug, accepted.body.receipt as string);

      // At the hour's turn: one line naming the error's class, SQLSTATE and message, with the hour and a
      // count, and no request id (nothing to set beside another log), and nothing of the report.
      for (const tally of tallies) tally.flush();
      const logged = errorLines(lines);
      expect(logged).toEqual([
        expect.objectContaining({
          msg: 'Dependency unavailable',
          dependency: 'postgres',
          errorType: 'QueryFailedError',
          code: sqlState,
          error: message,
          count: 1,
          hour: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/),
        }),
      ]);
      expect(logged[0]).not.toHaveProperty('reqId');
      expect(lines.join('\n')).not.toContain(MARKER);
      lines.length = 0;
    },
  );
});
