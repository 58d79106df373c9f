/**
 * Issue #15, path 2: "an implicated handler can bury a case". The assigned investigator names the
 * monitoring officer, the deputy, the head of paid service and the section 151 officer in turn, hoping
 * to leave the case with nobody but themselves and close it at assessment as no further action. Now
 * each naming is a request with no effect until the person who confirms it does (libs/domain
 * namings.ts), the case keeps its overseer, and closing short of the overseer's own decision needs the
 * overseer's agreement (libs/domain lifecycle.ts `closingNeedsAgreement`). And when every oversight
 * role really is involved, the council's fallback overseer takes the case; when even they are, the
 * oversight roles are told, never silently.
 */
import { CaseWorld } from '../support/case-fixtures';
import { cli } from '../support/cli';

const CLOSING_NEEDS_AGREEMENT =
  'Closing this case needs its overseer’s agreement: ask them to agree (POST /cases/{reference}/closure-requests with the outcome and why), then close it with that outcome once they have.';

describe('an assigned investigator who tries to bury a case', () => {
  let world: CaseWorld;

  beforeAll(async () => {
    world = await CaseWorld.start('bury', {
      mo: ['monitoring_officer'],
      deputy: ['deputy_monitoring_officer'],
      hops: ['head_of_paid_service'],
      s151: ['s151_officer'],
      chair: ['audit_committee_chair'],
      investigator: ['investigator'],
    });
  }, 180_000); // six users, each with a key pair and an Argon2 sign-in
  afterAll(() => world?.close());

  const exclusions = (reference: string) =>
    world.query(
      `SELECT e.user_id AS "userId", e.kind FROM case_exclusions e JOIN cases c ON c.id = e.case_id
        WHERE c.reference = $1`,
      [reference],
    );
  const routing = async (reference: string) =>
    (await world.query<{ routing: string }>(`SELECT routing FROM cases WHERE reference = $1`, [reference]))[0]
      ?.routing;

  it('makes each naming a request, keeps the overseer, and refuses to close without the overseer’s agreement', async () => {
    const { as, user } = { as: world.as.bind(world), user: world.user.bind(world) };
    const { reference } = await world.submit();
    await as('mo')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('investigator').id })
      .expect(200);

    const requests: Record<string, string> = {};
    for (const role of [
      'monitoring_officer',
      'deputy_monitoring_officer',
      'head_of_paid_service',
      's151_officer',
    ]) {
      const res = await as('investigator')
        .post(`/cases/${reference}/involved`, { role, reason: 'They were at the dinner.' })
        .expect(202);
      expect(res.body).toEqual({ requestId: expect.any(String), status: 'pending', named: 1 });
      requests[role] = res.body.requestId;
      // Nothing happened: the monitoring officer still oversees and reads the case, nobody is excluded.
      await as('mo').get(`/cases/${reference}`).expect(200);
      expect(await exclusions(reference)).toEqual([]);
      expect(await routing(reference)).toBe('routed');
    }
    await as('investigator').get(`/cases/${reference}`).expect(200);

    // Nobody named in a pending request decides any: with the four oversight roles all named in one, the
    // chair of the audit committee (the fallback overseer) was given the case to decide them all, and
    // the monitoring officer and the head of paid service decide none (issue #15, a reviewer's attack:
    // a naming's decider must never be someone another pending naming names).
    const seenByMo = (await as('mo').get(`/cases/${reference}/involved/requests`).expect(200)).body;
    expect(seenByMo).toEqual([]);
    const seenByHops = (await as('hops').get(`/cases/${reference}/involved/requests`).expect(200)).body;
    expect(seenByHops).toEqual([]);
    const seenByChair = (await as('chair').get(`/cases/${reference}/involved/requests`).expect(200)).body as {
      id: string;
      canDecide: boolean;
      reason: string;
    }[];
    expect(seenByChair.map((r) => r.id).sort()).toEqual(Object.values(requests).sort());
    expect(seenByChair.every((r) => r.canDecide && r.reason === 'They were at the dinner.')).toBe(true);
    // Nobody is shown a naming of themselves, not even on the timeline: the monitoring officer sees the
    // three that do not name them, the investigator all four.
    const requested = async (who: string) =>
      (await as(who).get(`/cases/${reference}/timeline?limit=200`).expect(200)).body.events.filter(
        (e: { action: string }) => e.action === 'case.naming_requested',
      ).length;
    expect({ mo: await requested('mo'), investigator: await requested('investigator') }).toEqual({
      mo: 3,
      investigator: 4,
    });
    // The investigator cannot confirm their own requests, nor can the monitoring officer the one naming them.
    await as('investigator')
      .post(`/cases/${reference}/involved/requests/${requests['deputy_monitoring_officer']}/decision`, {
        confirm: true,
      })
      .expect(403);
    await as('mo')
      .post(`/cases/${reference}/involved/requests/${requests['monitoring_officer']}/decision`, {
        confirm: true,
      })
      .expect(404);
    // The monitoring officer, named in a pending request, cannot decide another; the chair rejects one:
    // still nothing changes.
    await as('mo')
      .post(`/cases/${reference}/involved/requests/${requests['s151_officer']}/decision`, { confirm: false })
      .expect(403);
    await as('chair')
      .post(`/cases/${reference}/involved/requests/${requests['s151_officer']}/decision`, {
        confirm: false,
        reason: 'The section 151 officer was not at the dinner.',
      })
      .expect(200, { id: requests['s151_officer'], status: 'rejected' });
    expect(await exclusions(reference)).toEqual([]);

    // Closing at assessment as no further action: refused without the overseer's agreement.
    await world.runTo('investigator', reference, 'assessment');
    const nfa = {
      to: 'closed',
      outcome: 'no_further_action',
      reason: 'Nothing in it.',
      noFeedbackReason: 'The reporter has not signed in; this test is not about feedback.',
    };
    const refused = await world.move('investigator', reference, nfa).expect(409);
    expect(refused.body).toEqual({ statusCode: 409, error: 'Conflict', message: CLOSING_NEEDS_AGREEMENT });
    await world
      .move('investigator', reference, { to: 'closed', outcome: 'withdrawn', reason: 'They gave up.' })
      .expect(409);
    const asked = await as('investigator')
      .post(`/cases/${reference}/closure-requests`, {
        outcome: 'no_further_action',
        reason: 'Nothing in it.',
      })
      .expect(201);
    expect(asked.body).toMatchObject({
      status: 'pending',
      outcome: 'no_further_action',
      reason: 'Nothing in it.',
    });
    await world.move('investigator', reference, nfa).expect(409);
    // Only the overseer answers it.
    await as('investigator')
      .post(`/cases/${reference}/closure-requests/${asked.body.id}/decision`, { agree: true })
      .expect(403);
    await as('mo')
      .post(`/cases/${reference}/closure-requests/${asked.body.id}/decision`, {
        agree: false,
        reason: 'Interview the guests first.',
      })
      .expect(200);
    await world.move('investigator', reference, nfa).expect(409);
    expect((await as('mo').get(`/cases/${reference}`).expect(200)).body.status).toBe('assessment');

    // With the overseer's agreement the closing goes through, once.
    const again = await as('investigator')
      .post(`/cases/${reference}/closure-requests`, {
        outcome: 'no_further_action',
        reason: 'Guests interviewed.',
      })
      .expect(201);
    await as('mo')
      .post(`/cases/${reference}/closure-requests/${again.body.id}/decision`, { agree: true })
      .expect(200);
    const closed = await world.move('investigator', reference, nfa).expect(201);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'no_further_action' });
    const used = await as('mo').get(`/cases/${reference}/closure-requests`).expect(200);
    expect(used.body.map((r: { status: string }) => r.status)).toEqual(['refused', 'used']);
  });

  it('never gives the case to someone a pending naming names, to decide another naming', async () => {
    const { as, user } = { as: world.as.bind(world), user: world.user.bind(world) };
    const { reference } = await world.submit();
    await as('mo')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('investigator').id })
      .expect(200);
    const grantsOf = (who: string) =>
      world.query<{ scope: string }>(
        `SELECT g.scope FROM case_grants g JOIN cases c ON c.id = g.case_id
          WHERE c.reference = $1 AND g.grantee_kind = 'staff' AND g.grantee_id = $2`,
        [reference, user(who).id],
      );
    // The attack: ask to name the head of paid service (the monitoring officer decides), then the
    // monitoring officer, hoping the head of paid service — who would oversee the case with the
    // monitoring officer named — is handed the case that names them, to decide.
    const first = await as('investigator')
      .post(`/cases/${reference}/involved`, { role: 'head_of_paid_service', reason: 'At the dinner.' })
      .expect(202);
    const second = await as('investigator')
      .post(`/cases/${reference}/involved`, { role: 'monitoring_officer', reason: 'At the dinner.' })
      .expect(202);
    await as('hops').get(`/cases/${reference}`).expect(404);
    await as('hops').get(`/cases/${reference}/involved/requests`).expect(404);
    expect(await grantsOf('hops')).toEqual([]);
    // The section 151 officer — nobody named in any pending request, nor the one asking — decides it.
    expect((await grantsOf('s151')).map((g) => g.scope).sort()).toEqual(['internal', 'report']);
    const seenByS151 = (await as('s151').get(`/cases/${reference}/involved/requests`).expect(200)).body;
    // Nor does the monitoring officer, named in the second, decide the first any more: the section 151
    // officer decides both.
    expect(
      seenByS151.map((r: { id: string; canDecide: boolean }) => `${r.id} ${r.canDecide}`).sort(),
    ).toEqual([`${first.body.requestId} true`, `${second.body.requestId} true`].sort());
    expect((await as('mo').get(`/cases/${reference}/involved/requests`).expect(200)).body).toEqual([]);
    // The head of paid service cannot decide it either, even had they reached the case another way.
    await as('hops')
      .post(`/cases/${reference}/involved/requests/${second.body.requestId}/decision`, { confirm: true })
      .expect(404);
    expect(await exclusions(reference)).toEqual([]);
  });

  it('never shows an overseer named in a pending request the grants that gave its decider the case', async () => {
    const { as, user } = { as: world.as.bind(world), user: world.user.bind(world) };
    const { reference } = await world.submit();
    await as('mo')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('investigator').id })
      .expect(200);
    const asked = await as('investigator')
      .post(`/cases/${reference}/involved`, { role: 'monitoring_officer', reason: 'At the dinner.' })
      .expect(202);
    // The head of paid service was given the case to decide it: the grants and the routing signal say so.
    const [signal] = await world.query<{ payload: Record<string, unknown> }>(
      `SELECT o.payload FROM outbox o JOIN cases c ON c.id = o.aggregate_id
        WHERE c.reference = $1 AND o.event = 'case.routed' AND o.payload->>'requestId' IS NOT NULL`,
      [reference],
    );
    expect(signal?.payload).toMatchObject({ requestId: asked.body.requestId, newGrantees: user('hops').id });
    const timeline = async (who: string) =>
      JSON.stringify((await as(who).get(`/cases/${reference}/timeline?limit=200`).expect(200)).body);
    // The investigator, who asked, sees the case given to the head of paid service; the monitoring
    // officer, whom the request names, sees no trace of it.
    expect(await timeline('investigator')).toContain(user('hops').id);
    expect(await timeline('mo')).not.toContain(user('hops').id);
  });

  it('hands a case every oversight role is involved in to the fallback overseer, and says so when even they are', async () => {
    const { as } = { as: world.as.bind(world) };
    const { reference } = await world.submit();
    // The overseer's own namings take effect at once; so does naming oneself.
    for (const role of ['deputy_monitoring_officer', 'head_of_paid_service', 's151_officer'])
      await as('mo')
        .post(`/cases/${reference}/involved`, { role, reason: 'They were at the dinner.' })
        .expect(200);
    await as('chair').get(`/cases/${reference}`).expect(404);
    const self = await as('mo')
      .post(`/cases/${reference}/involved`, { role: 'monitoring_officer', reason: 'I was there too.' })
      .expect(200);
    expect(self.body).toEqual({ named: 1, passedTo: 1, unrouted: false, withheld: [] });
    await as('mo').get(`/cases/${reference}`).expect(404);
    // The chair of the audit committee, the council's fallback overseer by default, oversees it now.
    await as('chair').get(`/cases/${reference}`).expect(200);
    await as('chair').get(`/cases/${reference}/identity`).expect(200);
    await as('chair').get(`/cases/${reference}/assignees`).expect(200);
    expect(await routing(reference)).toBe('routed');
    const calm = await as('hops').get('/oversight/fallback-overseer').expect(200);
    expect(calm.body).toMatchObject({
      role: 'audit_committee_chair',
      casesWithoutOverseer: 0,
      warning: null,
    });

    // Even the fallback overseer steps aside: the case is held by the escrow key alone, loudly.
    await as('chair')
      .post(`/cases/${reference}/involved`, { role: 'audit_committee_chair', reason: 'I hosted the dinner.' })
      .expect(200, { named: 1, passedTo: 0, unrouted: true, withheld: [] });
    expect(await routing(reference)).toBe('no_eligible_recipient');
    const loud = await as('s151').get('/oversight/fallback-overseer').expect(200);
    expect(loud.body.casesWithoutOverseer).toBe(1);
    expect(loud.body.warning).toMatch(/^1 open case has no overseer/);
  });

  it('lets only the monitoring officer designate the fallback overseer, and shows it to the oversight roles', async () => {
    const { as } = { as: world.as.bind(world) };
    await as('hops').put('/oversight/fallback-overseer', { role: 'investigator' }).expect(403);
    const bad = await as('mo').put('/oversight/fallback-overseer', { role: 'administrator' }).expect(400);
    expect(bad.body.message[0]).toMatch(/^role must be one of: monitoring_officer/);
    const set = await as('mo').put('/oversight/fallback-overseer', { role: 's151_officer' }).expect(200);
    expect(set.body).toMatchObject({ role: 's151_officer', customised: true });
    const changes = await as('hops').get('/oversight/changes').expect(200);
    expect(changes.body.items[0]).toMatchObject({
      setting: 'fallback_overseer',
      givesAccessToConcerns: true,
    });
    await as('mo').put('/oversight/fallback-overseer', { role: 'audit_committee_chair' }).expect(200);
  });

  it('lets the monitoring officer choose only an oversight role or the chair as fallback overseer, never a handler', async () => {
    const { as } = { as: world.as.bind(world) };
    for (const role of ['investigator', 'safeguarding_lead']) {
      const refused = await as('mo').put('/oversight/fallback-overseer', { role }).expect(400);
      expect(refused.body.message).toEqual([
        'role must be one of: monitoring_officer, deputy_monitoring_officer, head_of_paid_service, ' +
          's151_officer, audit_committee_chair (an oversight role or the chair of the audit committee; a ' +
          'handler such as an investigator may not oversee the cases every oversight role is involved in)',
      ]);
    }
    expect((await as('hops').get('/oversight/fallback-overseer').expect(200)).body.role).toBe(
      'audit_committee_chair',
    );
    const cliRefused = cli([
      'tenant:fallback-overseer',
      '--slug',
      world.tenant.slug,
      '--role',
      'investigator',
    ]);
    expect(cliRefused.status).toBe(1);
    expect(cliRefused.stderr).toMatch(/--role must be one of: .*audit_committee_chair \(an oversight role/);
    // A handler role saved before the rule narrowed counts for nothing: the default applies.
    await world.query(
      `UPDATE tenant_oversight_settings SET fallback_overseer_role = 'investigator' WHERE tenant_id = $1`,
      [world.tenant.id],
    );
    expect((await as('hops').get('/oversight/fallback-overseer').expect(200)).body).toMatchObject({
      role: 'audit_committee_chair',
      customised: false,
    });
    await as('mo').put('/oversight/fallback-overseer', { role: 'audit_committee_chair' }).expect(200);
  });

  it('lets the operator set the fallback overseer from the command line, as a change the oversight roles see', async () => {
    const { as } = { as: world.as.bind(world) };
    const slug = world.tenant.slug;
    const bad = cli(['tenant:fallback-overseer', '--slug', slug, '--role', 'administrator']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--role must be one of: monitoring_officer/);
    const set = cli(['tenant:fallback-overseer', '--slug', slug, '--role', 'head_of_paid_service']);
    expect({ status: set.status, stdout: set.stdout }).toEqual({
      status: 0,
      stdout: `tenant ${slug}: the fallback overseer is now the head_of_paid_service role (was audit_committee_chair)\n`,
    });
    const view = await as('hops').get('/oversight/fallback-overseer').expect(200);
    expect(view.body).toMatchObject({ role: 'head_of_paid_service', customised: true });
    const changes = await as('hops').get('/oversight/changes').expect(200);
    expect(changes.body.items[0]).toMatchObject({ setting: 'fallback_overseer', by: 'an operator' });
  });
});
