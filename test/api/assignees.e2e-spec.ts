/**
 * Issue #19: who a case may be assigned to, by name and workload, and the case list's assignee names,
 * "unassigned" filter and search over metadata. The list of people applies the same rules as the
 * assignment (docs/case-core.md "Exclusion rules"): nobody excluded, recused, deactivated or without a
 * handler role is offered.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('assignees and the case list by assignee', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  const users: Record<string, TestUser> = {};
  const tokens: Record<string, string> = {};
  let fraud: string;
  let aboutMo: string;
  let spare: string;

  const submit = async (body: object): Promise<string> => {
    const server = app.getHttpServer();
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({ ...body, altcha: await solvedAltcha(server, tenant.slug) })
      .expect(201);
    return res.body.reference as string;
  };
  const as = (who: string) => ({
    get: (path: string) =>
      request(app.getHttpServer()).get(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }),
    post: (path: string, body?: object) =>
      request(app.getHttpServer())
        .post(`/api/v1${path}`)
        .auth(tokens[who]!, { type: 'bearer' })
        .send(body ?? {}),
  });
  const names = (body: { items: { name: string }[] }) => body.items.map((i) => i.name);
  const refs = (body: { items: { reference: string }[] }) => body.items.map((i) => i.reference).sort();

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('assignees');
    const people: [string, string[], string][] = [
      ['mo', ['monitoring_officer'], 'Morgan Hale'],
      ['deputy', ['deputy_monitoring_officer'], 'Dana Reyes'],
      ['hops', ['head_of_paid_service'], 'Hari Shah'],
      ['asha', ['investigator'], 'Asha Patel'],
      ['ben', ['investigator'], 'Ben Okoro'],
      ['gone', ['investigator'], 'Gil Stone'],
      ['admin', ['administrator'], 'Ada Admin'],
      ['chair', ['audit_committee_chair'], 'Chris Chair'],
    ];
    for (const [key, roles, name] of people) {
      users[key] = await fixtures.user(tenant.id, roles, { name });
      tokens[key] = await signInAs(app.getHttpServer(), tenant.slug, users[key]!);
    }
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      await m.query(`UPDATE staff_users SET deactivated_at = now() WHERE id = $1`, [users.gone!.id]);
    });
    const answers = {
      whatHappened: 'Invoices split to dodge approval',
      howYouKnow: 'saw_it',
      raisedBefore: 'no',
    };
    fraud = await submit({ category: 'fraud_theft', answers });
    spare = await submit({ category: 'fraud_theft', answers });
    aboutMo = await submit({ category: 'fraud_theft', answers, involves: ['monitoring_officer'] });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await fixtures?.close();
  });

  it('lists the active, eligible handlers by name with their open cases, to the overseer only', async () => {
    const res = await as('mo').get(`/cases/${fraud}/assignees`).expect(200);
    expect(res.body.reference).toBe(fraud);
    expect(names(res.body)).toEqual(['Asha Patel', 'Ben Okoro', 'Dana Reyes', 'Hari Shah', 'Morgan Hale']);
    expect(res.body.items[0]).toEqual({
      userId: users.asha!.id,
      name: 'Asha Patel',
      roles: ['investigator'],
      openCases: 0,
      current: false,
    });
    // Not the overseer (no grant at all, or an administrator): the same 404 as an unknown case.
    await as('asha').get(`/cases/${fraud}/assignees`).expect(404);
    await as('admin').get(`/cases/${fraud}/assignees`).expect(404);
  });

  it('counts open cases and marks the current assignee after an assignment', async () => {
    await as('mo').post(`/cases/${fraud}/assignment`, { assigneeId: users.asha!.id }).expect(200);
    await as('mo').post(`/cases/${spare}/assignment`, { assigneeId: users.asha!.id }).expect(200);
    const res = await as('mo').get(`/cases/${fraud}/assignees`).expect(200);
    expect(res.body.items.find((i: { name: string }) => i.name === 'Asha Patel')).toEqual(
      expect.objectContaining({ openCases: 2, current: true }),
    );
    expect(res.body.items.find((i: { name: string }) => i.name === 'Ben Okoro')).toEqual(
      expect.objectContaining({ openCases: 0, current: false }),
    );
    // The assignee (a handler with a grant, not the overseer) may not list them.
    const refused = await as('asha').get(`/cases/${fraud}/assignees`).expect(403);
    expect(refused.body.message).toMatch(/^Only the case’s overseer/);
  });

  it('leaves out the people a concern about the monitoring officer rules out, and whoever recused', async () => {
    // The head of paid service oversees a concern about the monitoring officer; the deputy is not
    // independent, so neither the monitoring officer nor the deputy may handle it.
    const res = await as('hops').get(`/cases/${aboutMo}/assignees`).expect(200);
    expect(names(res.body)).toEqual(['Asha Patel', 'Ben Okoro', 'Hari Shah']);
    await as('mo').get(`/cases/${aboutMo}/assignees`).expect(404);

    await as('hops').post(`/cases/${aboutMo}/assignment`, { assigneeId: users.ben!.id }).expect(200);
    await as('ben').post(`/cases/${aboutMo}/recusal`, { reason: 'I know the officer well' }).expect(201);
    const after = await as('hops').get(`/cases/${aboutMo}/assignees`).expect(200);
    expect(names(after.body)).toEqual(['Asha Patel', 'Hari Shah']);
  });

  it('names the assignee on the case list and the case, and filters by assignee and unassigned', async () => {
    const list = await as('mo').get('/cases?limit=100').expect(200);
    const byRef = new Map(list.body.items.map((c: { reference: string }) => [c.reference, c]));
    expect(byRef.get(fraud)).toEqual(
      expect.objectContaining({ assigneeId: users.asha!.id, assigneeName: 'Asha Patel' }),
    );
    const view = await as('asha').get(`/cases/${fraud}`).expect(200);
    expect(view.body.assigneeName).toBe('Asha Patel');

    expect(refs((await as('mo').get(`/cases?assigneeId=${users.asha!.id}`).expect(200)).body)).toEqual(
      [fraud, spare].sort(),
    );
    const unassigned = await as('hops').get('/cases?unassigned=true&limit=100').expect(200);
    expect(unassigned.body.items.every((c: { assigneeId: string | null }) => c.assigneeId === null)).toBe(
      true,
    );
    expect(refs(unassigned.body)).not.toContain(fraud);
    const bad = await as('mo').get('/cases?unassigned=perhaps').expect(400);
    expect(bad.body.message).toEqual(['unassigned must be true or false']);
    const badId = await as('mo').get('/cases?assigneeId=asha').expect(400);
    expect(badId.body.message).toEqual(['assigneeId must be a staff user id (a UUID)']);
  });

  it('searches the metadata: a reference, the assignee’s name, the category and the status', async () => {
    expect(
      refs(
        (
          await as('mo')
            .get(`/cases?q=${fraud.slice(0, 8)}&limit=100`)
            .expect(200)
        ).body,
      ),
    ).toContain(fraud);
    expect(refs((await as('mo').get('/cases?q=asha').expect(200)).body)).toEqual([fraud, spare].sort());
    expect(
      refs(
        (
          await as('mo')
            .get(`/cases?q=${encodeURIComponent('patel fraud')}`)
            .expect(200)
        ).body,
      ),
    ).toEqual([fraud, spare].sort());
    expect((await as('mo').get('/cases?q=okoro').expect(200)).body.total).toBe(0);
    expect((await as('mo').get('/cases?q=received').expect(200)).body.total).toBeGreaterThanOrEqual(2);
    expect((await as('mo').get('/cases?q=safeguarding').expect(200)).body.total).toBe(0);
    const bad = await as('mo')
      .get(`/cases?q=${encodeURIComponent('50%')}`)
      .expect(400);
    expect(bad.body.message).toEqual(['q must be up to 60 letters, numbers, spaces, hyphens or apostrophes']);
  });
});
