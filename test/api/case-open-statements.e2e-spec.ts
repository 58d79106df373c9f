/**
 * A statement budget for opening a case (issue #18; docs/performance.md "Opening a case"): every
 * statement one request sends Postgres is a round trip made in turn, inside the request's transaction.
 * The door's lookups, the read, its audit entry and the read marker took 18 statements for the case and
 * 18 for its timeline (21 and 19 with reporter batching on, as in production, for the case's owner); the
 * budgets below are what they take now, so a change that adds a round trip to the case page fails here
 * and has to say why. Counted on the pg client the API's pool uses, in this process, from the first
 * statement of the request to its last (BEGIN and COMMIT included).
 */
import type { INestApplication } from '@nestjs/common';
import { startApi } from '../support/api-app';
import { StatementLog } from '../support/statement-log';
import { bearerApi, signInAs, StaffFixtures } from '../support/staff-fixtures';

/** The most statements each GET may send, the transaction's BEGIN and COMMIT included. */
const BUDGET = { case: 13, timeline: 13 } as const;

describe('opening a case: statements per request', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let api: ReturnType<typeof bearerApi>;
  let reference: string;
  const log = new StatementLog();
  const batching = process.env.REPORTER_BATCHING;

  beforeAll(async () => {
    // As in production: reporter batching on (every audit append then asks whether the transaction is
    // reporter-caused).
    process.env.REPORTER_BATCHING = 'on';
    app = await startApi();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('stmts');
    const owner = await fixtures.user(tenant.id, ['monitoring_officer']);
    const created = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [owner.id],
      report: { answers: { whatHappened: 'Invoices paid twice' }, involves: [] },
    });
    reference = created.reference;
    // The case's owner opens it: the page then also reads the owner's name and the new-message flag.
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      await m.query(`UPDATE cases SET assignee_id = $1, assigned_on = current_date WHERE id = $2`, [
        owner.id,
        created.id,
      ]);
    });
    api = bearerApi(app.getHttpServer(), await signInAs(app.getHttpServer(), tenant.slug, owner));
    // A report and 20 messages, as the bench's case (each decrypted and its signature checked).
    for (let i = 0; i < 20; i++)
      await api.post(`/cases/${reference}/messages`, { text: `Message ${i + 1}` }).expect(201);
    log.install();
  });
  afterAll(async () => {
    log.restore();
    process.env.REPORTER_BATCHING = batching;
    await fixtures?.close();
    await app?.close();
  });

  /** The statements one GET sends, after one unmeasured GET (so nothing is counted that happens once). */
  async function count(path: string): Promise<{ status: number; statements: string[] }> {
    await api.get(path).expect(200);
    const { result: res, statements } = await log.during(() => api.get(path));
    return { status: res.status, statements };
  }

  it(`opens the case (report and 20 messages, audited, marked read) in at most ${BUDGET.case} statements`, async () => {
    const { status, statements: sent } = await count(`/cases/${reference}`);
    expect(status).toBe(200);
    // Still a read in one transaction, audited: the measured request did all of it.
    expect(sent[0]).toMatch(/^START TRANSACTION/);
    expect(sent.at(-1)).toBe('COMMIT');
    expect(sent.some((s) => s.startsWith('INSERT INTO "audit_entries"'))).toBe(true);
    expect(sent.some((s) => s.includes('INSERT INTO case_reads'))).toBe(true);
    expect({ count: sent.length, sent }).toEqual({ count: Math.min(sent.length, BUDGET.case), sent });
  });

  it(`shows its timeline in at most ${BUDGET.timeline} statements`, async () => {
    const { status, statements: sent } = await count(`/cases/${reference}/timeline`);
    expect(status).toBe(200);
    expect(sent.some((s) => s.startsWith('INSERT INTO "audit_entries"'))).toBe(true);
    expect({ count: sent.length, sent }).toEqual({ count: Math.min(sent.length, BUDGET.timeline), sent });
  });
});
