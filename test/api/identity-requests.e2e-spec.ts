/**
 * Issue #7: the reporter's identity is custodian-gated. A handler asks with reasons; the custodian
 * decides; only on approval does the requester see it; the reporter learns it was disclosed and why.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('identity requests', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let reference: string;
  let receipt: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('identity');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: {
          whatHappened: 'Overtime claims for shifts nobody worked',
          howYouKnow: 'saw_it',
          raisedBefore: 'no',
        },
        identity: { name: 'Jo Reporter', contact: 'jo@example.net' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    ({ reference, receipt } = submitted.body);
    tokens.mo = await signInAs(server, tenant.slug, mo);
    tokens.s151 = await signInAs(server, tenant.slug, s151);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  const call = (who: string, method: 'get' | 'post', path: string, body?: object) => {
    const req = request(app.getHttpServer())
      [method](`/api/v1/cases/${reference}${path}`)
      .auth(tokens[who]!, { type: 'bearer' });
    return body ? req.send(body) : req;
  };

  it('shows the identity to the custodian only, until a request is approved', async () => {
    const custodian = await call('mo', 'get', '/identity').expect(200);
    expect(custodian.body).toEqual({
      anonymous: false,
      identity: { name: 'Jo Reporter', contact: 'jo@example.net' },
    });
    await call('s151', 'get', '/identity').expect(404);

    await call('s151', 'post', '/identity-requests', {}).expect(400);
    const asked = await call('s151', 'post', '/identity-requests', {
      reason: 'We need to interview them about the rota.',
    }).expect(201);
    await call('s151', 'post', '/identity-requests', { reason: 'again' }).expect(409);
    await call('s151', 'post', `/identity-requests/${asked.body.id}/decision`, {
      approve: true,
      reason: 'mine',
    }).expect(403);
    await call('s151', 'get', '/identity').expect(404);

    const listed = await call('mo', 'get', '/identity-requests').expect(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: asked.body.id,
        requesterId: s151.id,
        status: 'pending',
        reason: 'We need to interview them about the rota.',
      }),
    ]);

    await call('mo', 'post', `/identity-requests/${asked.body.id}/decision`, {
      approve: true,
      reason: 'An interview is needed to establish the facts.',
    }).expect(201, {
      id: asked.body.id,
      status: 'approved',
    });
    await call('mo', 'post', `/identity-requests/${asked.body.id}/decision`, {
      approve: false,
      reason: 'x',
    }).expect(409);
    const revealed = await call('s151', 'get', '/identity').expect(200);
    expect(revealed.body.identity.name).toBe('Jo Reporter');
  });

  it('tells the reporter that their identity was disclosed, and why', async () => {
    const server = app.getHttpServer();
    const token = await signInWithReceipt(server, tenant.slug, receipt);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.messages.map((m: { text: string }) => m.text)).toContain(
      'Your identity has been shared with one more person handling your concern, because: An interview is needed to establish the facts.',
    );
  });
});
