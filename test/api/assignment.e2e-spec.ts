/**
 * Issue #7 "Assignment": the case's overseer assigns and transfers it (re-granting keys), the
 * assignee confirms ownership, a transfer takes access from a previous assignee unless routing
 * itself gives them the case, and nobody the conflict set rules out can be assigned.
 */
import type { INestApplication } from '@nestjs/common';
import { ownershipConfirmationDue, toLondonDate } from '@nolan/domain';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('assignment', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  const users: Record<string, TestUser> = {};
  const tokens: Record<string, string> = {};
  let reference: string;
  const today = toLondonDate(new Date());

  const submit = async (body: object): Promise<string> => {
    const server = app.getHttpServer();
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({ ...body, altcha: await solvedAltcha(server, tenant.slug) })
      .expect(201);
    return res.body.reference as string;
  };
  const as = (who: string) => ({
    get: (path: string) => request(app.getHttpServer()).get(path).auth(tokens[who]!, { type: 'bearer' }),
    post: (path: string, body?: object) =>
      request(app.getHttpServer())
        .post(path)
        .auth(tokens[who]!, { type: 'bearer' })
        .send(body ?? {}),
  });
  const assign = (who: string, ref: string, assignee: string) =>
    as(who).post(`/api/v1/cases/${ref}/assignment`, { assigneeId: users[assignee]?.id ?? assignee });
  const routedEvents = (ref: string) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return (
        await m.query(
          `SELECT o.payload FROM outbox o JOIN cases c ON c.id = o.aggregate_id
           WHERE c.reference = $1 AND o.event = 'case.routed' ORDER BY o.id`,
          [ref],
        )
      ).map((r: { payload: unknown }) => r.payload);
    });

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('assign');
    const roles: Record<string, string[]> = {
      mo: ['monitoring_officer'],
      deputy: ['deputy_monitoring_officer'],
      hops: ['head_of_paid_service'],
      s151: ['s151_officer'],
      investigator: ['investigator'],
      investigator2: ['investigator'],
      admin: ['administrator'],
    };
    for (const [name, r] of Object.entries(roles)) {
      users[name] = await fixtures.user(tenant.id, r);
      tokens[name] = await signInAs(app.getHttpServer(), tenant.slug, users[name]!);
    }
    reference = await submit({
      category: 'fraud_theft',
      answers: { whatHappened: 'Invoices split to dodge approval', howYouKnow: 'saw_it', raisedBefore: 'no' },
    });
  }, 180_000); // seven users, each with a key pair and an Argon2 sign-in, on a busy machine
  afterAll(async () => {
    await app.close();
    await fixtures.close();
  });

  it('lets only the overseer assign, and only to a handler, with clear errors', async () => {
    const notOverseer = await assign('s151', reference, 'investigator').expect(403);
    expect(notOverseer.body.message).toMatch(/Only the case’s overseer/);
    await assign('investigator', reference, 'investigator').expect(404);
    await assign('admin', reference, 'investigator').expect(404);
    const missing = await as('mo').post(`/api/v1/cases/${reference}/assignment`, {}).expect(400);
    expect(missing.body.message).toEqual(['assigneeId must be a staff user id (a UUID)']);
    const admin = await assign('mo', reference, 'admin').expect(400);
    expect(admin.body.message).toEqual([expect.stringMatching(/^assigneeId must be a handler/)]);
    await assign('mo', reference, '6f1c2b9e-3a4d-4e5f-8a7b-9c0d1e2f3a4b').expect(400);
    await as('investigator').get(`/api/v1/cases/${reference}`).expect(404);
  });

  it('assigns the case: the assignee can read it at once, lists show the assignee, one routing event', async () => {
    const res = await assign('mo', reference, 'investigator').expect(200);
    expect(res.body).toEqual({
      reference,
      assigneeId: users.investigator!.id,
      assignedOn: today,
      ownershipDue: ownershipConfirmationDue(today),
      ownershipConfirmedOn: null,
      legalHold: false,
      reason: 'assigned',
      previousAssigneeId: null,
      previousAssigneeKeepsAccess: null,
    });
    const view = await as('investigator').get(`/api/v1/cases/${reference}`).expect(200);
    expect(view.body.report.answers.whatHappened).toBe('Invoices split to dodge approval');
    expect(view.body.assigneeId).toBe(users.investigator!.id);
    const list = await as('mo').get('/api/v1/cases').expect(200);
    expect(list.body.items[0]).toEqual(
      expect.objectContaining({ reference, assigneeId: users.investigator!.id, assignedOn: today }),
    );
    expect(await routedEvents(reference)).toEqual([
      { reason: 'assigned', assigneeId: users.investigator!.id, newGrantees: users.investigator!.id },
    ]);
    const mine = await as('investigator').get('/api/v1/cases?assignee=me').expect(200);
    expect(mine.body.items.map((c: { reference: string }) => c.reference)).toEqual([reference]);
    expect((await as('mo').get('/api/v1/cases?assignee=me').expect(200)).body.total).toBe(0);
    const bad = await as('mo').get('/api/v1/cases?assignee=someone').expect(400);
    expect(bad.body.message).toEqual(['assignee must be "me"']);
    await assign('mo', reference, 'investigator').expect(409);
  });

  it('lets only the assignee confirm ownership, once', async () => {
    const other = await as('s151').post(`/api/v1/cases/${reference}/ownership`).expect(403);
    expect(other.body.message).toMatch(/Only the handler the case is assigned to/);
    const confirmed = await as('investigator').post(`/api/v1/cases/${reference}/ownership`).expect(200);
    expect(confirmed.body).toEqual(
      expect.objectContaining({ ownershipConfirmedOn: today, ownershipDue: null }),
    );
    await as('investigator').post(`/api/v1/cases/${reference}/ownership`).expect(409);
  });

  it('on transfer takes access from the previous assignee, unless routing itself gives them the case', async () => {
    const first = await assign('mo', reference, 'investigator2').expect(200);
    expect(first.body).toEqual(
      expect.objectContaining({
        reason: 'transferred',
        previousAssigneeId: users.investigator!.id,
        previousAssigneeKeepsAccess: false,
        ownershipConfirmedOn: null,
      }),
    );
    await as('investigator').get(`/api/v1/cases/${reference}`).expect(404);
    expect((await as('investigator').get('/api/v1/cases').expect(200)).body.total).toBe(0);
    await as('investigator2').get(`/api/v1/cases/${reference}`).expect(200);

    // The section 151 officer handles fraud by default: assigned, then transferred, they keep it.
    await assign('mo', reference, 's151').expect(200);
    await as('investigator2').get(`/api/v1/cases/${reference}`).expect(404);
    const back = await assign('mo', reference, 'investigator').expect(200);
    expect(back.body.previousAssigneeKeepsAccess).toBe(true);
    await as('s151').get(`/api/v1/cases/${reference}`).expect(200);
    expect((await routedEvents(reference)).map((p: { reason: string }) => p.reason)).toEqual([
      'assigned',
      'transferred',
      'transferred',
      'transferred',
    ]);

    const trail = await as('mo').get(`/api/v1/cases/${reference}/audit?limit=200`).expect(200);
    const actions = trail.body.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'case.assigned')).toHaveLength(4);
    expect(trail.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'grant.revoked',
          details: expect.objectContaining({ granteeId: users.investigator2!.id, via: 'transferred' }),
        }),
      ]),
    );
  });

  it('never assigns anyone the conflict set rules out: the named officer, those excluded with them, the recused', async () => {
    const aboutMo = await submit({
      category: 'dishonesty',
      answers: { whatHappened: 'The MO altered minutes', howYouKnow: 'saw_it', raisedBefore: 'no' },
      involves: ['monitoring_officer'],
    });
    await as('mo').get(`/api/v1/cases/${aboutMo}`).expect(404);
    await assign('mo', aboutMo, 'investigator').expect(404);
    const deputy = await assign('hops', aboutMo, 'deputy').expect(409);
    expect(deputy.body.message).toMatch(/may not handle it/);
    await assign('hops', aboutMo, 'mo').expect(409);
    await assign('hops', aboutMo, 'investigator2').expect(200);
    await as('investigator2').get(`/api/v1/cases/${aboutMo}`).expect(200);

    // The assignee recuses: they are no longer the assignee, and cannot be assigned again.
    await as('investigator2')
      .post(`/api/v1/cases/${aboutMo}/recusal`, { reason: 'I report to the subject' })
      .expect(201);
    const view = await as('hops').get(`/api/v1/cases/${aboutMo}`).expect(200);
    expect(view.body.assigneeId).toBeNull();
    await assign('hops', aboutMo, 'investigator2').expect(409);
  });
});
