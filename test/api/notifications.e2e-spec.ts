/**
 * Issue #6: handlers are told by e-mail that there is something for them — never what — each exactly
 * once per event even when the job is delivered again; staff messages and reporters trigger nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { MailService, NOTICE_SUBJECT } from '../../apps/api/src/notifications/mail.service';
import { NotificationsService } from '../../apps/api/src/notifications/notifications.service';
import type { CaseEventJob } from '../../apps/api/src/outbox/outbox-relay.service';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('notifications', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  let notifications: NotificationsService;
  let close: () => Promise<void>;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let admin: TestUser;
  let investigator: TestUser;

  const outboxJobs = (event: string): Promise<{ name: string; data: CaseEventJob }[]> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      const rows = await m.query(
        `SELECT id, event, aggregate_id, payload FROM outbox WHERE event = $1 ORDER BY id`,
        [event],
      );
      return rows.map(
        (r: { id: string; event: string; aggregate_id: string; payload: CaseEventJob['payload'] }) => ({
          name: r.event,
          data: { outboxId: String(r.id), tenantId: tenant.id, caseId: r.aggregate_id, payload: r.payload },
        }),
      );
    });

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    process.env.SMTP_URL = smtp.url;
    const moduleRef = await Test.createTestingModule({
      imports: [CoreModule, AuditModule],
      providers: [MailService, NotificationsService],
    }).compile();
    await moduleRef.init();
    notifications = moduleRef.get(NotificationsService);
    close = () => moduleRef.close();
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('notify');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await close();
    await app.close();
    await fixtures.close();
    await smtp.close();
  });

  it('tells each routed handler once, says nothing about the case, and never writes to the reporter', async () => {
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'bribery_corruption',
        answers: { whatHappened: 'Envelope of cash NOTIFYMARKER', howYouKnow: 'saw_it', raisedBefore: 'no' },
        identity: { contact: 'reporter@example.net' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const [job] = await outboxJobs('case.created');
    expect(await notifications.handle(job!.name, job!.data)).toEqual({ sent: 2 });
    expect(await notifications.handle(job!.name, job!.data)).toEqual({ sent: 0 });

    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual([mo.email, s151.email].sort());
    for (const mail of smtp.mails) {
      expect(mail.raw).toContain(`Subject: ${NOTICE_SUBJECT}`);
      expect(mail.raw).toContain('Sign in to see it: http://localhost:3001');
      // The link is to staff sign-in, not to the reporters' start page.
      expect(mail.raw).toContain('Sign in to see it: http://localhost:3001/staff/sign-in');
      for (const secret of [
        'NOTIFYMARKER',
        'Envelope',
        'bribery',
        'Bribery',
        submitted.body.reference,
        'reporter@example.net',
      ]) {
        expect(mail.raw).not.toContain(secret);
      }
    }
    expect(smtp.mails.some((m) => m.to.includes(admin.email))).toBe(false);

    // A handler's message to the reporter e-mails nobody; the reporter's reply tells the handlers.
    const token = await signInAs(server, tenant.slug, mo);
    await request(server)
      .post(`/api/v1/cases/${submitted.body.reference}/messages`)
      .auth(token, { type: 'bearer' })
      .send({ text: 'Thanks' })
      .expect(201);
    const reporterToken = await signInWithReceipt(server, tenant.slug, submitted.body.receipt);
    await request(server)
      .post('/api/v1/reporter/case/messages')
      .auth(reporterToken, { type: 'bearer' })
      .send({ text: 'More detail' })
      .expect(201);
    const messages = await outboxJobs('case.message_added');
    const outcomes = [];
    for (const m of messages) outcomes.push(await notifications.handle(m.name, m.data));
    expect(outcomes).toEqual([{ sent: 0, skipped: 'staff message' }, { sent: 2 }]);
    expect(smtp.mails).toHaveLength(4);
  });

  it('tells only the newcomer of a routing change, once, and records the routing decision once', async () => {
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Fuel cards ROUTEMARKER', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const token = await signInAs(server, tenant.slug, mo, 1);
    await request(server)
      .post(`/api/v1/cases/${submitted.body.reference}/assignment`)
      .auth(token, { type: 'bearer' })
      .send({ assigneeId: investigator.id })
      .expect(200);
    smtp.mails.length = 0;
    const [routed] = await outboxJobs('case.routed');
    expect(routed!.data.payload).toEqual({
      reason: 'assigned',
      assigneeId: investigator.id,
      newGrantees: investigator.id,
    });
    expect(await notifications.handle(routed!.name, routed!.data)).toEqual({ sent: 1 });
    expect(await notifications.handle(routed!.name, routed!.data)).toEqual({ sent: 0 });
    expect(smtp.mails.map((m) => m.to)).toEqual([[investigator.email]]);
    expect(smtp.mails[0]!.raw).not.toContain('ROUTEMARKER');
    expect(smtp.mails[0]!.raw).not.toContain(submitted.body.reference);

    const decisions = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(
        `SELECT details FROM audit_entries WHERE action = 'case.routed' AND details->>'outboxId' = $1`,
        [routed!.data.outboxId],
      );
    });
    expect(decisions).toEqual([
      {
        details: expect.objectContaining({
          event: 'case.routed',
          reason: 'assigned',
          assigneeId: investigator.id,
          recipients: [investigator.id],
        }),
      },
    ]);
  });
});
