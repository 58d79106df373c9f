/**
 * Issue #15, path 4: "an old identity request reopens the door". A handler files an identity request,
 * then recuses (or is named as involved); the custodian approves the old request. The approval must be
 * refused (409, saying why) and no grant given: every decision that grants access re-checks the
 * person's eligibility at the moment it takes effect (docs/case-core.md "Eligibility at the moment
 * access is given").
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('insider: an old identity request cannot reopen the door', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('old-idreq');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    const server = app.getHttpServer();
    tokens.mo = await signInAs(server, tenant.slug, mo);
    tokens.s151 = await signInAs(server, tenant.slug, s151);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  /** A fraud case: the section 151 officer is among its routed owners, the monitoring officer oversees it. */
  const submit = async (): Promise<string> => {
    const server = app.getHttpServer();
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Invoices paid twice', howYouKnow: 'saw_it', raisedBefore: 'no' },
        identity: { name: 'Sam Reporter', contact: 'sam@example.net' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    return res.body.reference as string;
  };
  const call = (who: string, reference: string, path: string, body: object) =>
    request(app.getHttpServer())
      .post(`/api/v1/cases/${reference}${path}`)
      .auth(tokens[who]!, { type: 'bearer' })
      .send(body);
  const grantsOf = (reference: string, userId: string): Promise<{ scope: string }[]> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(
        `SELECT g.scope FROM case_grants g JOIN cases c ON c.id = g.case_id
         WHERE c.reference = $1 AND g.grantee_kind = 'staff' AND g.grantee_id = $2 ORDER BY g.scope`,
        [reference, userId],
      );
    });

  const attack = async (leave: (reference: string) => Promise<void>) => {
    const reference = await submit();
    const asked = await call('s151', reference, '/identity-requests', {
      reason: 'I need to speak to them about the invoices.',
    }).expect(201);
    await leave(reference);
    const approval = await call('mo', reference, `/identity-requests/${asked.body.id}/decision`, {
      approve: true,
      reason: 'Approved before I noticed.',
    }).expect(409);
    expect(approval.body.message).toBe(
      'The identity cannot be shared with the person who asked: This person is involved in the concern, has recused themselves or is conflicted by it, and may not handle it. Refuse the request instead.',
    );
    expect(await grantsOf(reference, s151.id)).toEqual([]);
    await request(app.getHttpServer())
      .get(`/api/v1/cases/${reference}/identity`)
      .auth(tokens.s151!, { type: 'bearer' })
      .expect(404);
    // The request is still pending, and refusing it works.
    await call('mo', reference, `/identity-requests/${asked.body.id}/decision`, {
      approve: false,
      reason: 'The requester has left the case.',
    }).expect(201, { id: asked.body.id, status: 'refused' });
    expect(await grantsOf(reference, s151.id)).toEqual([]);
  };

  it('refuses to approve the request of a handler who has since recused', async () => {
    await attack(async (reference) => {
      await call('s151', reference, '/recusal', { reason: 'I know the supplier.' }).expect(201);
    });
  });

  it('refuses to approve the request of a handler who has since been named as involved', async () => {
    await attack(async (reference) => {
      await call('mo', reference, '/involved', {
        userId: s151.id,
        reason: 'They signed the invoices.',
      }).expect(200);
    });
  });
});
