/**
 * Issue #4's access matrix: for every role and every way of reaching a case (list, count, search,
 * by reference), only grant holders get it, with its content; everyone else gets 404 and no trace in
 * lists or counts; an administrator gets nothing even with a grant; another tenant's users get nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { routeCase, STAFF_ROLES, type StaffRole } from '@nolan/domain';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

interface Seeded {
  reference: string;
  holders: Set<string>;
  marker: string;
}

describe('case access matrix', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  const users = new Map<StaffRole, TestUser>();
  const tokens = new Map<string, string>();
  const cases: Seeded[] = [];
  let tenant: { id: string; slug: string };
  let outsiderToken: string;

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('matrix');
    for (const role of STAFF_ROLES) users.set(role, await fixtures.user(tenant.id, [role]));
    const roleHolders = [...users.entries()].map(([role, u]) => ({ userId: u.id, roles: [role] }));
    const seed = async (
      category: Parameters<typeof routeCase>[0]['category'],
      involvedRoles: StaffRole[],
      extra: string[] = [],
    ) => {
      const decision = routeCase({
        category,
        involvedRoles,
        involvedUserIds: [],
        recusedUserIds: [],
        roleHolders,
      });
      if (decision.kind !== 'routed') throw new Error(decision.reason);
      const holders = new Set([...decision.owners.map((r) => r.userId), decision.overseer.userId, ...extra]);
      const marker = `report-${category}-${cases.length}`;
      const created = await fixtures.case(tenant.id, {
        category,
        staffIds: holders,
        report: { whatHappened: marker },
      });
      cases.push({ reference: created.reference, holders, marker });
    };
    await seed('fraud_theft', []);
    await seed('safeguarding_children', []);
    await seed('gifts_hospitality', ['monitoring_officer']);
    // A grant given to an administrator by mistake must still show them nothing.
    await seed('dishonesty', [], [users.get('administrator')!.id]);

    const server = app.getHttpServer();
    for (const user of users.values()) tokens.set(user.id, await signInAs(server, tenant.slug, user));
    const other = await fixtures.tenant('matrix-other');
    const otherMo = await fixtures.user(other.id, ['monitoring_officer']);
    outsiderToken = await signInAs(server, other.slug, otherMo);
    // Nine staff keys made and unlocked one after another (Argon2 each): slow on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('routes the case about the monitoring officer away from them', () => {
    const aboutMo = cases[2]!;
    expect(aboutMo.holders.has(users.get('monitoring_officer')!.id)).toBe(false);
    expect(aboutMo.holders.has(users.get('head_of_paid_service')!.id)).toBe(true);
  });

  for (const role of STAFF_ROLES) {
    it(`shows the ${role.replace(/_/g, ' ')} exactly the cases they hold a grant for, by every route`, async () => {
      const user = users.get(role)!;
      const token = tokens.get(user.id)!;
      const server = app.getHttpServer();
      const entitled = (c: Seeded) => c.holders.has(user.id) && role !== 'administrator';
      const expected = cases
        .filter(entitled)
        .map((c) => c.reference)
        .sort();

      const list = await request(server)
        .get('/api/v1/cases?limit=100')
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(list.body.items.map((c: { reference: string }) => c.reference).sort()).toEqual(expected);
      expect(list.body.total).toBe(expected.length);

      for (const seeded of cases) {
        const search = await request(server)
          .get(`/api/v1/cases?q=${seeded.reference.slice(0, 8)}`)
          .auth(token, { type: 'bearer' })
          .expect(200);
        const found = search.body.items.some((c: { reference: string }) => c.reference === seeded.reference);
        expect(found).toBe(entitled(seeded));

        const byId = await request(server)
          .get(`/api/v1/cases/${seeded.reference}`)
          .auth(token, { type: 'bearer' });
        if (entitled(seeded)) {
          expect(byId.status).toBe(200);
          expect(byId.body.report).toEqual({ whatHappened: seeded.marker });
        } else {
          expect(byId.status).toBe(404);
          expect(byId.body).toEqual({
            statusCode: 404,
            error: 'Not Found',
            message: 'There is no case with this reference.',
          });
        }
      }
    });
  }

  it('lets the case’s overseer read its audit trail, with every decryption in it, and nobody else', async () => {
    const server = app.getHttpServer();
    const tokenOf = (role: StaffRole) => tokens.get(users.get(role)!.id)!;
    const fraud = cases[0]!;
    const trail = await request(server)
      .get(`/api/v1/cases/${fraud.reference}/audit`)
      .auth(tokenOf('monitoring_officer'), { type: 'bearer' })
      .expect(200);
    const readers = trail.body.items
      .filter((e: { action: string }) => e.action === 'case.content_decrypted')
      .map((e: { actorId: string }) => e.actorId);
    expect(new Set(readers)).toEqual(new Set([...fraud.holders]));
    await request(server)
      .get(`/api/v1/cases/${fraud.reference}/audit`)
      .auth(tokenOf('investigator'), { type: 'bearer' })
      .expect(404);
    const aboutMo = cases[2]!;
    await request(server)
      .get(`/api/v1/cases/${aboutMo.reference}/audit`)
      .auth(tokenOf('monitoring_officer'), { type: 'bearer' })
      .expect(404);
    await request(server)
      .get(`/api/v1/cases/${aboutMo.reference}/audit`)
      .auth(tokenOf('head_of_paid_service'), { type: 'bearer' })
      .expect(200);
  });

  it('gives another council’s users nothing: no list entries, no count, 404 by reference', async () => {
    const server = app.getHttpServer();
    const list = await request(server)
      .get('/api/v1/cases')
      .auth(outsiderToken, { type: 'bearer' })
      .expect(200);
    expect(list.body).toEqual({ items: [], total: 0, limit: 25, offset: 0 });
    for (const seeded of cases) {
      await request(server)
        .get(`/api/v1/cases/${seeded.reference}`)
        .auth(outsiderToken, { type: 'bearer' })
        .expect(404);
    }
  });

  it('answers 401 without a session and 400 for a bad filter', async () => {
    const server = app.getHttpServer();
    await request(server).get('/api/v1/cases').expect(401);
    await request(server).get(`/api/v1/cases/${cases[0]!.reference}`).expect(401);
    const bad = await request(server)
      .get('/api/v1/cases?status=lost&limit=1000')
      .auth(tokens.get(users.get('monitoring_officer')!.id)!, { type: 'bearer' })
      .expect(400);
    expect(bad.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^status must be one of/),
        'limit must not be greater than 100',
      ]),
    );
  });
});
