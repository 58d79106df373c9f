/**
 * Issue #7: feedback to the reporter as a recorded event (docs/regulatory.md EU-09). It is refused before
 * acknowledgement and after closure with a reason, read by the reporter apart from the messages, kept
 * encrypted, dated in the case's metadata, audited, written to the outbox — and it meets the 3-month
 * clock: the feedback timers of a case that has had feedback find nothing to do when they fire, while
 * those of a case without feedback still remind and escalate.
 */
import type { INestApplication } from '@nestjs/common';
import { toLondonDate } from '@nolan/domain';
import request from 'supertest';
import type { SlaService, SlaTimer } from '../../apps/api/src/sla/sla.service';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { SetClock, type SlaHarness, startSlaHarness } from '../support/sla-harness';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

const FIRST_RESPONSE = {
  proposedHandling: 'Internal audit will review the invoices.',
  whoIsInvolved: 'Internal audit and the monitoring officer.',
  estimatedTimescale: 'About six weeks.',
  supportAvailable: 'Protect: 020 3117 2520.',
};

describe('feedback to the reporter', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let investigator: TestUser;
  let admin: TestUser;
  const tokens: Record<string, string> = {};
  const today = toLondonDate(new Date());

  const server = () => app.getHttpServer();
  const as = (who: string) => ({ type: 'bearer' as const, token: tokens[who] as string });
  const post = (who: string, path: string, body: object) =>
    request(server()).post(`/api/v1/cases/${path}`).auth(as(who).token, { type: 'bearer' }).send(body);
  const query = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params);
    });

  async function submit(): Promise<{ reference: string; receipt: string }> {
    const res = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Duplicate invoices', howYouKnow: 'documents', raisedBefore: 'no' },
        altcha: await solvedAltcha(server(), tenant.slug),
      })
      .expect(201);
    return res.body;
  }

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('feedback');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    tokens.mo = await signInAs(server(), tenant.slug, mo);
    tokens.s151 = await signInAs(server(), tenant.slug, s151);
    tokens.investigator = await signInAs(server(), tenant.slug, investigator);
    tokens.admin = await signInAs(server(), tenant.slug, admin);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('is refused with a reason before the case is acknowledged, and for bad input names the field', async () => {
    const { reference } = await submit();
    const early = await post('s151', `${reference}/feedback`, {
      actionTaken: 'We are looking into it.',
      reasons: 'The invoices need checking.',
    }).expect(409);
    expect(early.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message:
        'Feedback can only be given once the case has been acknowledged: acknowledge it first (the first response goes with the acknowledgement).',
    });
    const missing = await post('s151', `${reference}/feedback`, { actionTaken: 'x' }).expect(400);
    expect(missing.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^reasons/)]));
    const blank = await post('s151', `${reference}/feedback`, { actionTaken: '   ', reasons: 'r' }).expect(
      400,
    );
    expect(blank.body.message).toEqual(['actionTaken is required']);
    await post('s151', `${reference}/feedback`, { actionTaken: 'a', reasons: 'r', extra: 1 }).expect(400);
    await post('s151', `${reference}/feedback`, { actionTaken: 5, reasons: [] }).expect(400);
  });

  it('records feedback the reporter reads apart from the messages, dated, audited and in the outbox', async () => {
    const { reference, receipt } = await submit();
    await post('s151', `${reference}/transitions`, {
      to: 'acknowledged',
      firstResponse: FIRST_RESPONSE,
    }).expect(201);
    const given = await post('s151', `${reference}/feedback`, {
      actionTaken: 'We found the duplicate payment and are recovering it.',
      reasons: 'Bank records show the invoice was paid twice.',
    }).expect(201);
    expect(given.body).toEqual({
      id: expect.any(String),
      givenOn: today,
      feedbackDue: expect.any(String),
      metDeadline: true,
    });

    const [row] = await query<{ id: string; feedback_given_on: string }>(
      `SELECT id, to_char(feedback_given_on, 'YYYY-MM-DD') AS feedback_given_on FROM cases WHERE reference = $1`,
      [reference],
    );
    expect(row?.feedback_given_on).toBe(today);
    const caseId = row?.id as string;
    const [item] = await query<{ scope: string; kind: string; ciphertext: Buffer }>(
      `SELECT scope, kind, ciphertext FROM case_items WHERE id = $1`,
      [given.body.id],
    );
    expect(item).toEqual(expect.objectContaining({ scope: 'report', kind: 'feedback' }));
    expect(item?.ciphertext.toString('latin1')).not.toContain('duplicate payment');
    const outbox = await query<{ event: string }>(
      `SELECT event FROM outbox WHERE aggregate_id = $1 ORDER BY id`,
      [caseId],
    );
    expect(outbox.map((o) => o.event)).toContain('case.feedback_given');
    const audit = await query<{ actor_id: string; details: Record<string, unknown> }>(
      `SELECT actor_id, details FROM audit_entries WHERE case_id = $1 AND action = 'case.feedback_given'`,
      [caseId],
    );
    expect(audit).toEqual([{ actor_id: s151.id, details: { itemId: given.body.id, givenOn: today } }]);

    // Case lists and pages show it, so a feedback badge can clear.
    const summary = await request(server())
      .get(`/api/v1/cases?q=${reference}`)
      .auth(as('s151').token, { type: 'bearer' })
      .expect(200);
    expect(summary.body.items[0]).toEqual(expect.objectContaining({ reference, feedbackGivenOn: today }));

    const token = await signInWithReceipt(server(), tenant.slug, receipt);
    const view = await request(server())
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.feedback).toEqual([
      {
        givenOn: today,
        actionTaken: 'We found the duplicate payment and are recovering it.',
        reasons: 'Bank records show the invoice was paid twice.',
      },
    ]);
    // The first response is a message; the feedback is not.
    expect(view.body.messages).toHaveLength(1);
    expect(JSON.stringify(view.body.messages)).not.toContain('duplicate payment');
  });

  it('is 404 for anyone without the case, and refused once the case is closed', async () => {
    const { reference } = await submit();
    const body = { actionTaken: 'a', reasons: 'r' };
    await post('investigator', `${reference}/feedback`, body).expect(404);
    await post('admin', `${reference}/feedback`, body).expect(404);
    await post('mo', `NLN-NOPE-0000/feedback`, body).expect(404);
    await post('s151', `${reference}/transitions`, {
      to: 'acknowledged',
      firstResponse: FIRST_RESPONSE,
    }).expect(201);
    await post('s151', `${reference}/transitions`, { to: 'assessment' }).expect(201);
    await post('s151', `${reference}/transitions`, {
      to: 'closed',
      outcome: 'no_further_action',
      reason: 'Already dealt with by audit.',
      noFeedbackReason: 'The reporter has not signed in since the report; this test is not about feedback.',
    }).expect(201);
    const closed = await post('s151', `${reference}/feedback`, body).expect(409);
    expect(closed.body.message).toMatch(/closed/);
  });

  describe('and the 3-month feedback clock', () => {
    let harness: SlaHarness;
    let sla: SlaService;
    let smtp: SlaHarness['smtp'];
    const clock = new SetClock();

    beforeAll(async () => {
      harness = await startSlaHarness(clock);
      ({ sla, smtp } = harness);
    });
    afterAll(() => harness.close());

    async function acknowledgedCase(): Promise<{ reference: string; id: string; timers: SlaTimer[] }> {
      const { reference } = await submit();
      await post('s151', `${reference}/transitions`, {
        to: 'acknowledged',
        firstResponse: FIRST_RESPONSE,
      }).expect(201);
      const [row] = await query<{ id: string }>(`SELECT id FROM cases WHERE reference = $1`, [reference]);
      const id = row?.id as string;
      return { reference, id, timers: await sla.schedule(tenant.id, id) };
    }
    const fireOnItsDay = (timer: SlaTimer) => {
      clock.at = new Date(`${timer.firesOn}T12:00:00Z`);
      return sla.fire(timer);
    };

    it('is met by feedback: its reminder and breach find nothing to do, unlike a case without feedback', async () => {
      const withFeedback = await acknowledgedCase();
      const without = await acknowledgedCase();
      const kinds = (timers: SlaTimer[]) => timers.map((t) => t.kind);
      expect(kinds(withFeedback.timers)).toEqual(['feedback_reminder', 'feedback_breach']);

      await post('s151', `${withFeedback.reference}/feedback`, {
        actionTaken: 'Interim: the investigation is under way.',
        reasons: 'The invoices are being traced.',
      }).expect(201);
      expect(kinds(await sla.schedule(tenant.id, withFeedback.id))).toEqual([]);
      for (const timer of withFeedback.timers)
        expect(await fireOnItsDay(timer)).toEqual({ sent: 0, skipped: 'nothing to do' });
      expect(smtp.mails).toHaveLength(0);

      const [reminder, breach] = without.timers as [SlaTimer, SlaTimer];
      expect((await fireOnItsDay(reminder)).sent).toBeGreaterThan(0);
      expect((await fireOnItsDay(breach)).sent).toBeGreaterThan(0);
      expect(smtp.mails.length).toBeGreaterThan(0);
    });
  });
});
