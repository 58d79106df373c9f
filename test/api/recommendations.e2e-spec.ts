/**
 * Issue #19: recommendations as tracked actions (docs/case-core.md "Recommendations"). An investigator
 * or the overseer records one with an owner (a member of staff holding the case, or a team) and a due
 * date, and moves it on; each change is a case event; the words and a free-text owner are stored
 * encrypted while status and due date are counted by the dashboard; a closing decision's
 * recommendations become tracked ones; and the plan's target date is kept readable for its reminder.
 */
import type { INestApplication } from '@nestjs/common';
import { addCalendarDays, toLondonDate } from '@nolan/domain';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

const WORDS = 'zq19recwords: recover the duplicate fuel-card payments';
const TEAM = 'zq19team: Fleet services';

describe('recommendations as tracked actions', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let investigator: TestUser;
  let outsider: TestUser;
  const tokens: Record<string, string> = {};
  let reference = '';
  let caseId = '';
  const today = toLondonDate(new Date());

  const server = () => app.getHttpServer();
  const as = (who: string, method: 'get' | 'post', path: string) =>
    request(server())
      [method](`/api/v1/cases/${reference}${path}`)
      .auth(tokens[who] as string, { type: 'bearer' });
  const query = <T>(sql: string, params: unknown[]): Promise<T[]> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T[]>;
    });

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('recs');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    outsider = await fixtures.user(tenant.id, ['investigator']);
    for (const [who, user] of [
      ['mo', mo],
      ['investigator', investigator],
      ['outsider', outsider],
    ] as const)
      tokens[who] = await signInAs(server(), tenant.slug, user);
    const created = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id, investigator.id],
      report: { answers: { whatHappened: 'Fuel cards used at weekends' } },
    });
    reference = created.reference;
    caseId = created.id;
  });
  afterAll(async () => {
    await fixtures?.close();
    await app?.close();
  });

  it('keeps the plan’s target date readable for its reminder', async () => {
    await as('mo', 'post', '/transitions')
      .send({
        to: 'acknowledged',
        firstResponse: {
          proposedHandling: 'We will look into it.',
          whoIsInvolved: 'Audit.',
          estimatedTimescale: 'Weeks.',
          supportAvailable: 'Protect.',
        },
      })
      .expect(201);
    await as('mo', 'post', '/transitions').send({ to: 'assessment' }).expect(201);
    const target = addCalendarDays(today, 30);
    await as('mo', 'post', '/transitions')
      .send({
        to: 'investigation',
        reason: 'The statements show it.',
        plan: { scope: 'Fuel cards', allegations: ['Weekend use'], targetDate: target },
      })
      .expect(201);
    const [row] = await query<{ d: string }>(`SELECT plan_target_date::text AS d FROM cases WHERE id = $1`, [
      caseId,
    ]);
    expect(row?.d).toBe(target);
  });

  it('records a recommendation with a named owner and one with a team, each as a case event, the words encrypted', async () => {
    const due = addCalendarDays(today, 20);
    const named = await as('investigator', 'post', '/recommendations')
      .send({ text: WORDS, ownerId: investigator.id, dueOn: due })
      .expect(201);
    const team = await as('mo', 'post', '/recommendations')
      .send({ text: 'Lock the cards at weekends.', owner: TEAM, dueOn: addCalendarDays(today, -3) })
      .expect(201);
    const rows = await query<{
      id: string;
      owner_id: string | null;
      due_on: string;
      status: string;
      item_id: string;
    }>(
      `SELECT id, owner_id, due_on::text AS due_on, status, item_id FROM case_recommendations WHERE case_id = $1 ORDER BY due_on`,
      [caseId],
    );
    expect(rows.map((r) => [r.id, r.owner_id, r.status])).toEqual([
      [team.body.id, null, 'open'],
      [named.body.id, investigator.id, 'open'],
    ]);
    const items = await query<{ kind: string; scope: string; ciphertext: Buffer }>(
      `SELECT kind, scope, ciphertext FROM case_items WHERE id = ANY($1::uuid[])`,
      [rows.map((r) => r.item_id)],
    );
    expect(items.map((i) => [i.kind, i.scope])).toEqual([
      ['recommendation', 'internal'],
      ['recommendation', 'internal'],
    ]);
    const dump =
      JSON.stringify(await query(`SELECT * FROM case_recommendations WHERE case_id = $1`, [caseId])) +
      items.map((i) => i.ciphertext.toString('latin1')).join('');
    expect(dump).not.toContain('zq19');
    const entries = await query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_entries WHERE case_id = $1 AND action = 'case.recommendation_raised' ORDER BY seq`,
      [caseId],
    );
    expect(entries.map((e) => e.details)).toEqual([
      { recommendationId: named.body.id, dueOn: due, ownerId: investigator.id },
      { recommendationId: team.body.id, dueOn: addCalendarDays(today, -3), ownerId: null },
    ]);
    const timeline = await as('investigator', 'get', '/timeline').expect(200);
    expect(
      timeline.body.events
        .filter((e: { action: string }) => e.action === 'case.recommendation_raised')
        .map((e: { content: unknown }) => e.content),
    ).toEqual([{ text: WORDS }, { text: 'Lock the cards at weekends.', owner: TEAM }]);
  });

  it('lists them soonest due first, with owner, due date and status, and flags the one past its due date', async () => {
    const res = await as('investigator', 'get', '/recommendations').expect(200);
    expect(
      res.body.items.map((r: Record<string, unknown>) => [
        r['text'],
        r['owner'],
        r['ownerStaff'],
        r['status'],
        r['overdue'],
      ]),
    ).toEqual([
      ['Lock the cards at weekends.', TEAM, null, 'open', true],
      [WORDS, null, { id: investigator.id, name: 'Test investigator' }, 'open', false],
    ]);
  });

  it('moves one to in progress and then implemented, and refuses to move it again', async () => {
    const [, first] = (await as('investigator', 'get', '/recommendations').expect(200)).body.items;
    await as('investigator', 'post', `/recommendations/${first.id}/status`)
      .send({ status: 'in_progress' })
      .expect(201);
    await as('investigator', 'post', `/recommendations/${first.id}/status`)
      .send({ status: 'implemented' })
      .expect(201);
    const again = await as('investigator', 'post', `/recommendations/${first.id}/status`)
      .send({ status: 'in_progress' })
      .expect(409);
    expect(again.body.message).toBe('This recommendation is already implemented; its status cannot change.');
    const entries = await query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_entries WHERE case_id = $1 AND action = 'case.recommendation_updated' ORDER BY seq`,
      [caseId],
    );
    expect(entries.map((e) => [e.details['from'], e.details['to']])).toEqual([
      ['open', 'in_progress'],
      ['in_progress', 'implemented'],
    ]);
  });

  it('rejects one only with a reason, and shows the reason', async () => {
    const [second] = (await as('mo', 'get', '/recommendations').expect(200)).body.items;
    const noReason = await as('mo', 'post', `/recommendations/${second.id}/status`)
      .send({ status: 'rejected' })
      .expect(400);
    expect(noReason.body.message).toEqual(['Say why the recommendation was rejected (reason).']);
    await as('mo', 'post', `/recommendations/${second.id}/status`)
      .send({ status: 'rejected', reason: 'The cards are being withdrawn.' })
      .expect(201);
    const listed = (await as('mo', 'get', '/recommendations').expect(200)).body.items;
    expect(listed[0]).toMatchObject({
      status: 'rejected',
      reason: 'The cards are being withdrawn.',
      overdue: false,
      next: [],
    });
  });

  it('answers bad input with a 400 naming each field, and an unknown recommendation or case with a 404', async () => {
    const bad = await as('mo', 'post', '/recommendations')
      .send({ text: ' ', dueOn: '2027-02-30' })
      .expect(400);
    expect(bad.body.message).toEqual([
      'Say what should be done (text).',
      'Give one owner: a member of staff who holds the case (ownerId) or a team or post (owner).',
      'dueOn must be a real date written YYYY-MM-DD.',
    ]);
    const notHolder = await as('mo', 'post', '/recommendations')
      .send({ text: 'Train the team.', ownerId: outsider.id, dueOn: '2027-02-01' })
      .expect(400);
    expect(notHolder.body.message).toEqual([
      'ownerId must be a member of staff who holds the case; name a team or post as owner instead.',
    ]);
    const badStatus = await as('mo', 'post', `/recommendations/${caseId}/status`)
      .send({ status: 'done' })
      .expect(400);
    expect(badStatus.body.message).toEqual([
      'status must be one of: open, in_progress, implemented, rejected',
    ]);
    const unknown = await as('mo', 'post', `/recommendations/${caseId}/status`)
      .send({ status: 'implemented' })
      .expect(404);
    expect(unknown.body.message).toBe('There is no recommendation with this id on the case.');
    const outsiderList = await as('outsider', 'get', '/recommendations').expect(404);
    expect(outsiderList.body.message).toBe('There is no case with this reference.');
  });

  it('counts raised, implemented and overdue on the dashboard from the tracked recommendations', async () => {
    const overdue = await as('mo', 'post', '/recommendations')
      .send({ text: 'Audit last year’s claims.', owner: 'Internal audit', dueOn: addCalendarDays(today, -1) })
      .expect(201);
    expect(overdue.body.id).toEqual(expect.any(String));
    const res = await request(server())
      .get(`/api/v1/dashboard/figures?from=${addCalendarDays(today, -10)}&to=${today}`)
      .auth(tokens['mo'] as string, { type: 'bearer' })
      .expect(200);
    expect(res.body.recommendations).toEqual({ raised: 3, implemented: 1, overdue: 1 });
  });

  it('tracks a closing decision’s recommendations from the decision itself, with no further event', async () => {
    const other = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id, investigator.id],
      report: { answers: { whatHappened: 'Overtime claimed twice' } },
    });
    const move = (body: Record<string, unknown>) =>
      request(server())
        .post(`/api/v1/cases/${other.reference}/transitions`)
        .auth(tokens['mo'] as string, { type: 'bearer' })
        .send(body)
        .expect(201);
    await move({
      to: 'acknowledged',
      firstResponse: {
        proposedHandling: 'Look.',
        whoIsInvolved: 'Audit.',
        estimatedTimescale: 'Weeks.',
        supportAvailable: 'Protect.',
      },
    });
    await move({ to: 'assessment' });
    await move({
      to: 'investigation',
      reason: 'Timesheets.',
      plan: { scope: 'Overtime', allegations: ['Double claims'] },
    });
    await move({
      to: 'decision',
      findings: [{ allegation: 'Double claims', finding: 'substantiated', reason: 'Payroll shows it.' }],
    });
    await move({
      to: 'closed',
      outcome: 'substantiated',
      reason: 'Proven.',
      noFeedbackReason: 'Reporter unreachable.',
      recommendations: [
        { action: 'Recover the overtime.', owner: 'Payroll', dueDate: addCalendarDays(today, 14) },
      ],
    });
    const listed = await request(server())
      .get(`/api/v1/cases/${other.reference}/recommendations`)
      .auth(tokens['mo'] as string, { type: 'bearer' })
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        text: 'Recover the overtime.',
        owner: 'Payroll',
        status: 'open',
        dueOn: addCalendarDays(today, 14),
      }),
    ]);
    const raised = await query(
      `SELECT 1 FROM audit_entries WHERE case_id = $1 AND action = 'case.recommendation_raised'`,
      [other.id],
    );
    expect(raised).toHaveLength(0);
    const [plan] = await query<{ d: string | null }>(
      `SELECT plan_target_date::text AS d FROM cases WHERE id = $1`,
      [other.id],
    );
    expect(plan?.d).toBeNull();
  });
});
