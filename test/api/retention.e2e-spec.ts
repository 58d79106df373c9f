/**
 * Issue #6: a case past retention is unreadable by anyone afterwards — its content, scope keys and
 * grants are gone, escrow included — while its statistics row and an audit entry remain; a legal hold
 * or a case still within its period is left alone.
 */
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { RetentionService } from '../../apps/api/src/retention/retention.service';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

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
});
