/**
 * The case door (issue #13, "One door"): every per-case route goes through it. The routes are read
 * from the running API's own OpenAPI document, so a route added later is covered at once — and fails
 * here until it is given a valid request below. For each, a staff user without a grant, a user
 * excluded from the case (named as involved, with a grant left behind) and an administrator holding a
 * grant all get exactly the answer a reference that does not exist gets.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { FIRST_RESPONSE } from '../support/case-fixtures';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

const NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'There is no case with this reference.' };

/** A request each per-case route would accept from someone allowed in: bodies pass validation. */
const VALID_REQUESTS: Record<string, object | undefined> = {
  'GET /api/v1/cases/{reference}': undefined,
  'GET /api/v1/cases/{reference}/audit': undefined,
  'POST /api/v1/cases/{reference}/transitions': { to: 'acknowledged', firstResponse: FIRST_RESPONSE },
  'POST /api/v1/cases/{reference}/recusal': { reason: 'I know the person concerned.' },
  'POST /api/v1/cases/{reference}/identity-requests': { reason: 'To interview them.' },
  'GET /api/v1/cases/{reference}/identity-requests': undefined,
  'POST /api/v1/cases/{reference}/identity-requests/{id}/decision': { approve: false, reason: 'Not needed.' },
  'GET /api/v1/cases/{reference}/identity': undefined,
  'POST /api/v1/cases/{reference}/messages': { text: 'Thank you for your report.' },
  'POST /api/v1/cases/{reference}/assignment': { assigneeId: randomUUID() },
  'POST /api/v1/cases/{reference}/ownership': {},
  'GET /api/v1/cases/{reference}/assignees': undefined,
  'POST /api/v1/cases/{reference}/legal-hold': { reason: 'An employment tribunal claim.' },
  'DELETE /api/v1/cases/{reference}/legal-hold': { reason: 'The claim was withdrawn.' },
  'POST /api/v1/cases/{reference}/identity/custody': { recoveryPassphrase: 'not the passphrase' },
  'POST /api/v1/cases/{reference}/feedback': {
    actionTaken: 'We met the team.',
    reasons: 'To check the facts.',
  },
  'POST /api/v1/cases/{reference}/notes': { text: 'Called the contracts team.' },
  'POST /api/v1/cases/{reference}/evidence': { description: 'The minutes', kind: 'document' },
  'POST /api/v1/cases/{reference}/replies': { text: 'Thank you for your message.' },
  'GET /api/v1/cases/{reference}/files/{id}': undefined,
  'GET /api/v1/cases/{reference}/timeline': undefined,
  'POST /api/v1/cases/{reference}/links': {
    reference: 'NLN-AAAA-AAAA',
    kind: 'same_subject',
    note: 'Same team.',
  },
  'GET /api/v1/cases/{reference}/links': undefined,
  'DELETE /api/v1/cases/{reference}/links/{id}': undefined,
  'POST /api/v1/cases/{reference}/involved': { role: 's151_officer', reason: 'They approved the contract.' },
  'POST /api/v1/cases/{reference}/exports': undefined,
  'POST /api/v1/cases/{reference}/recommendations': {
    text: 'Register every gift over £25.',
    owner: 'Governance team',
    dueOn: '2027-01-31',
  },
  'GET /api/v1/cases/{reference}/recommendations': undefined,
  'POST /api/v1/cases/{reference}/recommendations/{id}/status': { status: 'in_progress' },
  'GET /api/v1/cases/{reference}/involved/requests': undefined,
  'POST /api/v1/cases/{reference}/involved/requests/{id}/decision': { confirm: false },
  'POST /api/v1/cases/{reference}/closure-requests': { outcome: 'no_further_action', reason: 'Dealt with.' },
  'GET /api/v1/cases/{reference}/closure-requests': undefined,
  'POST /api/v1/cases/{reference}/closure-requests/{id}/decision': { agree: false },
};

