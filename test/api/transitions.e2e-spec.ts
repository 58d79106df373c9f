/**
 * Issue #7: a case run through every stage by the roles that own each stage, with the data each stage
 * needs (first response, plan, findings per allegation, the overseer's decision with recommendations),
 * the reasons for refusals, the reporter seeing the first response, and the audit trail matching; and
 * the assessment decisions that close a case without investigating it.
 */
import type { INestApplication } from '@nestjs/common';
import { addMonths, toLondonDate } from '@nolan/domain';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('the investigation lifecycle over HTTP', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let investigator: TestUser;
  const tokens: Record<string, string> = {};
  let reference: string;
  let receipt: string;

  const move = (who: string, body: object) =>
    request(app.getHttpServer())
      .post(`/api/v1/cases/${reference}/transitions`)
      .auth(tokens[who]!, { type: 'bearer' })
      .send(body);

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('lifecycle');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Duplicate invoices', howYouKnow: 'documents', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    ({ reference, receipt } = submitted.body);
    tokens.mo = await signInAs(server, tenant.slug, mo);
    tokens.s151 = await signInAs(server, tenant.slug, s151);
    tokens.investigator = await signInAs(server, tenant.slug, investigator);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('runs a case from received to closed and back through reopening, refusing what does not fit', async () => {
    await move('investigator', { to: 'acknowledged' }).expect(404);
    const illegal = await move('s151', { to: 'decision', findings: [] }).expect(409);
    expect(illegal.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'A case can only move to decision from investigation; this case has only been received.',
    });
    await move('s151', { to: 'acknowledged' }).expect(400);
    const firstResponse = {
      proposedHandling: 'Internal audit will review the invoices.',
      whoIsInvolved: 'The monitoring officer and internal audit.',
      estimatedTimescale: 'About six weeks.',
      supportAvailable: 'Protect: 020 3117 2520.',
    };
    const { whoIsInvolved: _left, ...withoutWho } = firstResponse;
    const noWho = await move('s151', { to: 'acknowledged', firstResponse: withoutWho }).expect(400);
    expect(noWho.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [
        'The first response must say who is involved in dealing with the concern (firstResponse.whoIsInvolved).',
      ],
    });

    const today = toLondonDate(new Date());
    const acknowledged = await move('s151', { to: 'acknowledged', firstResponse }).expect(201);
    expect(acknowledged.body).toEqual(
      expect.objectContaining({
        status: 'acknowledged',
        acknowledgedOn: today,
        feedbackDue: addMonths(today, 3),
      }),
    );
    expect(acknowledged.body.allowedTransitions.map((t: { to: string }) => t.to)).toContain('assessment');

    await move('s151', { to: 'assessment' }).expect(201);
    const noPlan = await move('s151', { to: 'investigation', reason: 'Evidence supports it' }).expect(400);
    expect(noPlan.body.message[0]).toMatch(/plan/);
    await move('s151', {
      to: 'investigation',
      reason: 'The invoices suggest duplicate payments.',
      plan: {
        scope: 'Invoices 2025–26',
        allegations: ['Invoices were paid twice', 'The supplier was not on the approved list'],
      },
    }).expect(201);
    const paidTwice = {
      allegation: 'Invoices were paid twice',
      finding: 'substantiated',
      reason: 'Bank records show both payments.',
    };
    const oneMissing = await move('s151', { to: 'decision', findings: [paidTwice] }).expect(400);
    expect(oneMissing.body.message).toEqual([
      'Record a finding for every allegation in the investigation plan: allegation 2 has none (findings).',
    ]);
    const offPlan = await move('s151', {
      to: 'decision',
      findings: [paidTwice, { allegation: 'Something else', finding: 'not_substantiated', reason: 'No.' }],
    }).expect(400);
    expect(offPlan.body.message[0]).toMatch(
      /not in the investigation plan.*\(findings\[1\]\.allegation\)\.$/,
    );
    await move('s151', {
      to: 'decision',
      findings: [
        paidTwice,
        {
          allegation: 'the supplier was not on the approved list ',
          finding: 'not_substantiated',
          reason: 'The supplier was approved in 2024.',
        },
      ],
    }).expect(201);
    const noRecommendation = await move('mo', {
      to: 'closed',
      outcome: 'substantiated',
      reason: 'Found',
    }).expect(400);
    expect(noRecommendation.body.message[0]).toMatch(/recommendation/i);
    // The s151 officer handles fraud cases and holds an oversight role, but the monitoring officer
    // oversees this one: only they decide it.
    const notOverseer = await move('s151', {
      to: 'closed',
      outcome: 'partially_substantiated',
      reason: 'One allegation upheld.',
      recommendations: [{ action: 'Recover the duplicate payment', owner: 'Head of Finance' }],
    }).expect(403);
    expect(notOverseer.body.message).toBe(
      'Only the overseer of this case (the monitoring officer, or whoever oversees it in their place under the conflict routes) can decide the outcome of its investigation.',
    );
    const closed = await move('mo', {
      to: 'closed',
      outcome: 'partially_substantiated',
      reason: 'The first allegation is upheld.',
      recommendations: [{ action: 'Recover the duplicate payment', owner: 'Head of Finance' }],
      noFeedbackReason: 'The reporter has not signed in since the report; this test is not about feedback.',
    }).expect(201);
    expect(closed.body).toEqual(
      expect.objectContaining({ status: 'closed', outcome: 'partially_substantiated', closedOn: today }),
    );

    const notMo = await move('s151', { to: 'reopened', reason: 'New evidence' }).expect(403);
    expect(notMo.body.message).toMatch(/monitoring officer/);
    const reopened = await move('mo', { to: 'reopened', reason: 'New evidence arrived.' }).expect(201);
    // Reopening starts a new 3-month feedback clock from today; feedback given before no longer meets it.
    expect(reopened.body).toEqual(
      expect.objectContaining({ reopenedOn: today, feedbackDue: addMonths(today, 3), feedbackGivenOn: null }),
    );
    const reassessed = await move('mo', { to: 'assessment' }).expect(201);
    expect(reassessed.body).toEqual(
      expect.objectContaining({ status: 'assessment', outcome: null, closedOn: null }),
    );
  });

  it('records every stage in the audit trail in order', async () => {
    const trail = await request(app.getHttpServer())
      .get(`/api/v1/cases/${reference}/audit`)
      .auth(tokens.mo!, { type: 'bearer' })
      .expect(200);
    const moves = trail.body.items
      .filter((e: { action: string }) => e.action === 'case.transitioned')
      .map(
        (e: { details: { from: string; to: string }; actorId: string }) =>
          `${e.details.from}>${e.details.to}`,
      );
    expect(moves).toEqual([
      'received>acknowledged',
      'acknowledged>assessment',
      'assessment>investigation',
      'investigation>decision',
      'decision>closed',
      'closed>reopened',
      'reopened>assessment',
    ]);
  });

  it('sends the first response to the reporter', async () => {
    const server = app.getHttpServer();
    const token = await signInWithReceipt(server, tenant.slug, receipt);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.status).toBe('assessment');
    expect(view.body.messages[0].text).toContain('Internal audit will review the invoices.');
    expect(view.body.messages[0].text).toContain(
      'Who is involved: The monitoring officer and internal audit.',
    );
    expect(view.body.messages[0].from).toBe('handler');
  });

  it('answers any malformed transition with a 4xx, never a 500', async () => {
    for (const body of [
      {},
      { to: 'nowhere' },
      { to: 'closed', outcome: 5 },
      { to: 'closed', outcome: 'withdrawn', reason: ['x'] },
      { to: 'investigation', reason: 'r', plan: 'all of it' },
      { to: 'investigation', reason: 'r', plan: { scope: 's', allegations: 'one' } },
      { to: 'decision', findings: [{ allegation: 1 }] },
      { to: 'acknowledged', firstResponse: null },
      { to: 'closed', outcome: 'referred_to_another_procedure', reason: 'r', procedureReferral: 'HR' },
      {
        to: 'decision',
        findings: [{ allegation: 'x'.repeat(30000), finding: 'substantiated', reason: 'r' }],
      },
    ]) {
      const res = await move('mo', body);
      expect({ body, status: res.status < 500 && res.status >= 400 }).toEqual({ body, status: true });
    }
  });

  it('records the assessment decision to refer a case to another procedure, and tells the reporter in writing', async () => {
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'My manager shouts at me', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const other = (who: string, body: object) =>
      request(server)
        .post(`/api/v1/cases/${submitted.body.reference}/transitions`)
        .auth(tokens[who]!, { type: 'bearer' })
        .send(body);
    await other('investigator', { to: 'acknowledged' }).expect(404);
    await other('mo', {
      to: 'acknowledged',
      firstResponse: {
        proposedHandling: 'We will assess it.',
        whoIsInvolved: 'The monitoring officer.',
        estimatedTimescale: 'Two weeks.',
        supportAvailable: 'Protect.',
      },
    }).expect(201);
    await other('mo', { to: 'assessment' }).expect(201);
    const unnamed = await other('mo', {
      to: 'closed',
      outcome: 'referred_to_another_procedure',
      reason: 'A personal grievance, not a breach of the code.',
    }).expect(400);
    expect(unnamed.body.message[0]).toMatch(
      /^Say which procedure the case was referred to \(procedureReferral\.procedure\): one of grievance, /,
    );
    const referred = await other('mo', {
      to: 'closed',
      outcome: 'referred_to_another_procedure',
      reason: 'A personal grievance, not a breach of the code.',
      procedureReferral: { procedure: 'grievance' },
    }).expect(201);
    expect(referred.body).toEqual(
      expect.objectContaining({ status: 'closed', outcome: 'referred_to_another_procedure' }),
    );
    const token = await signInWithReceipt(server, tenant.slug, submitted.body.receipt);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.messages.map((msg: { text: string }) => msg.text).at(-1)).toBe(
      'We have assessed your concern and referred it to the grievance procedure, which is the right way to deal with it. Your report stays on record and your receipt still works.',
    );
  });

  it('rests findings on the evidence and interview records of the case, and needs the overseer to confirm a knowingly false one', async () => {
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Forged timesheets', howYouKnow: 'told', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const go = (who: string, body: object) =>
      request(server)
        .post(`/api/v1/cases/${submitted.body.reference}/transitions`)
        .auth(tokens[who]!, { type: 'bearer' })
        .send(body);
    await go('s151', {
      to: 'acknowledged',
      firstResponse: {
        proposedHandling: 'Internal audit will look at the timesheets.',
        whoIsInvolved: 'Internal audit.',
        estimatedTimescale: 'A month.',
        supportAvailable: 'Protect.',
      },
    }).expect(201);
    await go('s151', { to: 'assessment' }).expect(201);
    await go('s151', {
      to: 'investigation',
      reason: 'Specific and checkable.',
      plan: {
        scope: 'Timesheets, March.',
        allegations: ['Timesheets were forged'],
        targetDate: '2027-01-31',
      },
    }).expect(201);
    // Evidence and an interview record, recorded during the investigation, which the finding cites.
    const evidence = (body: object) =>
      request(server)
        .post(`/api/v1/cases/${submitted.body.reference}/evidence`)
        .auth(tokens.s151!, { type: 'bearer' })
        .send(body)
        .expect(201);
    const originals = (await evidence({ description: 'Original timesheets, March.', kind: 'document' })).body
      .id;
    const interview = (
      await evidence({ description: 'Interview with the line manager.', kind: 'interview_record' })
    ).body.id;
    const finding = {
      allegation: 'Timesheets were forged',
      finding: 'knowingly_false',
      reason: 'The originals match.',
    };
    const uncited = await go('s151', {
      to: 'decision',
      findings: [{ ...finding, evidence: [originals, '0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a'] }],
    }).expect(400);
    expect(uncited.body.message).toEqual([
      'Finding 1 cites evidence that is not recorded on this case (findings[0].evidence[1]).',
    ]);
    await go('s151', { to: 'decision', findings: [{ ...finding, evidence: [originals, interview] }] }).expect(
      201,
    );
    const unconfirmed = await go('mo', {
      to: 'closed',
      outcome: 'not_substantiated',
      reason: 'The report was made up.',
    }).expect(400);
    expect(unconfirmed.body.message[0]).toMatch(/\(knowinglyFalseConfirmed\)\.$/);
    await go('mo', {
      to: 'closed',
      outcome: 'not_substantiated',
      reason: 'The report was made up; the originals match.',
      knowinglyFalseConfirmed: true,
      noFeedbackReason: 'The reporter has not signed in since the report; this test is not about feedback.',
    }).expect(201);
  });

  it('describes each stage’s body in the OpenAPI document', async () => {
    const spec = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    const path = Object.keys(spec.body.paths).find((p) => p.endsWith('/cases/{reference}/transitions'));
    const schema = spec.body.paths[path!].post.requestBody.content['application/json'].schema;
    expect(schema.oneOf.map((s: { title: string }) => s.title)).toEqual([
      'acknowledged',
      'assessment',
      'investigation',
      'decision',
      'closed',
      'reopened',
    ]);
    expect(schema.oneOf[0].properties.firstResponse.required).toEqual([
      'proposedHandling',
      'whoIsInvolved',
      'estimatedTimescale',
      'supportAvailable',
    ]);
  });
});
