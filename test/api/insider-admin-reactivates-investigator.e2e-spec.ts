/**
 * Issue #15, path 1 continued, scripted as an administrator would try it: roles that give access to
 * concerns are confirmed by an oversight role, so the administrator looks for other doors.
 *
 * - Reactivating a deactivated investigator gives access back, so it is confirmed like a new role: the
 *   account receives nothing — not the case it held, not a new assignment, not the case list — until the
 *   monitoring officer confirms.
 * - A request for several roles is decided as a whole, as the decider saw it: a role the administrator
 *   slips into a request after the monitoring officer looked at it is not confirmed with it.
 * - Taking a role that gives access to concerns away reduces access, so it is immediate (the person's
 *   sessions end and the role's new concerns go elsewhere) — and the oversight roles are shown it.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { bearerApi, signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('insider: an administrator cannot give access back or slip a role past the monitoring officer', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let admin: TestUser;
  let mo: TestUser;
  let adminToken: string;
  let moToken: string;
  const server = () => app.getHttpServer();
  const api = (token: string) => bearerApi(server(), token);

  const submit = async (): Promise<string> => {
    const res = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Invoices paid twice', howYouKnow: 'saw_it', raisedBefore: 'no' },
        involves: [],
        altcha: await solvedAltcha(server(), tenant.slug),
      })
      .expect(201);
    return res.body.reference as string;
  };

  /** Staff holding any grant of the case. */
  const grantees = (reference: string) => fixtures.staffGrantees(tenant.id, reference);

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('reactivation');
    admin = await fixtures.user(tenant.id, ['administrator']);
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    adminToken = await signInAs(server(), tenant.slug, admin);
    moToken = await signInAs(server(), tenant.slug, mo);
  });
  afterAll(async () => {
    await fixtures?.close();
    await app?.close();
  });

  it('an administrator reactivates a deactivated investigator: they receive nothing until the monitoring officer confirms', async () => {
    const investigator = await fixtures.user(tenant.id, ['investigator'], { name: 'Ivo Investigator' });
    const reference = await submit();
    await api(moToken).post(`/cases/${reference}/assignment`, { assigneeId: investigator.id }).expect(200);
    const before = await signInAs(server(), tenant.slug, investigator);
    await api(before).get(`/cases/${reference}`).expect(200);

    await api(adminToken).patch(`/admin/users/${investigator.id}`, { active: false }).expect(200);
    const reactivated = await api(adminToken)
      .patch(`/admin/users/${investigator.id}`, { active: true })
      .expect(200);
    expect(reactivated.body.user).toMatchObject({
      active: true,
      roles: ['investigator'],
      awaitingConfirmation: ['investigator'],
    });
    expect(reactivated.body.notice.join(' ')).toMatch(
      /take effect only when the monitoring officer confirms/,
    );

    // Signed in again, the investigator gets nothing: not the case they held, not the case list.
    const token = await signInAs(server(), tenant.slug, investigator, -1);
    await api(token).get(`/cases/${reference}`).expect(404);
    const list = await api(token).get('/cases').expect(200);
    expect(list.body.items).toEqual([]);
    // Nor can the case be given to them again before the confirmation.
    await api(moToken)
      .post(`/cases/${await submit()}/assignment`, { assigneeId: investigator.id })
      .expect((res) => expect([400, 409]).toContain(res.status));

    // The oversight roles see the reactivation, and the request waiting for them.
    const changes = await api(moToken).get('/oversight/changes?limit=5').expect(200);
    expect(changes.body.items[0]).toMatchObject({
      setting: 'staff_user.active',
      summary: "reactivated Ivo Investigator's account",
      userId: investigator.id,
      givesAccessToConcerns: true,
    });
    const requests = await api(moToken).get('/oversight/role-requests').expect(200);
    expect(requests.body.items).toContainEqual(
      expect.objectContaining({ userId: investigator.id, requested: ['investigator'], youMayDecide: true }),
    );

    await api(moToken)
      .post(`/oversight/role-requests/${investigator.id}`, { decision: 'confirm', roles: ['investigator'] })
      .expect(200);
    const confirmed = await signInAs(server(), tenant.slug, investigator, 1);
    await api(confirmed).get(`/cases/${reference}`).expect(200);
    expect(
      (await api(confirmed).get('/cases').expect(200)).body.items.map(
        (c: { reference: string }) => c.reference,
      ),
    ).toContain(reference);
  });

  it('decides a request for several roles as a whole, as the monitoring officer saw it, or not at all', async () => {
    const created = await api(adminToken)
      .post('/admin/users', {
        email: 'sam.several@example.org',
        name: 'Sam Several',
        roles: ['investigator'],
      })
      .expect(201);
    const id = created.body.user.id as string;
    const seen = (await api(moToken).get('/oversight/role-requests').expect(200)).body.items.find(
      (r: { userId: string }) => r.userId === id,
    );
    expect(seen.requested).toEqual(['investigator']);

    // After the monitoring officer looked, the administrator adds a role to the same request.
    await api(adminToken)
      .patch(`/admin/users/${id}`, { roles: ['investigator', 'safeguarding_lead'] })
      .expect(200);
    const refused = await api(moToken)
      .post(`/oversight/role-requests/${id}`, { decision: 'confirm', roles: seen.requested })
      .expect(409);
    expect(refused.body.message).toMatch(/changed since you saw it.*Nothing was decided/);
    // Nothing of it took effect: not even the role the monitoring officer did see.
    expect((await api(adminToken).get(`/admin/users/${id}`).expect(200)).body).toMatchObject({
      roles: ['investigator', 'safeguarding_lead'],
      awaitingConfirmation: ['investigator', 'safeguarding_lead'],
    });
    await api(moToken)
      .post(`/oversight/role-requests/${id}`, { decision: 'refuse', roles: ['investigator'] })
      .expect(409);

    await api(moToken)
      .post(`/oversight/role-requests/${id}`, {
        decision: 'confirm',
        roles: ['safeguarding_lead', 'investigator'],
      })
      .expect(200);
    expect((await api(adminToken).get(`/admin/users/${id}`).expect(200)).body.awaitingConfirmation).toEqual(
      [],
    );
    await api(moToken)
      .post(`/oversight/role-requests/${id}`, { decision: 'confirm', roles: ['lord_mayor'] })
      .expect(400);
  });

  it('takes a role that gives access to concerns away at once, and shows it to the oversight roles', async () => {
    const holder = await fixtures.user(tenant.id, ['s151_officer', 'investigator'], {
      name: 'Rhian Removed',
    });
    const token = await signInAs(server(), tenant.slug, holder);
    await api(token).get('/cases').expect(200);
    // As section 151 officer they are given every fraud concern.
    expect(await grantees(await submit())).toContain(holder.id);

    const removed = await api(adminToken)
      .patch(`/admin/users/${holder.id}`, { roles: ['investigator'] })
      .expect(200);
    // No confirmation is needed to take access away: the role is gone now, and nothing awaits.
    expect(removed.body.user).toMatchObject({ roles: ['investigator'], awaitingConfirmation: [] });
    await api(token).get('/cases').expect(401);
    expect(await grantees(await submit())).not.toContain(holder.id);

    const changes = await api(moToken).get('/oversight/changes?limit=5').expect(200);
    expect(changes.body.items[0]).toMatchObject({
      setting: 'staff_user.roles',
      summary: expect.stringMatching(/^took .*151.* away from Rhian Removed$/),
      userId: holder.id,
    });
  });
});