describe('the case door', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let reference: string;
  let routes: { method: string; path: string }[];
  const tokens: Record<'holder' | 'outsider' | 'excluded' | 'administrator', string> = {
    holder: '',
    outsider: '',
    excluded: '',
    administrator: '',
  };

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('door');
    const users: Record<keyof typeof tokens, TestUser> = {
      holder: await fixtures.user(tenant.id, ['monitoring_officer']),
      outsider: await fixtures.user(tenant.id, ['investigator']),
      excluded: await fixtures.user(tenant.id, ['investigator']),
      administrator: await fixtures.user(tenant.id, ['administrator']),
    };
    const created = await fixtures.case(tenant.id, {
      category: 'gifts_hospitality',
      staffIds: [users.holder.id, users.excluded.id, users.administrator.id],
      report: { answers: { whatHappened: 'Tickets from a bidder' }, involves: [] },
    });
    reference = created.reference;
    // Named as involved, with the grant a bug might have left behind: the door must still say no.
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      await m.query(
        `INSERT INTO case_exclusions (tenant_id, case_id, user_id, kind) VALUES ($1, $2, $3, 'named_as_involved')`,
        [tenant.id, created.id, users.excluded.id],
      );
    });
    const server = app.getHttpServer();
    for (const [who, user] of Object.entries(users))
      tokens[who as keyof typeof tokens] = await signInAs(server, tenant.slug, user);

    const openapi = await request(server).get('/api/docs-json').expect(200);
    routes = Object.entries(openapi.body.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/v1/cases/{reference}'))
      .flatMap(([path, operations]) =>
        Object.keys(operations)
          .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map((method) => ({ method: method.toUpperCase(), path })),
      );
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  function send(route: { method: string; path: string }, token: string, ref: string) {
    const url = route.path.replace('{reference}', ref).replace(/\{[a-zA-Z]+\}/g, randomUUID());
    const method = route.method.toLowerCase() as 'get' | 'post' | 'delete' | 'put' | 'patch';
    const req = request(app.getHttpServer())[method](url).auth(token, { type: 'bearer' });
    const body = VALID_REQUESTS[`${route.method} ${route.path}`];
    return body === undefined ? req : req.send(body);
  }

  it('finds the per-case routes in the OpenAPI document, and knows a valid request for each one', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(VALID_REQUESTS).length);
    const unknown = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !(key in VALID_REQUESTS));
    // A new per-case route: add a valid request for it above, so the door is proven for it too.
    expect(unknown).toEqual([]);
  });

  it('lets the grant holder in, so the refusals below are the door’s doing', async () => {
    const res = await send({ method: 'GET', path: '/api/v1/cases/{reference}' }, tokens.holder, reference);
    expect(res.status).toBe(200);
    expect(res.body.report).toEqual({ answers: { whatHappened: 'Tickets from a bidder' }, involves: [] });
  });

  it('answers a reference that does not exist with 404 on every per-case route', async () => {
    for (const route of routes) {
      const res = await send(route, tokens.holder, 'NLN-ZZZZ-ZZZZ');
      expect({ route, status: res.status, body: res.body }).toEqual({ route, status: 404, body: NOT_FOUND });
    }
  });

  for (const who of ['outsider', 'excluded', 'administrator'] as const) {
    it(`gives ${
      who === 'outsider'
        ? 'a user without a grant'
        : who === 'excluded'
          ? 'a user named as involved (grant left behind)'
          : 'an administrator holding a grant'
    } the same 404 body as an unknown reference, on every per-case route`, async () => {
      for (const route of routes) {
        const res = await send(route, tokens[who], reference);
        expect({ route, status: res.status, body: res.body }).toEqual({
          route,
          status: 404,
          body: NOT_FOUND,
        });
      }
    });
  }

  it('leaves the case out of the lists of the excluded user and the administrator', async () => {
    for (const who of ['excluded', 'administrator'] as const) {
      const list = await request(app.getHttpServer())
        .get('/api/v1/cases')
        .auth(tokens[who], { type: 'bearer' })
        .expect(200);
      expect(list.body.total).toBe(0);
    }
  });
});
