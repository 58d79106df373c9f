/**
 * Issue #18: intake's cryptography runs before its transaction, with no connection held, and the
 * transaction only writes, deciding the routing again from what it reads (docs/performance.md "What
 * serialised intake"). What the council's officers became between the two is what counts: someone the
 * report names by then gets no grant, whatever was sealed for them, and an officer who took a role in
 * between is granted and reads the report.
 */
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { CaseStoreService } from '../../apps/api/src/cases/store/case-store.service';
import { CaseRecorder } from '../../apps/api/src/cases/record/case-recorder';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

describe('intake seals first and routes again inside its transaction', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let admin: DataSource;

  const report = (involves: string[], altcha: string) => ({
    category: 'fraud_theft',
    answers: {
      whatHappened: 'Sealed before the transaction',
      when: 'last week',
      where: 'the depot',
      whoIsInvolved: 'someone',
      howYouKnow: 'saw_it',
      raisedBefore: 'no',
      evidence: 'none',
      amountInvolved: 'some',
    },
    involves,
    altcha,
  });

  async function submit(slug: string, involves: string[]): Promise<{ reference: string; receipt: string }> {
    const altcha = await solvedAltcha(app.getHttpServer(), slug);
    const res = await request(app.getHttpServer())
      .post(`/api/v1/tenants/${slug}/reports`)
      .send(report(involves, altcha))
      .expect(201);
    return res.body;
  }

  /** Runs `between` once, after the case's keys and grants are sealed and before its transaction. */
  function onceSealed(between: () => Promise<void>) {
    const store = app.get(CaseStoreService);
    const seal = store.seal.bind(store);
    return jest.spyOn(store, 'seal').mockImplementationOnce(async (grantees) => {
      const sealed = await seal(grantees);
      await between();
      return sealed;
    });
  }

  async function grantsOf(reference: string): Promise<{ scope: string; grantee_id: string | null }[]> {
    return admin.query(
      `SELECT g.scope, g.grantee_id FROM case_grants g JOIN cases c ON c.id = g.case_id
        WHERE c.reference = $1 AND g.grantee_kind = 'staff'`,
      [reference],
    );
  }

  /** Transactions of the app's role open now (other than the one asking): none while sealing. */
  async function openTransactions(): Promise<number> {
    const [row] = await admin.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND usename = 'nolan_test_app' AND xact_start IS NOT NULL
          AND pid <> pg_backend_pid()`,
    );
    return row.n;
  }

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    admin = new DataSource({ type: 'postgres', url: TEST_ENV.MIGRATION_DATABASE_URL });
    await admin.initialize();
  });
  afterAll(async () => {
    await admin.destroy();
    await fixtures.close();
    await app.close();
  });
  afterEach(() => jest.restoreAllMocks());

  it('holds no transaction open while it makes the keys, the grants and the report’s items', async () => {
    const tenant = await fixtures.tenant('sealed-idle');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    await fixtures.user(tenant.id, ['s151_officer']);
    const seen: number[] = [];
    onceSealed(async () => {
      seen.push(await openTransactions());
    });
    const recorder = app.get(CaseRecorder);
    const sealEvent = recorder.sealEvent.bind(recorder);
    jest.spyOn(recorder, 'sealEvent').mockImplementationOnce(async (...args) => {
      const sealed = await sealEvent(...args);
      seen.push(await openTransactions());
      return sealed;
    });
    const { reference } = await submit(tenant.slug, []);
    expect(seen).toEqual([0, 0]);
    expect(await grantsOf(reference)).toHaveLength(5); // two officers: report and internal; the MO: identity
  });

  it('gives no grant to an officer who, between the sealing and the transaction, took a role the report names', async () => {
    const tenant = await fixtures.tenant('sealed-named');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const s151 = await fixtures.user(tenant.id, ['s151_officer']);
    await fixtures.user(tenant.id, ['head_of_paid_service']);
    // Sealed for the monitoring officer (the s151 officer is named); by the transaction the monitoring
    // officer holds the s151 role too, so the report names them as well.
    onceSealed(async () => {
      await admin.query(
        `UPDATE staff_users SET roles = ARRAY['monitoring_officer', 's151_officer'] WHERE id = $1`,
        [mo.id],
      );
    });
    const { reference } = await submit(tenant.slug, ['s151_officer']);
    const grants = await grantsOf(reference);
    expect(grants.filter((g) => g.grantee_id === mo.id)).toEqual([]);
    expect(grants.filter((g) => g.grantee_id === s151.id)).toEqual([]);
    const excluded: { user_id: string }[] = await admin.query(
      `SELECT e.user_id FROM case_exclusions e JOIN cases c ON c.id = e.case_id WHERE c.reference = $1`,
      [reference],
    );
    expect(excluded.map((e) => e.user_id).sort()).toEqual([mo.id, s151.id].sort());
  });

  it('grants an officer who took the role between the sealing and the transaction, and not the one who left it', async () => {
    const tenant = await fixtures.tenant('sealed-new');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const leaving: TestUser = await fixtures.user(tenant.id, ['s151_officer']);
    const arriving = await fixtures.user(tenant.id, ['investigator']);
    onceSealed(async () => {
      await admin.query(`UPDATE staff_users SET roles = ARRAY['investigator'] WHERE id = $1`, [leaving.id]);
      await admin.query(`UPDATE staff_users SET roles = ARRAY['s151_officer'] WHERE id = $1`, [arriving.id]);
    });
    const { reference } = await submit(tenant.slug, []);
    const grants = await grantsOf(reference);
    expect(grants.filter((g) => g.grantee_id === leaving.id)).toEqual([]);
    expect(
      grants
        .filter((g) => g.grantee_id === arriving.id)
        .map((g) => g.scope)
        .sort(),
    ).toEqual(['internal', 'report']);
    expect(grants.filter((g) => g.grantee_id === mo.id)).toHaveLength(3);
    // The grant made inside the transaction opens: the new officer reads the report.
    const token = await signInAs(app.getHttpServer(), tenant.slug, arriving, 0);
    const res = await request(app.getHttpServer())
      .get(`/api/v1/cases/${reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(res.body.report.answers.whatHappened).toBe('Sealed before the transaction');
    expect(res.body.reportVerification).toBe('verified');
  });

  it('encrypts again when the event recorded is not the one sealed (same case, kind, hour and author)', async () => {
    const tenant = await fixtures.tenant('sealed-input');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    // The items sealed ahead say something else than the report the transaction records.
    const recorder = app.get(CaseRecorder);
    const sealEvent = recorder.sealEvent.bind(recorder);
    jest.spyOn(recorder, 'sealEvent').mockImplementationOnce(async (target, input, keys, sign) => {
      const body = input.body as { answers: Record<string, unknown> };
      return sealEvent(
        target,
        { ...input, body: { ...body, answers: { ...body.answers, whatHappened: 'Not what was reported' } } },
        keys,
        sign,
      );
    });
    const { reference } = await submit(tenant.slug, []);
    const token = await signInAs(app.getHttpServer(), tenant.slug, mo, 0);
    const res = await request(app.getHttpServer())
      .get(`/api/v1/cases/${reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(res.body.report.answers.whatHappened).toBe('Sealed before the transaction');
    expect(res.body.reportVerification).toBe('verified');
  });

  it('writes the items it sealed ahead as they are when the event is the one sealed', async () => {
    const tenant = await fixtures.tenant('sealed-same');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    const recorder = app.get(CaseRecorder);
    const sealEvent = recorder.sealEvent.bind(recorder);
    const sealedIds: string[][] = [];
    jest.spyOn(recorder, 'sealEvent').mockImplementationOnce(async (...args) => {
      const sealed = await sealEvent(...args);
      sealedIds.push(sealed.itemIds);
      return sealed;
    });
    const { reference } = await submit(tenant.slug, []);
    const rows: { id: string }[] = await admin.query(
      `SELECT i.id FROM case_items i JOIN cases c ON c.id = i.case_id WHERE c.reference = $1`,
      [reference],
    );
    expect(sealedIds[0]).toBeDefined();
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(sealedIds[0]!));
  });
});
