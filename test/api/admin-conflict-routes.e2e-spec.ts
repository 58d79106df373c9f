/**
 * Conflict routes per tenant (issues #6/#7; docs/architecture.md "Routing": "editable per tenant to match
 * its constitution"; docs/regulatory.md §3). An administrator reads and sets the council's routes and its
 * answer on the deputy's independence; routing at intake and every later re-routing (CaseAccessService)
 * use them instead of the defaults. Everything over HTTP against real Postgres and Redis:
 * - a tenant that marks its deputy independent routes a concern about the monitoring officer to the
 *   deputy; a tenant on the defaults does not;
 * - a council's own route for a concern about the section 151 officer decides who gets it at intake and
 *   who may be assigned it afterwards;
 * - bad routes get a 400 naming every problem and change nothing; only administrators may read or set
 *   them; every change is audited; existing cases are not moved.
 */
import type { INestApplication } from '@nestjs/common';
import { DEFAULT_CONFLICT_ROUTES } from '@nolan/domain';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(120_000);

const ROLES = [
  'administrator',
  'monitoring_officer',
  'deputy_monitoring_officer',
  'head_of_paid_service',
  's151_officer',
  'investigator',
] as const;
type Who = (typeof ROLES)[number];

interface Council {
  id: string;
  slug: string;
  users: Record<Who, TestUser>;
  tokens: Record<Who, string>;
}

