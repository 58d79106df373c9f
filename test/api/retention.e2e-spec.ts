/**
 * Issue #6: a case past retention is unreadable by anyone afterwards — its content, scope keys and
 * grants are gone, escrow included — while its statistics row and an audit entry remain; a legal hold
 * or a case still within its period is left alone. A council's own schedule (PUT /admin/retention,
 * checked in libs/domain) decides the period, longer or shorter than the defaults; a stored schedule
 * that no longer validates destroys nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { RetentionService } from '../../apps/api/src/retention/retention.service';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { Client } from 'pg';
import { TEST_ENV } from '../support/test-env';

describe('retention', () => {
  let app: INestApplication;
  let moduleRef: TestingModule;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;

  const inTenantQuery = <T>(sql: string, params: unknown[] = []): Promise<T> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T>;
    });
  const closedCase = async (closedOn: string, extra = '') => {
    const created = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id],
      report: { answers: { whatHappened: 'kept' } },
    });
    await inTenantQuery(
      `UPDATE cases SET status = 'closed', outcome = 'substantiated', closed_on = $2 ${extra} WHERE id = $1`,
      [created.id, closedOn],
    );
    return created;
  };
  const remaining = async (caseId: string) => {
    const counts: Record<string, number> = {};
    for (const table of ['case_items', 'case_grants', 'case_scope_keys']) {
      counts[table] = (
        await inTenantQuery<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE case_id = $1`, [
          caseId,
        ])
      )[0]!.n;
    }
    return counts;
  };

  beforeAll(async () => {
    app = await startApi();
    moduleRef = await Test.createTestingModule({
      imports: [CoreModule, AuditModule],
      providers: [RetentionService],
    }).compile();
    await moduleRef.init();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('retention');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    await moduleRef.close();
    await fixtures.close();
    await app.close();
  });

  it('destroys a proven fraud case after six years plus the current year, and keeps its statistics row', async () => {
    const old = await closedCase('2019-06-30');
    const held = await closedCase('2019-06-30', ', legal_hold = true');
    const recent = await closedCase('2025-06-30');
    const token = await signInAs(app.getHttpServer(), tenant.slug, mo);
    await request(app.getHttpServer())
      .get(`/api/v1/cases/${old.reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);

    const sweep = moduleRef.get(RetentionService);
    expect(await sweep.sweep('2025-12-31')).toBe(0);
    expect(await sweep.sweep('2026-01-01')).toBeGreaterThanOrEqual(1);

    expect(await remaining(old.id)).toEqual({ case_items: 0, case_grants: 0, case_scope_keys: 0 });
    await request(app.getHttpServer())
      .get(`/api/v1/cases/${old.reference}`)
      .auth(token, { type: 'bearer' })
      .expect(404);
    const [stats] = await inTenantQuery<{ category: string; outcome: string; destroyed_on: string }[]>(
      `SELECT category, outcome, to_char(destroyed_on, 'YYYY-MM-DD') AS destroyed_on FROM cases WHERE id = $1`,
      [old.id],
    );
    expect(stats).toEqual({ category: 'fraud_theft', outcome: 'substantiated', destroyed_on: '2026-01-01' });
    const audit = await inTenantQuery<{ action: string }[]>(
      `SELECT action FROM audit_entries WHERE case_id = $1 AND action = 'case.destroyed'`,
      [old.id],
    );
    expect(audit).toHaveLength(1);

    expect((await remaining(held.id)).case_items).toBeGreaterThan(0);
    expect((await remaining(recent.id)).case_items).toBeGreaterThan(0);
    expect(await sweep.sweep('2026-01-02')).toBe(0);
  });

  it("follows the council's own schedule, set by an administrator, longer or shorter than the defaults", async () => {
    const own = await fixtures.tenant('retention-own');
    const ownMo = await fixtures.user(own.id, ['monitoring_officer']);
    const admin = await fixtures.user(own.id, ['administrator']);
    const server = app.getHttpServer();
    const [adminToken, moToken] = [
      await signInAs(server, own.slug, admin),
      await signInAs(server, own.slug, ownMo),
    ];
    const closed = async (
      category: 'fraud_theft' | 'gifts_hospitality',
      outcome: string,
      closedOn: string,
    ) => {
      const created = await fixtures.case(own.id, {
        category,
        staffIds: [ownMo.id],
        report: { answers: { whatHappened: 'kept' } },
      });
      await fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [own.id]);
        await m.query(`UPDATE cases SET status = 'closed', outcome = $2, closed_on = $3 WHERE id = $1`, [
          created.id,
          outcome,
          closedOn,
        ]);
      });
      return created;
    };
    const inOwn = <T>(sql: string, params: unknown[]): Promise<T> =>
      fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [own.id]);
        return m.query(sql, params) as Promise<T>;
      });
    const items = async (caseId: string) =>
      (
        await inOwn<{ n: number }[]>(`SELECT count(*)::int AS n FROM case_items WHERE case_id = $1`, [caseId])
      )[0]!.n;
    const put = (token: string, overrides: unknown) =>
      request(server).put('/api/v1/admin/retention').auth(token, { type: 'bearer' }).send({ overrides });

    // By default: proven fraud closed mid-2019 goes on 1 January 2026, unproven fraud closed mid-2024 on
    // 1 January 2026, gifts and hospitality closed mid-2024 not until mid-2030.
    const provenFraud = await closed('fraud_theft', 'substantiated', '2019-06-30');
    const unprovenFraud = await closed('fraud_theft', 'not_substantiated', '2024-06-30');
    const gifts = await closed('gifts_hospitality', 'not_substantiated', '2024-06-30');

    const bad = await put(adminToken, {
      'fraud_theft:substantiated': { years: 0, untilEndOfYear: true },
      parking: { years: 2, untilEndOfYear: false },
    }).expect(400);
    expect(bad.body.message).toEqual([
      expect.stringMatching(
        /^overrides\.fraud_theft:substantiated\.years must be a whole number from 1 to 100/,
      ),
      expect.stringMatching(/^overrides\.parking: "parking" is not a category/),
    ]);
    await put(moToken, {}).expect(403);
    await request(server)
      .put('/api/v1/admin/retention')
      .auth(adminToken, { type: 'bearer' })
      .send({ overrides: 'forever' })
      .expect(400);

    const saved = await put(adminToken, {
      'fraud_theft:substantiated': { years: 10, untilEndOfYear: true },
      fraud_theft: { years: 3, untilEndOfYear: false },
      gifts_hospitality: { years: 1, untilEndOfYear: false },
    }).expect(200);
    expect(saved.body.notice).toHaveLength(2);
    expect(saved.body.retentionOverrides).toEqual({
      'fraud_theft:substantiated': { years: 10, untilEndOfYear: true },
      fraud_theft: { years: 3, untilEndOfYear: false },
      gifts_hospitality: { years: 1, untilEndOfYear: false },
    });
    const fraud = saved.body.retention.find((e: { category: string }) => e.category === 'fraud_theft');
    expect(fraud.outcomes.find((o: { outcome: string }) => o.outcome === 'substantiated')).toMatchObject({
      years: 10,
      untilEndOfYear: true,
      overridden: true,
      defaultYears: 6,
      defaultUntilEndOfYear: true,
    });
    expect(fraud.outcomes.find((o: { outcome: string }) => o.outcome === 'withdrawn')).toMatchObject({
      years: 3,
      untilEndOfYear: false,
      overridden: true,
    });
    const [audit] = await inOwn<{ details: unknown }[]>(
      `SELECT details FROM audit_entries WHERE action = 'config.changed' ORDER BY seq DESC LIMIT 1`,
      [],
    );
    expect(audit!.details).toMatchObject({
      setting: 'retention',
      changedKeys: ['fraud_theft', 'fraud_theft:substantiated', 'gifts_hospitality'],
    });

    const sweep = moduleRef.get(RetentionService);
    await sweep.sweep('2026-01-02');
    expect(await items(provenFraud.id)).toBeGreaterThan(0); // kept to the end of 2029
    expect(await items(unprovenFraud.id)).toBeGreaterThan(0); // kept to 30 June 2027
    expect(await items(gifts.id)).toBe(0); // one year was enough
    await sweep.sweep('2027-07-01');
    expect(await items(unprovenFraud.id)).toBe(0);
    expect(await items(provenFraud.id)).toBeGreaterThan(0);

    // A schedule edited by hand into something invalid destroys nothing, rather than falling back to
    // shorter defaults; {} through the API restores the defaults.
    await inOwn(`UPDATE tenant_retention_settings SET overrides = '{"fraud_theft": {"years": "ten"}}'`, []);
    await sweep.sweep('2031-01-01');
    expect(await items(provenFraud.id)).toBeGreaterThan(0);
    const restored = await put(adminToken, {}).expect(200);
    expect(restored.body.retentionOverrides).toEqual({});
    await sweep.sweep('2031-01-01');
    expect(await items(provenFraud.id)).toBe(0);
  });

  it('holds the case before destroying its content, so a placement pass moving it is waited for', async () => {
    // docs/architecture.md "Placement": the pass holds a case alone while it moves its rows.
    const moving = await closedCase('2019-06-30');
    const pass = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await pass.connect();
    try {
      await pass.query('BEGIN');
      await pass.query(`SELECT pg_advisory_xact_lock(1763905100, hashtext($1))`, [moving.id]);
      const swept = moduleRef.get(RetentionService).sweep('2031-01-02');
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect((await remaining(moving.id)).case_items).toBeGreaterThan(0);
      await pass.query('COMMIT');
      await swept;
    } finally {
      await pass.end();
    }
    expect(await remaining(moving.id)).toEqual({ case_items: 0, case_grants: 0, case_scope_keys: 0 });
  });
});
