/**
 * Issue #7 "named later as involved": a handler (a person or a role) or the reporter (roles from the
 * form's list) names someone as involved; that person loses access at once and the case vanishes for
 * them — 404 by reference, absent from lists, counts and search — with a 'named_as_involved'
 * exclusion, and the case is re-routed (conflict routes apply; with no one left, it says so).
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { NO_CUSTODIAN_GRANT } from '../../apps/api/src/cases/commands/identity-decision.service';
import { startApi } from '../support/api-app';
import { CaseWorld } from '../support/case-fixtures';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('naming someone later as involved', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let hops: TestUser;
  let investigator: TestUser;
  const tokens: Record<string, string> = {};

  const as = (who: string) => ({
    get: (path: string) =>
      request(app.getHttpServer()).get(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }),
    post: (path: string, body: object) =>
      request(app.getHttpServer()).post(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }).send(body),
  });

  const submit = async (slug: string, category = 'gifts_hospitality') => {
    const server = app.getHttpServer();
    const res = await request(server)
      .post(`/api/v1/tenants/${slug}/reports`)
      .send({
        category,
        answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, slug),
      })
      .expect(201);
    return res.body as { reference: string; receipt: string };
  };

  const exclusions = (reference: string) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(
        `SELECT e.user_id AS "userId", e.kind FROM case_exclusions e JOIN cases c ON c.id = e.case_id
         WHERE c.reference = $1 ORDER BY e.user_id`,
        [reference],
      );
    });

  /** What a user's case list says about `reference`: listed, in the count, found by search. */
  const visibility = async (who: string, reference: string) => {
    const all = await as(who).get('/cases?limit=100').expect(200);
    const search = await as(who).get(`/cases?q=${reference}`).expect(200);
    return {
      listed: all.body.items.some((c: { reference: string }) => c.reference === reference),
      total: all.body.total as number,
      found: search.body.total as number,
    };
  };

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('involved');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    hops = await fixtures.user(tenant.id, ['head_of_paid_service']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    const server = app.getHttpServer();
    for (const [name, user] of Object.entries({ mo, hops, investigator }))
      tokens[name] = await signInAs(server, tenant.slug, user);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('answers bad naming requests with a 400 that says what is wrong', async () => {
    const { reference } = await submit(tenant.slug);
    const both = await as('mo')
      .post(`/cases/${reference}/involved`, {
        userId: investigator.id,
        role: 'monitoring_officer',
        reason: 'r',
      })
      .expect(400);
    expect(both.body.message).toEqual([
      'Name one person (userId) or one role (role), not both and not neither.',
    ]);
    await as('mo').post(`/cases/${reference}/involved`, { reason: 'r' }).expect(400);
    const badId = await as('mo')
      .post(`/cases/${reference}/involved`, { userId: 'bob', reason: 'r' })
      .expect(400);
    expect(badId.body.message).toEqual(['userId must be a staff user id (a UUID)']);
    const stranger = await as('mo')
      .post(`/cases/${reference}/involved`, { userId: '00000000-0000-4000-8000-000000000000', reason: 'r' })
      .expect(400);
    expect(stranger.body.message).toEqual(['userId is not a staff user in this council.']);
    const badRole = await as('mo')
      .post(`/cases/${reference}/involved`, { role: 'investigator', reason: 'r' })
      .expect(400);
    expect(badRole.body.message[0]).toMatch(/^role must be one of: monitoring_officer, /);
    const vacant = await as('mo')
      .post(`/cases/${reference}/involved`, { role: 's151_officer', reason: 'r' })
      .expect(400);
    expect(vacant.body.message).toEqual([
      'No one holds the role section 151 officer (chief finance officer) or internal audit in this council.',
    ]);
    const noReason = await as('mo')
      .post(`/cases/${reference}/involved`, { userId: investigator.id })
      .expect(400);
    expect(noReason.body.message).toEqual(expect.arrayContaining(['reason is required']));
    await as('investigator').post(`/cases/${reference}/involved`, { userId: mo.id, reason: 'r' }).expect(404);
  });

  it('takes the case away from a handler named by the overseer, at once and for good', async () => {
    const { reference } = await submit(tenant.slug);
    await as('mo').post(`/cases/${reference}/assignment`, { assigneeId: investigator.id }).expect(200);
    await as('investigator').get(`/cases/${reference}`).expect(200);
    const before = await visibility('investigator', reference);
    expect(before).toMatchObject({ listed: true, found: 1 });

    const named = await as('mo')
      .post(`/cases/${reference}/involved`, {
        userId: investigator.id,
        reason: 'The bidder is their brother.',
      })
      .expect(200);
    expect(named.body).toEqual({ named: 1, passedTo: 0, unrouted: false, withheld: [] });

    const missing = await as('investigator').get(`/cases/${reference}`).expect(404);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'There is no case with this reference.',
    });
    expect(await visibility('investigator', reference)).toEqual({
      listed: false,
      total: before.total - 1,
      found: 0,
    });
    await as('investigator').get(`/cases/${reference}/audit`).expect(404);
    expect(await exclusions(reference)).toEqual([{ userId: investigator.id, kind: 'named_as_involved' }]);
    // Exclusion is for good: the overseer cannot assign the case back to them.
    await as('mo').post(`/cases/${reference}/assignment`, { assigneeId: investigator.id }).expect(409);
    await as('mo').get(`/cases/${reference}`).expect(200);

    const trail = await as('mo').get(`/cases/${reference}/audit?limit=200`).expect(200);
    const actions = trail.body.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('case.named_as_involved');
    expect(
      trail.body.items.filter(
        (e: { action: string; details: { granteeId?: string } }) =>
          e.action === 'grant.revoked' && e.details.granteeId === investigator.id,
      ),
    ).toHaveLength(2);
  });

  it('lets the reporter name a role from the form, removing its holder and re-routing by the conflict route', async () => {
    const { reference, receipt } = await submit(tenant.slug);
    await as('mo').get(`/cases/${reference}`).expect(200);
    await as('hops').get(`/cases/${reference}`).expect(404);
    const server = app.getHttpServer();
    const token = await signInWithReceipt(server, tenant.slug, receipt);
    const form = await request(server).get(`/api/v1/tenants/${tenant.slug}/form`).expect(200);
    const offered = form.body.involves.options.map((o: { value: string }) => o.value);
    expect(offered).toEqual(['monitoring_officer', 'head_of_paid_service']);

    const reporter = (body: object) =>
      request(server).post('/api/v1/reporter/case/involved').auth(token, { type: 'bearer' }).send(body);
    const notOnForm = await reporter({ roles: ['s151_officer'] }).expect(400);
    expect(notOnForm.body.message).toEqual([
      'roles must be chosen from the people listed on the form: monitoring_officer, head_of_paid_service',
    ]);
    const junk = await reporter({ roles: 'monitoring_officer' }).expect(400);
    expect(junk.body.message).toEqual(
      expect.arrayContaining(['roles must be a list of roles from the form']),
    );
    await reporter({ roles: [] }).expect(400);

    await reporter({ roles: ['monitoring_officer'], reason: 'I found out they approved it.' }).expect(200, {
      recorded: true,
    });
    await as('mo').get(`/cases/${reference}`).expect(404);
    expect((await visibility('mo', reference)).listed).toBe(false);
    // The head of paid service oversees a case about the monitoring officer.
    const forHops = await as('hops').get(`/cases/${reference}`).expect(200);
    expect(forHops.body.report).toEqual(expect.objectContaining({ answers: expect.any(Object) }));
    expect(await exclusions(reference)).toEqual([{ userId: mo.id, kind: 'named_as_involved' }]);
    // The reporter still reads their case; nothing tells them who holds it now.
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(view.body)).not.toContain(hops.id);
  });

  it('leaves the case with the escrow key alone, and says so, when naming leaves no one to handle it', async () => {
    const lonely = await fixtures.tenant('involved-lonely');
    const onlyMo = await fixtures.user(lonely.id, ['monitoring_officer']);
    const server = app.getHttpServer();
    tokens.onlyMo = await signInAs(server, lonely.slug, onlyMo);
    const { reference } = await submit(lonely.slug);
    const named = await as('onlyMo')
      .post(`/cases/${reference}/involved`, { role: 'monitoring_officer', reason: 'It is about me.' })
      .expect(200);
    expect(named.body).toEqual({ named: 1, passedTo: 0, unrouted: true, withheld: [] });
    await as('onlyMo').get(`/cases/${reference}`).expect(404);
    const [row] = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [lonely.id]);
      return m.query(
        `SELECT c.routing, count(g.*) FILTER (WHERE g.grantee_kind = 'staff')::int AS staff,
                count(g.*) FILTER (WHERE g.grantee_kind = 'escrow')::int AS escrow
         FROM cases c LEFT JOIN case_grants g ON g.case_id = c.id WHERE c.reference = $1 GROUP BY c.routing`,
        [reference],
      );
    });
    expect(row).toEqual({ routing: 'no_eligible_recipient', staff: 0, escrow: 3 });
  });
});