describe('conflict routes per tenant', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  /** On the defaults throughout. */
  let plain: Council;
  /** Marks its deputy independent of the monitoring officer. */
  let independent: Council;
  /** Sets its own route for a concern about the section 151 officer. */
  let custom: Council;

  const server = () => app.getHttpServer();
  const as = (council: Council, who: Who) => ({
    get: (path: string) =>
      request(server()).get(`/api/v1${path}`).auth(council.tokens[who], { type: 'bearer' }),
    put: (path: string, body: unknown) =>
      request(server())
        .put(`/api/v1${path}`)
        .auth(council.tokens[who], { type: 'bearer' })
        .send(body as object),
    post: (path: string, body: object = {}) =>
      request(server()).post(`/api/v1${path}`).auth(council.tokens[who], { type: 'bearer' }).send(body),
  });
  const council = async (prefix: string): Promise<Council> => {
    const tenant = await fixtures.tenant(prefix);
    const users = {} as Record<Who, TestUser>;
    const tokens = {} as Record<Who, string>;
    for (const role of ROLES) users[role] = await fixtures.user(tenant.id, [role]);
    for (const role of ROLES) tokens[role] = await signInAs(server(), tenant.slug, users[role]);
    return { id: tenant.id, slug: tenant.slug, users, tokens };
  };
  const submit = async (c: Council, category: string, involves: string[]): Promise<string> => {
    const res = await request(server())
      .post(`/api/v1/tenants/${c.slug}/reports`)
      .send({
        category,
        answers: {
          whatHappened: 'Contracts steered to a relative',
          howYouKnow: 'saw_it',
          raisedBefore: 'no',
        },
        involves,
        altcha: await solvedAltcha(server(), c.slug),
      })
      .expect(201);
    return res.body.reference as string;
  };
  /** Who holds any grant of the case: the people it was routed (or assigned) to. */
  const grantees = async (c: Council, reference: string): Promise<Who[]> => {
    const rows: { grantee_id: string }[] = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [c.id]);
      return m.query(
        `SELECT DISTINCT g.grantee_id FROM case_grants g JOIN cases ca ON ca.id = g.case_id
         WHERE ca.reference = $1 AND g.grantee_kind = 'staff'`,
        [reference],
      );
    });
    return ROLES.filter((role) => rows.some((r) => r.grantee_id === c.users[role].id));
  };
  const auditEntries = async (c: Council, setting: string) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [c.id]);
      return m.query(
        `SELECT actor_id, details FROM audit_entries WHERE action = 'config.changed' AND details->>'setting' = $1
         ORDER BY seq`,
        [setting],
      ) as Promise<{ actor_id: string; details: Record<string, unknown> }[]>;
    });
  /** The defaults as the page would send them back, edited. */
  const editable = (): Record<string, Record<string, string[]>> =>
    JSON.parse(JSON.stringify(DEFAULT_CONFLICT_ROUTES));

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    plain = await council('routes-plain');
    independent = await council('routes-indep');
    custom = await council('routes-custom');
  });

  afterAll(async () => {
    await fixtures?.close();
    await app?.close();
  });

  it('shows a council on the defaults its routes, the defaults, and who a concern about each role reaches', async () => {
    const res = await as(plain, 'administrator').get('/admin/conflict-routes').expect(200);
    expect(res.body).toMatchObject({
      deputyIndependent: false,
      customised: false,
      updatedAt: null,
      updatedBy: null,
      routes: JSON.parse(JSON.stringify(DEFAULT_CONFLICT_ROUTES)),
      defaults: JSON.parse(JSON.stringify(DEFAULT_CONFLICT_ROUTES)),
    });
    const aboutMo = res.body.preview.find((p: { subject: string }) => p.subject === 'monitoring_officer');
    expect(aboutMo).toMatchObject({
      kind: 'routed',
      overseer: { id: plain.users.head_of_paid_service.id, role: 'head_of_paid_service' },
      owners: [{ id: plain.users.head_of_paid_service.id, role: 'head_of_paid_service' }],
    });
    expect(res.body.preview.map((p: { subject: string }) => p.subject)).toEqual([
      'monitoring_officer',
      's151_officer',
      'head_of_paid_service',
    ]);
  });

  it('routes a concern about the monitoring officer to an independent deputy, and not where the deputy is not independent', async () => {
    // A case received before the change stays where it was routed: nothing is moved behind the MO's back.
    const before = await submit(independent, 'conflicts_of_interest', ['monitoring_officer']);
    expect(await grantees(independent, before)).toEqual(['head_of_paid_service']);

    const put = await as(independent, 'administrator')
      .put('/admin/conflict-routes', { deputyIndependent: true, routes: null })
      .expect(200);
    expect(put.body).toMatchObject({ deputyIndependent: true, customised: false });
    expect(put.body.notice.join(' ')).toContain('Existing cases are not moved');
    const preview = put.body.preview.find((p: { subject: string }) => p.subject === 'monitoring_officer');
    expect(preview.owners.map((o: { id: string }) => o.id)).toEqual([
      independent.users.head_of_paid_service.id,
      independent.users.deputy_monitoring_officer.id,
    ]);
    const [entry] = await auditEntries(independent, 'conflict_routes');
    expect(entry).toEqual({
      actor_id: independent.users.administrator.id,
      details: {
        setting: 'conflict_routes',
        customised: false,
        deputyIndependent: true,
        deputyIndependentBefore: false,
        changedSubjects: [],
      },
    });

    const inIndependent = await submit(independent, 'conflicts_of_interest', ['monitoring_officer']);
    const inPlain = await submit(plain, 'conflicts_of_interest', ['monitoring_officer']);
    expect(await grantees(independent, inIndependent)).toEqual([
      'deputy_monitoring_officer',
      'head_of_paid_service',
    ]);
    expect(await grantees(plain, inPlain)).toEqual(['head_of_paid_service']);
    expect(await grantees(independent, before)).toEqual(['head_of_paid_service']);

    // What each deputy can open: the independent one reads it; the other gets the 404 of a case that isn't.
    await as(independent, 'deputy_monitoring_officer').get(`/cases/${inIndependent}`).expect(200);
    await as(plain, 'deputy_monitoring_officer').get(`/cases/${inPlain}`).expect(404);
    await as(independent, 'monitoring_officer').get(`/cases/${inIndependent}`).expect(404);

    // Later re-routing (CaseAccessService) follows the same settings: the overseer may assign the deputy
    // in the independent council, and is refused in the other, where the deputy is in the conflict set.
    await as(independent, 'head_of_paid_service')
      .post(`/cases/${before}/assignment`, { assigneeId: independent.users.deputy_monitoring_officer.id })
      .expect(200);
    expect(await grantees(independent, before)).toContain('deputy_monitoring_officer');
    const refused = await as(plain, 'head_of_paid_service')
      .post(`/cases/${inPlain}/assignment`, { assigneeId: plain.users.deputy_monitoring_officer.id })
      .expect(409);
    expect(refused.body.message).toMatch(
      /is involved in the concern, has recused themselves or is conflicted/,
    );
  });

  it('applies a council’s own route at intake and when a case is assigned', async () => {
    // This council's internal audit (its investigators) reports to the section 151 officer, so its
    // constitution sends a concern about the s151 officer to the head of paid service, with the audit
    // committee chair told, and keeps investigators out.
    const routes = editable();
    routes['s151_officer'] = {
      leads: ['head_of_paid_service'],
      owners: [],
      notify: ['audit_committee_chair'],
      excludedWithSubject: ['investigator'],
    };
    const put = await as(custom, 'administrator')
      .put('/admin/conflict-routes', { deputyIndependent: false, routes })
      .expect(200);
    expect(put.body).toMatchObject({ customised: true, routes, updatedBy: custom.users.administrator.id });
    expect((await auditEntries(custom, 'conflict_routes'))[0]?.details).toMatchObject({
      customised: true,
      changedSubjects: ['s151_officer'],
    });
    await as(custom, 'administrator')
      .get('/admin/conflict-routes')
      .expect(200)
      .expect((res) => expect(res.body.routes).toEqual(routes));

    const inCustom = await submit(custom, 'fraud_theft', ['s151_officer']);
    const inPlain = await submit(plain, 'fraud_theft', ['s151_officer']);
    // Defaults: the monitoring officer leads, with the head of paid service. Here the head of paid
    // service leads, taking the monitoring officer's place on the fraud route, and is the custodian.
    expect(await grantees(custom, inCustom)).toEqual(['head_of_paid_service']);
    expect(await grantees(plain, inPlain)).toEqual(['monitoring_officer', 'head_of_paid_service']);
    const custodian = async (c: Council, reference: string) =>
      fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [c.id]);
        const rows: { grantee_id: string }[] = await m.query(
          `SELECT g.grantee_id FROM case_grants g JOIN cases ca ON ca.id = g.case_id
           WHERE ca.reference = $1 AND g.grantee_kind = 'staff' AND g.scope = 'identity'`,
          [reference],
        );
        return rows.map((r) => r.grantee_id);
      });
    expect(await custodian(custom, inCustom)).toEqual([custom.users.head_of_paid_service.id]);
    expect(await custodian(plain, inPlain)).toEqual([plain.users.monitoring_officer.id]);

    // Assignment re-runs routing with the council's routes: its investigators are in the conflict set.
    const refused = await as(custom, 'head_of_paid_service')
      .post(`/cases/${inCustom}/assignment`, { assigneeId: custom.users.investigator.id })
      .expect(409);
    expect(refused.body.message).toMatch(/conflicted/);
    await as(plain, 'monitoring_officer')
      .post(`/cases/${inPlain}/assignment`, { assigneeId: plain.users.investigator.id })
      .expect(200);

    // Back to the defaults: null restores them.
    const reset = await as(custom, 'administrator')
      .put('/admin/conflict-routes', { deputyIndependent: false, routes: null })
      .expect(200);
    expect(reset.body).toMatchObject({
      customised: false,
      routes: JSON.parse(JSON.stringify(DEFAULT_CONFLICT_ROUTES)),
    });
  });

  it('refuses bad routes with a 400 naming every problem, and saves nothing', async () => {
    const routes = editable();
    routes['monitoring_officer']!['leads'] = ['monitoring_officer'];
    routes['head_of_paid_service']!['owners'] = ['administrator'];
    delete routes['s151_officer'];
    const res = await as(plain, 'administrator')
      .put('/admin/conflict-routes', { deputyIndependent: true, routes })
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [
        'routes.monitoring_officer.leads: a concern about the monitoring officer must never be sent to the monitoring officer.',
        'routes.monitoring_officer.leads: at least one lead must be free of the monitoring officer (not excluded along with them, and not only the deputy monitoring officer, who may act only when marked independent).',
        'routes.head_of_paid_service.owners: administrator never handles a case; owners must be among monitoring_officer, deputy_monitoring_officer, investigator, s151_officer, safeguarding_lead, head_of_paid_service.',
        'routes.s151_officer: a route is required for a concern about the section 151 officer (regulatory.md §3); change where it goes rather than removing it.',
      ],
    });
    for (const [body, message] of [
      [{ routes: null }, 'deputyIndependent must be true or false'],
      [{ deputyIndependent: 'yes', routes: null }, 'deputyIndependent must be true or false'],
      [
        { deputyIndependent: false },
        'routes must be an object keyed by the role the concern is about, or null for the defaults',
      ],
      [
        { deputyIndependent: false, routes: ['monitoring_officer'] },
        'routes must be an object keyed by the role the concern is about, or null for the defaults',
      ],
      [{ deputyIndependent: false, routes: null, colour: 'red' }, 'property colour should not exist'],
    ] as const) {
      const bad = await as(plain, 'administrator').put('/admin/conflict-routes', body).expect(400);
      expect(bad.body.message).toContain(message);
    }
    const malformed = await request(server())
      .put('/api/v1/admin/conflict-routes')
      .auth(plain.tokens.administrator, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send('{"deputyIndependent": tru')
      .expect(400);
    expect(malformed.body.message).toBe('The request body is not valid JSON.');

    const after = await as(plain, 'administrator').get('/admin/conflict-routes').expect(200);
    expect(after.body).toMatchObject({ customised: false, deputyIndependent: false });
    expect(await auditEntries(plain, 'conflict_routes')).toEqual([]);
  });

  it('lets only administrators read or set the routes', async () => {
    for (const who of ROLES.filter((r) => r !== 'administrator')) {
      const res = await as(plain, who).get('/admin/conflict-routes').expect(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'Only administrators can manage users and the council’s settings.',
      });
      await as(plain, who)
        .put('/admin/conflict-routes', { deputyIndependent: true, routes: null })
        .expect(403);
    }
    await request(server()).get('/api/v1/admin/conflict-routes').expect(401);
    await request(server())
      .put('/api/v1/admin/conflict-routes')
      .send({ deputyIndependent: true, routes: null })
      .expect(401);
    // Row-level security keeps each council's settings its own: the independent council's answer is
    // invisible to the plain council's administrator.
    const res = await as(plain, 'administrator').get('/admin/conflict-routes').expect(200);
    expect(res.body.deputyIndependent).toBe(false);
  });
});
