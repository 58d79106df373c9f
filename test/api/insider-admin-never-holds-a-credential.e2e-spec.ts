/**
 * Issue #15, paths 1 and 5, scripted as an administrator (or the monitoring officer) would try them: keep
 * the temporary password of an account they made, reset someone's two-factor sign-in and enrol it
 * themselves, or run a recovery and use the new password. Now a handed-over password opens nothing but
 * choosing one's own; enrolment after a reset needs the person's own new password; an account that can
 * hold concerns is never reset while still on a password someone else chose; a recovered password goes to
 * the person by e-mail; and every reset and recovery is shown to the oversight roles and to the person.
 */
import type { INestApplication } from '@nestjs/common';
import { authenticator } from 'otplib';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { bearerApi, signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('an administrator never holds a working credential for an account that can hold concerns', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  let tenant: { id: string; slug: string; escrowRecoveryPassphrase: string };
  let admin: TestUser;
  let mo: TestUser;
  let adminToken: string;
  let moToken: string;
  let reference: string;
  const server = () => app.getHttpServer();
  const as = (token: string) => bearerApi(server(), token);
  const signIn = (email: string, password: string, totp?: string) =>
    request(server()).post(`/api/v1/tenants/${tenant.slug}/sessions`).send({ email, password, totp });

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    process.env.SMTP_URL = smtp.url;
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('insider-credential');
    admin = await fixtures.user(tenant.id, ['administrator']);
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    adminToken = await signInAs(server(), tenant.slug, admin);
    moToken = await signInAs(server(), tenant.slug, mo);
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await fixtures?.close();
    await app?.close();
    await smtp?.close();
  });

  it('lets the temporary password it made open nothing but setting up with the person’s own new password', async () => {
    const created = await as(adminToken)
      .post('/admin/users', { email: 'kept-password@example.org', name: 'Kim Kept', roles: ['investigator'] })
      .expect(201);
    const temporary = created.body.temporaryPassword as string;
    const first = await signIn('kept-password@example.org', temporary).expect(201);
    expect(first.body.scope).toBe('totp_enrolment');
    const token = first.body.token as string;
    await as(token).get('/cases').expect(403);
    const enrolment = await as(token).post('/me/totp').expect(201);
    const refused = await as(token)
      .put('/me/totp', { totp: authenticator.generate(enrolment.body.secret) })
      .expect(400);
    expect(refused.body.message).toBe(
      'newPassword: choose your own password (with currentPassword, the one you signed in with) to set up two-factor sign-in',
    );
    const me = await as(token).get('/me').expect(200);
    expect(me.body).toMatchObject({ sessionScope: 'totp_enrolment', passwordMustChange: true });
    // An administrator cannot reset an account still on the password they handed out, while it can hold concerns.
    const reset = await as(adminToken).post(`/admin/users/${created.body.user.id}/reset-2fa`).expect(409);
    expect(reset.body.message).toMatch(
      /^This account is still on the password it was given and can hold concerns/,
    );
    // The person sets up with their own password: the administrator's no longer works.
    await as(token)
      .put('/me/totp', {
        totp: authenticator.generate(enrolment.body.secret),
        currentPassword: temporary,
        newPassword: 'kims own long passphrase',
      })
      .expect(204);
    await signIn(
      'kept-password@example.org',
      temporary,
      authenticator.generate(enrolment.body.secret),
    ).expect(401);
  });

  it('after a two-factor reset, asks for the person’s own new password, and tells them and the oversight roles', async () => {
    const victim = await fixtures.user(tenant.id, ['investigator']);
    ({ reference } = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id, victim.id],
      report: { whatHappened: 'content the administrator wants' },
    }));
    // Still on the password the operator handed over: no reset into anyone's hands.
    await as(adminToken).post(`/admin/users/${victim.id}/reset-2fa`).expect(409);
    const victimToken = await signInAs(server(), tenant.slug, victim, -1);
    await as(victimToken)
      .put('/me/password', { currentPassword: victim.password, newPassword: 'only the victim knows this' })
      .expect(204);
    const own = { ...victim, password: 'only the victim knows this' };

    await as(adminToken).post(`/admin/users/${victim.id}/reset-2fa`).expect(200);
    // The administrator knows only the old password, which no longer works.
    await signIn(victim.email, victim.password).expect(401);
    // The person: enrolment needs their own new password, and they are told what happened.
    const session = await signIn(own.email, own.password).expect(201);
    expect(session.body.scope).toBe('totp_enrolment');
    const me = await as(session.body.token).get('/me').expect(200);
    expect(me.body.accountNotice).toEqual({
      kind: 'two_factor_reset',
      at: expect.any(String),
      message:
        'Your two-factor sign-in was reset. If you did not ask for this, tell the monitoring officer at once.',
    });
    const mail = smtp.mails.find((m) => m.to.includes(victim.email));
    const text = (mail?.raw ?? '').replace(/=\r?\n/g, ''); // quoted-printable soft line breaks
    expect(text).toContain(
      'If this was not you, or you did not ask for it, tell the monitoring officer at once.',
    );
    expect(text).not.toContain(reference);
    const enrolment = await as(session.body.token).post('/me/totp').expect(201);
    await as(session.body.token)
      .put('/me/totp', { totp: authenticator.generate(enrolment.body.secret) })
      .expect(400);
    await as(session.body.token)
      .put('/me/totp', {
        totp: authenticator.generate(enrolment.body.secret),
        currentPassword: own.password,
        newPassword: 'the victims newer passphrase',
      })
      .expect(204);
    await as(session.body.token).get(`/cases/${reference}`).expect(200);

    const changes = await as(moToken).get('/oversight/changes?limit=20').expect(200);
    expect(changes.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          by: 'Test administrator',
          summary: "reset Test investigator's two-factor sign-in",
          userId: victim.id,
          givesAccessToConcerns: true,
        }),
      ]),
    );
  });

  it('gives a recovered password to the person, not to the monitoring officer who ran the recovery', async () => {
    const forgetful = await fixtures.user(tenant.id, ['investigator']);
    await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id, forgetful.id],
      report: { a: 1 },
    });
    const recovered = await as(moToken)
      .post(`/staff/${forgetful.id}/recovery`, { recoveryPassphrase: tenant.escrowRecoveryPassphrase })
      .expect(201);
    expect(recovered.body).toEqual({ userId: forgetful.id, regranted: 2, lost: 0, delivered: 'e-mail' });
    const mail = smtp.mails.find((m) => m.to.includes(forgetful.email));
    const temporary = /temporary password: (\S+)/.exec(mail?.raw ?? '')?.[1] as string;
    expect(temporary).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/);
    // With the person's own two-factor code, the password opens only choosing their own.
    const token = await signInAs(server(), tenant.slug, { ...forgetful, password: temporary }, 1);
    const me = await as(token).get('/me').expect(200);
    expect(me.body).toMatchObject({ sessionScope: 'password_change', accountNotice: { kind: 'recovered' } });
    const blocked = await as(token).get('/cases').expect(403);
    expect(blocked.body.message).toBe('Choose your own password before you continue.');
    await as(token)
      .put('/me/password', { currentPassword: temporary, newPassword: 'forgetful but mine now' })
      .expect(204);
    await as(token).get('/cases').expect(200);
    await request(server()).delete('/api/v1/me/account-notice').auth(token, { type: 'bearer' }).expect(204);
    expect((await as(token).get('/me').expect(200)).body.accountNotice).toBeNull();

    const changes = await as(moToken).get('/oversight/changes?limit=20').expect(200);
    expect(changes.body.items.map((c: { summary: string }) => c.summary)).toContain(
      "recovered Test investigator's access to their cases",
    );
  });
});
