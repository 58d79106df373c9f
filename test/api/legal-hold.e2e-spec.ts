/**
 * Issue #6 "Retention … unless a legal hold is set": the case's overseer sets and clears a legal hold
 * with a reason (kept encrypted), audited; nobody else can; the retention sweep leaves a held case
 * whole, and destroys it once the hold is cleared.
 */
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { RetentionService } from '../../apps/api/src/retention/retention.service';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('legal hold', () => {
  let app: INestApplication;
  let moduleRef: TestingModule;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  const tokens: Record<string, string> = {};
  let reference: string;

  const inTenantQuery = <T>(sql: string, params: unknown[] = []): Promise<T> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T>;
    });
  const hold = (who: string, method: 'post' | 'delete', body: object) =>
    request(app.getHttpServer())
      [method](`/api/v1/cases/${reference}/legal-hold`)
      .auth(tokens[who]!, { type: 'bearer' })
      .send(body);
  const contentLeft = async () =>
    (
      await inTenantQuery<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM case_items i JOIN cases c ON c.id = i.case_id WHERE c.reference = $1`,
        [reference],
      )
    )[0]!.n;

  beforeAll(async () => {
    app = await startApi();
    moduleRef = await Test.createTestingModule({
      imports: [CoreModule, AuditModule],
      providers: [RetentionService],
    }).compile();
    await moduleRef.init();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('hold');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    const server = app.getHttpServer();
    tokens.mo = await signInAs(server, tenant.slug, mo);
    tokens.s151 = await signInAs(server, tenant.slug, s151);
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'HOLDMARKER overtime claims', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    reference = res.body.reference;
  });
  afterAll(async () => {
    await moduleRef.close();
    await app.close();
    await fixtures.close();
  });

  it('is set and cleared only by the overseer, with a reason, and audited', async () => {
    const notOverseer = await hold('s151', 'post', { reason: 'litigation' }).expect(403);
    expect(notOverseer.body.message).toMatch(/overseer/);
    const noReason = await hold('mo', 'post', {}).expect(400);
    expect(noReason.body.message).toEqual(expect.arrayContaining(['reason is required']));
    await hold('mo', 'delete', { reason: 'nothing to clear' }).expect(409);

    const set = await hold('mo', 'post', { reason: 'Employment tribunal claim HOLDREASON' }).expect(200);
    expect(set.body).toEqual(expect.objectContaining({ reference, legalHold: true }));
    await hold('mo', 'post', { reason: 'again' }).expect(409, {
      statusCode: 409,
      error: 'Conflict',
      message: 'The case is already on legal hold.',
    });
    const view = await request(app.getHttpServer())
      .get(`/api/v1/cases/${reference}`)
      .auth(tokens.mo!, { type: 'bearer' })
      .expect(200);
    expect(view.body.legalHold).toBe(true);

    const [stored] = await inTenantQuery<{ items: number; readable: number }[]>(
      `SELECT count(*)::int AS items,
              count(*) FILTER (WHERE position(convert_to('HOLDREASON', 'UTF8') in ciphertext) > 0)::int AS readable
       FROM case_items WHERE kind = 'legal_hold'`,
    );
    expect(stored).toEqual({ items: 1, readable: 0 }); // the reason is kept, encrypted
    const actions = await inTenantQuery<{ action: string }[]>(
      `SELECT action FROM audit_entries WHERE action LIKE 'case.legal_hold%' ORDER BY seq`,
    );
    expect(actions.map((a) => a.action)).toEqual(['case.legal_hold_set']);
  });

  it('keeps a held case whole past its retention period, and destroys it once the hold is cleared', async () => {
    await inTenantQuery(
      `UPDATE cases SET status = 'closed', outcome = 'substantiated', closed_on = '2019-06-30' WHERE reference = $1`,
      [reference],
    );
    const sweep = moduleRef.get(RetentionService);
    const before = await contentLeft();
    expect(before).toBeGreaterThan(0);
    await sweep.sweep('2026-06-01');
    expect(await contentLeft()).toBe(before);

    await hold('mo', 'delete', { reason: 'Claim settled' }).expect(200);
    expect(await sweep.sweep('2026-06-01')).toBeGreaterThanOrEqual(1);
    expect(await contentLeft()).toBe(0);
    await request(app.getHttpServer())
      .get(`/api/v1/cases/${reference}`)
      .auth(tokens.mo!, { type: 'bearer' })
      .expect(404);
    const actions = await inTenantQuery<{ action: string }[]>(
      `SELECT a.action FROM audit_entries a JOIN cases c ON c.id = a.case_id
       WHERE c.reference = $1 AND a.action IN ('case.legal_hold_set', 'case.legal_hold_cleared', 'case.destroyed') ORDER BY a.seq`,
      [reference],
    );
    expect(actions.map((a) => a.action)).toEqual([
      'case.legal_hold_set',
      'case.legal_hold_cleared',
      'case.destroyed',
    ]);
  });
});
