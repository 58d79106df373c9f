/**
 * Issue #15, path 1, scripted as an administrator would try it: make monitoring-officer accounts of their
 * own (until one sorts first, since routing used to give a role's cases to its lowest id), sign in to them
 * with the temporary passwords and wait for reports. Now a role that gives access to concerns takes
 * effect only when an oversight role other than the administrator confirms it in Nolan (the head of paid
 * service, for the monitoring officer's post), and which holder of a role leads is chosen by people:
 * the administrator's accounts receive nothing, and each decision is shown to the oversight roles.
 */
import type { INestApplication } from '@nestjs/common';
import { authenticator } from 'otplib';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { bearerApi, signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('an administrator cannot read reports through accounts they make', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let admin: TestUser;
  let mo: TestUser;
  let hops: TestUser;
  let adminToken: string;
  let moToken: string;
  let hopsToken: string;
  const server = () => app.getHttpServer();
  const api = (token: string) => bearerApi(server(), token);

  const submit = async (): Promise<string> => {
    const res = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'conflicts_of_interest',
        answers: {
          whatHappened: 'Planning decisions for a relative',
          howYouKnow: 'saw_it',
          raisedBefore: 'no',
        },
        involves: [],
        altcha: await solvedAltcha(server(), tenant.slug),
      })
      .expect(201);
    return res.body.reference as string;
  };
  /** Staff holding any grant of the case. */
  const grantees = (reference: string) => fixtures.staffGrantees(tenant.id, reference);

  /** What the administrator does with a temporary password: sign in and set up two-factor themselves. */
  const takeOver = async (email: string, password: string): Promise<string> => {
    const first = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/sessions`)
      .send({ email, password })
      .expect(201);
    let token = first.body.token as string;
    if (first.body.scope === 'password_change') {
      await api(token)
        .put('/me/password', { currentPassword: password, newPassword: `${password}-mine` })
        .expect(204);
      const again = await request(server())
        .post(`/api/v1/tenants/${tenant.slug}/sessions`)
        .send({ email, password: `${password}-mine` })
        .expect(201);
      token = again.body.token as string;
    }
    const enrolment = await api(token).post('/me/totp').expect(201);
    await api(token)
      // The administrator chooses "their own" password for the account they made: it is theirs, and still
      // gives them nothing until someone else confirms its roles.
      .put('/me/totp', {
        totp: authenticator.generate(enrolment.body.secret),
        currentPassword: password,
        newPassword: `${password}-mine`,
      })
      .expect(204);
    return token;
  };

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('insider-admin');
    // The council's first holders, set by the operator's CLI at creation: confirmed.
    admin = await fixtures.user(tenant.id, ['administrator']);
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    hops = await fixtures.user(tenant.id, ['head_of_paid_service']);
    adminToken = await signInAs(server(), tenant.slug, admin);
    moToken = await signInAs(server(), tenant.slug, mo);
    hopsToken = await signInAs(server(), tenant.slug, hops);
  });
  afterAll(async () => {
    await fixtures?.close();
    await app?.close();
  });

  it('gives accounts the administrator makes as monitoring officer nothing until the head of paid service confirms them', async () => {
    const made: { id: string; email: string; token: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const email = `shadow-mo-${i}@example.org`;
      const created = await api(adminToken)
        .post('/admin/users', { email, name: `Shadow ${i}`, roles: ['monitoring_officer'] })
        .expect(201);
      expect(created.body.user).toMatchObject({
        roles: ['monitoring_officer'],
        awaitingConfirmation: ['monitoring_officer'],
      });
      expect(created.body.notice.join(' ')).toContain(
        'take effect only when the monitoring officer confirms',
      );
      made.push({
        id: created.body.user.id,
        email,
        token: await takeOver(email, created.body.temporaryPassword),
      });
    }

    // Every new concern reaches the real monitoring officer, and none of the administrator's accounts.
    const reference = await submit();
    expect(await grantees(reference)).toEqual([mo.id]);
    for (const account of made) {
      const me = await api(account.token).get('/me').expect(200);
      expect(me.body.roles).toEqual([]);
      await api(account.token).get(`/cases/${reference}`).expect(404);
      const list = await api(account.token)
        .get('/cases')
        .expect((r) => expect([200, 403]).toContain(r.status));
      if (list.status === 200) expect(list.body.total).toBe(0);
    }

    // The administrator cannot confirm, nor can the monitoring officer confirm a change to their own post.
    await api(adminToken).get('/oversight/role-requests').expect(403);
    await api(adminToken)
      .post(`/oversight/role-requests/${made[0]!.id}`, { decision: 'confirm' })
      .expect(403);
    const byMo = await api(moToken)
      .post(`/oversight/role-requests/${made[0]!.id}`, { decision: 'confirm' })
      .expect(403);
    expect(byMo.body.message).toBe(
      "A change concerning the monitoring officer's post is confirmed by the head of paid service.",
    );
    // A shadow account cannot confirm itself or its siblings: it holds no role in force.
    await api(made[1]!.token)
      .post(`/oversight/role-requests/${made[0]!.id}`, { decision: 'confirm' })
      .expect(403);

    const listed = await api(hopsToken).get('/oversight/role-requests').expect(200);
    expect(listed.body.items).toHaveLength(4);
    expect(listed.body.items[0]).toMatchObject({
      requested: ['monitoring_officer'],
      roles: [],
      requestedBy: 'Test administrator',
      youMayDecide: true,
      whoDecides: 'Head of paid service (chief executive)',
    });
    const moView = await api(moToken).get('/oversight/role-requests').expect(200);
    expect(moView.body.items.every((i: { youMayDecide: boolean }) => !i.youMayDecide)).toBe(true);

    // The head of paid service refuses three and confirms one, without making them lead.
    for (const account of made.slice(1))
      await api(hopsToken).post(`/oversight/role-requests/${account.id}`, { decision: 'refuse' }).expect(200);
    const confirmed = await api(hopsToken)
      .post(`/oversight/role-requests/${made[0]!.id}`, { decision: 'confirm' })
      .expect(200);
    expect(confirmed.body).toEqual({ userId: made[0]!.id, roles: ['monitoring_officer'], leadOf: [] });
    await api(made[0]!.token).get('/me').expect(401); // the confirmed roles apply from the next sign-in

    // Two monitoring officers and no lead: a warning, and cases stay with the one confirmed first.
    const warned = await api(hopsToken).get('/oversight/role-requests').expect(200);
    expect(warned.body.items).toEqual([]);
    expect(warned.body.warnings).toEqual([
      expect.stringMatching(/^2 people hold the role of monitoring officer and none is its designated lead/),
    ]);
    const held = await api(adminToken).get('/admin/role-holders').expect(200);
    expect(held.body.warnings.join(' ')).toContain('2 people hold the role of monitoring officer');
    const second = await submit();
    expect(await grantees(second)).toEqual([mo.id]);

    // The lead is chosen by people: the monitoring officer cannot name it for their own post; the head
    // of paid service names the real monitoring officer, and the warning goes.
    await api(moToken).put('/oversight/role-leads/monitoring_officer', { userId: mo.id }).expect(403);
    await api(hopsToken).put('/oversight/role-leads/monitoring_officer', { userId: mo.id }).expect(200);
    expect((await api(hopsToken).get('/oversight/role-requests').expect(200)).body.warnings).toEqual([]);
    expect(await grantees(await submit())).toEqual([mo.id]);

    // Everything is in front of the oversight roles.
    const changes = await api(moToken).get('/oversight/changes?limit=20').expect(200);
    const summaries = changes.body.items.map((c: { summary: string }) => c.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'confirmed Shadow 0 in the role of monitoring officer',
        'refused Shadow 1 the role of monitoring officer',
        `made Test monitoring_officer the lead holder of the role of monitoring officer`,
      ]),
    );
  });

  it('lets the monitoring officer confirm an investigator the administrator asked for, and only then routes to them', async () => {
    const created = await api(adminToken)
      .post('/admin/users', {
        email: 'new-investigator@example.org',
        name: 'Ivy New',
        roles: ['investigator'],
      })
      .expect(201);
    const id = created.body.user.id as string;
    await api(adminToken)
      .patch(`/admin/users/${id}`, { roles: ['investigator', 's151_officer'] })
      .expect(200);
    const user = (await api(adminToken).get(`/admin/users/${id}`).expect(200)).body;
    expect(user).toMatchObject({
      roles: ['investigator', 's151_officer'],
      awaitingConfirmation: ['investigator', 's151_officer'],
    });
    await api(hopsToken).post(`/oversight/role-requests/${id}`, { decision: 'confirm' }).expect(403);
    await api(moToken).post(`/oversight/role-requests/${id}`, { decision: 'maybe' }).expect(400);
    await api(moToken)
      .post(`/oversight/role-requests/${id}`, { decision: 'confirm', lead: true })
      .expect(200);
    await api(moToken).post(`/oversight/role-requests/${id}`, { decision: 'confirm' }).expect(404);
    const after = (await api(adminToken).get(`/admin/users/${id}`).expect(200)).body;
    expect(after.awaitingConfirmation).toEqual([]);
    // A fraud concern goes to the section 151 officer too, now that the role is in force.
    const res = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Invoices paid twice', howYouKnow: 'saw_it', raisedBefore: 'no' },
        involves: [],
        altcha: await solvedAltcha(server(), tenant.slug),
      })
      .expect(201);
    expect(await grantees(res.body.reference)).toEqual([mo.id, id].sort());
  });
});
