/**
 * Issue #15, path 6: "the officer who records an oral report keeps the reporter's access" through the
 * receipt they handed over. The reporter is invited to replace it (the case says an officer recorded
 * it), replaces it after signing in, and from then on the officer's copy of the old receipt gets the
 * generic 401 while the new receipt, shown once, works.
 */
import type { INestApplication } from '@nestjs/common';
import { receiptWords } from '@nolan/domain';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('insider: the officer who recorded an oral report loses the reporter’s access', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let staffToken: string;

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('oral-receipt');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    staffToken = await signInAs(app.getHttpServer(), tenant.slug, mo);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  const oldReceiptSignIn = async (receipt: string) =>
    request(app.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
      .send({ receipt, altcha: await solvedAltcha(app.getHttpServer(), tenant.slug, 'reporter-session') });

  it('stops the old receipt working the moment the reporter replaces it', async () => {
    const server = app.getHttpServer();
    const recorded = await request(server)
      .post('/api/v1/cases')
      .auth(staffToken, { type: 'bearer' })
      .send({
        channel: 'phone',
        submission: {
          category: 'fraud_theft',
          answers: { whatHappened: 'Told me on the phone', howYouKnow: 'saw_it', raisedBefore: 'no' },
        },
      })
      .expect(201);
    const officersCopy = recorded.body.receipt as string;

    // The reporter signs in with the receipt the officer read out, and is invited to replace it.
    const token = await signInWithReceipt(server, tenant.slug, officersCopy);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.recordedByOfficer).toBe(true);

    const replaced = await request(server)
      .post('/api/v1/reporter/case/receipt')
      .auth(token, { type: 'bearer' })
      .expect(201);
    const fresh = replaced.body.receipt as string;
    expect(receiptWords(fresh)).toHaveLength(7);
    expect(fresh).not.toBe(officersCopy);

    // The officer tries the receipt they kept: the one generic answer for a wrong receipt.
    const refused = await oldReceiptSignIn(officersCopy);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe(
      'We could not find a report for that receipt. Check the 7 words and try again.',
    );

    // The new receipt opens the same case, report and all.
    const again = await signInWithReceipt(server, tenant.slug, fresh);
    const seen = await request(server)
      .get('/api/v1/reporter/case')
      .auth(again, { type: 'bearer' })
      .expect(200);
    expect(seen.body.reference).toBe(recorded.body.reference);
    expect(seen.body.report.answers.whatHappened).toBe('Told me on the phone');
  });

  it('signs out a session the officer opened with the old receipt once the reporter replaces it', async () => {
    const server = app.getHttpServer();
    const recorded = await request(server)
      .post('/api/v1/cases')
      .auth(staffToken, { type: 'bearer' })
      .send({
        channel: 'in_person',
        submission: {
          category: 'fraud_theft',
          answers: { whatHappened: 'Told me at the front desk', howYouKnow: 'saw_it', raisedBefore: 'no' },
        },
      })
      .expect(201);
    const officersCopy = recorded.body.receipt as string;
    // The officer signs in with the receipt before handing it over, and keeps that session open.
    const officersSession = await signInWithReceipt(server, tenant.slug, officersCopy);
    await request(server).get('/api/v1/reporter/case').auth(officersSession, { type: 'bearer' }).expect(200);

    const reporterSession = await signInWithReceipt(server, tenant.slug, officersCopy);
    await request(server)
      .post('/api/v1/reporter/case/receipt')
      .auth(reporterSession, { type: 'bearer' })
      .expect(201);

    // The officer's session is over: reading, writing and replacing the receipt again all get the 401.
    const read = await request(server).get('/api/v1/reporter/case').auth(officersSession, { type: 'bearer' });
    expect(read.status).toBe(401);
    expect(read.body.message).toBe('Your session has ended. Sign in again with your receipt.');
    await request(server)
      .post('/api/v1/reporter/case/messages')
      .auth(officersSession, { type: 'bearer' })
      .field('message', JSON.stringify({ text: 'Please close this.' }))
      .expect(401);
    await request(server)
      .post('/api/v1/reporter/case/receipt')
      .auth(officersSession, { type: 'bearer' })
      .expect(401);
    // The reporter's own session goes on, and a second replacement from it works.
    await request(server).get('/api/v1/reporter/case').auth(reporterSession, { type: 'bearer' }).expect(200);
    await request(server)
      .post('/api/v1/reporter/case/receipt')
      .auth(reporterSession, { type: 'bearer' })
      .expect(201);
    await request(server).get('/api/v1/reporter/case').auth(reporterSession, { type: 'bearer' }).expect(200);
  });

  it('does not invite a reporter who used the web form, and replacing needs a reporter session', async () => {
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Sent on the web', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const token = await signInWithReceipt(server, tenant.slug, submitted.body.receipt);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.recordedByOfficer).toBe(false);
    await request(server).post('/api/v1/reporter/case/receipt').expect(401);
  });
});
