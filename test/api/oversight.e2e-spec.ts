/**
 * What administrators changed, in front of the monitoring officer: an administrator who gives an account
 * a handler role (here the section 151 officer's) gives it new fraud reports, so every such change is
 * listed, by name and newest first, for the oversight roles — and for nobody else, administrators
 * included. From the audit trail, over HTTP against real Postgres and Redis.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';

describe('what administrators changed, for the oversight roles', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('lists new accounts, role changes, deactivations and settings by name, newest first', async () => {
    const server = app.getHttpServer();
    const tenant = await fixtures.tenant('oversight');
    const admin = await fixtures.user(tenant.id, ['administrator']);
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const investigator = await fixtures.user(tenant.id, ['investigator']);
    const safeguarding = await fixtures.user(tenant.id, ['safeguarding_lead']);
    const [adminToken, moToken, investigatorToken, safeguardingToken] = [
      await signInAs(server, tenant.slug, admin),
      await signInAs(server, tenant.slug, mo),
      await signInAs(server, tenant.slug, investigator),
      await signInAs(server, tenant.slug, safeguarding),
    ];
    const asAdmin = (method: 'post' | 'patch' | 'put', path: string, body: object) =>
      request(server)[method](`/api/v1${path}`).auth(adminToken, { type: 'bearer' }).send(body);

    const created = await asAdmin('post', '/admin/users', {
      email: 'pat.finance@example.org',
      name: 'Pat Finance',
      roles: ['s151_officer'],
    }).expect(201);
    const patId = created.body.user.id as string;
    await asAdmin('patch', `/admin/users/${patId}`, { roles: ['s151_officer', 'investigator'] }).expect(200);
    await asAdmin('patch', `/admin/users/${investigator.id}`, { active: false }).expect(200);
    await asAdmin('put', '/admin/retention', {
      overrides: { gifts_hospitality: { years: 3, untilEndOfYear: false } },
    }).expect(200);

    const list = await request(server)
      .get('/api/v1/oversight/changes?limit=10')
      .auth(moToken, { type: 'bearer' })
      .expect(200);
    expect(list.body.total).toBe(4);
    const by = 'Test administrator';
    expect(list.body.items).toEqual([
      expect.objectContaining({
        by,
        setting: 'retention',
        summary: 'changed how long closed cases are kept (retention)',
        givesAccessToConcerns: false,
      }),
      expect.objectContaining({
        by,
        setting: 'staff_user.active',
        summary: "deactivated Test investigator's account",
        userId: investigator.id,
        givesAccessToConcerns: false,
      }),
      expect.objectContaining({
        setting: 'staff_user.roles',
        summary: 'gave Pat Finance the role of investigator',
        userId: patId,
        givesAccessToConcerns: true,
      }),
      expect.objectContaining({
        setting: 'staff_user.created',
        summary:
          'added an account for Pat Finance, as section 151 officer (chief finance officer) or internal audit',
        givesAccessToConcerns: true,
      }),
    ]);
    // Nothing of a case or a reporter, only who did what to which account or setting.
    expect(Object.keys(list.body.items[0]).sort()).toEqual(
      ['at', 'by', 'givesAccessToConcerns', 'setting', 'summary', 'userId'].sort(),
    );

    // A handler who does not oversee, and the administrators themselves, are refused.
    for (const token of [safeguardingToken, adminToken]) {
      const refused = await request(server)
        .get('/api/v1/oversight/changes')
        .auth(token, { type: 'bearer' })
        .expect(403);
      expect(refused.body.message).toMatch(/oversight roles/);
    }
    // The deactivated investigator's session ended with the deactivation.
    await request(server)
      .get('/api/v1/oversight/changes')
      .auth(investigatorToken, { type: 'bearer' })
      .expect(401);
    // The administrators' own list of accounts pages and filters the same way.
    const s151s = await request(server)
      .get('/api/v1/admin/users?role=s151_officer&active=true')
      .auth(adminToken, { type: 'bearer' })
      .expect(200);
    expect(s151s.body).toMatchObject({
      total: 1,
      limit: 25,
      offset: 0,
      items: [{ id: patId, active: true }],
    });
    for (const [query, message] of [
      ['limit=0', 'limit must be a whole number from 1 to 100'],
      ['offset=-1', 'offset must be a whole number, 0 or more'],
      ['active=maybe', 'active must be true or false'],
    ]) {
      const refused = await request(server)
        .get(`/api/v1/admin/users?${query}`)
        .auth(adminToken, { type: 'bearer' })
        .expect(400);
      expect(refused.body.message).toContain(message);
    }
    const bad = await request(server)
      .get('/api/v1/oversight/changes?limit=0')
      .auth(moToken, { type: 'bearer' })
      .expect(400);
    expect(bad.body.message).toContain('limit must be a whole number from 1 to 100');
  });
});