/**
 * One rule for the overseer (CaseAccessService.isOverseer: routing as it stands). When a handler names
 * the monitoring officer as involved, the head of paid service takes the case over by the conflict
 * route but gets no identity grant — the handler never held one to pass on. They still oversee it:
 * they assign, set a legal hold and decide; approving an identity request needs the identity scope,
 * so it is refused with the escrow route named, and works once they take custody through it.
 */
describe('the overseer of a case whose monitoring officer a handler names as involved', () => {
  let world: CaseWorld;

  beforeAll(async () => {
    world = await CaseWorld.start('named-mo', {
      mo: ['monitoring_officer'],
      hops: ['head_of_paid_service'],
      investigator: ['investigator'],
      investigator2: ['investigator'],
    });
  }, 120_000); // four users, each with a key pair and an Argon2 sign-in
  afterAll(() => world.close());

  it('is the head of paid service, who can assign, set a legal hold, decide and share the identity', async () => {
    const { as, user } = { as: world.as.bind(world), user: world.user.bind(world) };
    const { reference } = await world.submit({
      identity: { name: 'Jo Reporter', contact: 'jo@example.net' },
    });
    await as('mo')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('investigator').id })
      .expect(200);

    // Issue #15: a handler's naming is a request; it names the overseer, so the head of paid service
    // (who would oversee the case with it in effect) is given the case to confirm it.
    const asked = await as('investigator')
      .post(`/cases/${reference}/involved`, {
        userId: user('mo').id,
        reason: 'They approved the hospitality.',
      })
      .expect(202);
    const named = await as('hops')
      .post(`/cases/${reference}/involved/requests/${asked.body.requestId}/decision`, { confirm: true })
      .expect(200);
    // The head of paid service received the case, but not the identity the investigator never held.
    expect(named.body).toMatchObject({ named: 1, passedTo: 1, unrouted: false, withheld: ['identity'] });
    await as('mo').get(`/cases/${reference}`).expect(404);
    await as('hops').get(`/cases/${reference}/identity`).expect(404);

    // Assignment and legal hold: overseer decisions, by routing.
    await as('investigator')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('investigator2').id })
      .expect(403);
    const moved = await as('hops')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('investigator2').id })
      .expect(200);
    expect(moved.body).toMatchObject({ assigneeId: user('investigator2').id, reason: 'transferred' });
    const held = await as('hops')
      .post(`/cases/${reference}/legal-hold`, { reason: 'An employment tribunal claim is expected.' })
      .expect(200);
    expect(held.body.legalHold).toBe(true);
    await as('mo').post(`/cases/${reference}/legal-hold`, { reason: 'x' }).expect(404);

    // The decision on the investigated case: the assignee cannot make it, the overseer can.
    await world.runTo('investigator2', reference, 'decision');
    const decision = {
      to: 'closed',
      outcome: 'substantiated',
      reason: 'The hospitality was approved by the person it benefited.',
      recommendations: [{ action: 'Refresh the gifts register', owner: 'Head of Governance' }],
      noFeedbackReason: 'The reporter has not signed in since the report; this test is not about feedback.',
    };
    await world.move('investigator2', reference, decision).expect(403);

    // Identity: asked for by the assignee; the overseer may refuse, but approving needs the identity
    // scope: a 409 naming the escrow route, until they take custody through it.
    const first = await as('investigator2')
      .post(`/cases/${reference}/identity-requests`, { reason: 'To interview the reporter.' })
      .expect(201);
    const decide = (id: string, approve: boolean) =>
      as('hops').post(`/cases/${reference}/identity-requests/${id}/decision`, {
        approve,
        reason: 'An interview is needed.',
      });
    const noGrant = await decide(first.body.id, true).expect(409);
    expect(noGrant.body).toEqual({ statusCode: 409, error: 'Conflict', message: NO_CUSTODIAN_GRANT });
    await decide(first.body.id, false).expect(201, { id: first.body.id, status: 'refused' });

    const wrong = await as('hops')
      .post(`/cases/${reference}/identity/custody`, { recoveryPassphrase: 'not the passphrase' })
      .expect(400);
    expect(wrong.body.message).toEqual(["recoveryPassphrase is not this council's recovery passphrase"]);
    const passphrase = { recoveryPassphrase: world.tenant.escrowRecoveryPassphrase };
    // Anyone else is refused before the passphrase is tried, so the route tells them nothing about it.
    const guess = { recoveryPassphrase: 'not the passphrase' };
    await as('investigator2').post(`/cases/${reference}/identity/custody`, guess).expect(403);
    await as('mo').post(`/cases/${reference}/identity/custody`, guess).expect(404);
    await as('investigator2').post(`/cases/${reference}/identity/custody`, passphrase).expect(403);
    await as('hops')
      .post(`/cases/${reference}/identity/custody`, passphrase)
      .expect(200, { custodian: true, passedTo: 1 });
    await as('hops').post(`/cases/${reference}/identity/custody`, passphrase).expect(409);
    const custodian = await as('hops').get(`/cases/${reference}/identity`).expect(200);
    expect(custodian.body.identity).toEqual({ name: 'Jo Reporter', contact: 'jo@example.net' });

    const second = await as('investigator2')
      .post(`/cases/${reference}/identity-requests`, {
        reason: 'To interview the reporter, now it is needed.',
      })
      .expect(201);
    await decide(second.body.id, true).expect(201, { id: second.body.id, status: 'approved' });
    await as('investigator2').get(`/cases/${reference}/identity`).expect(200);

    const closed = await world.move('hops', reference, decision).expect(201);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'substantiated' });
  });
});
