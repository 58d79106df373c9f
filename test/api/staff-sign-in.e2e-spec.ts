import type { INestApplication } from '@nestjs/common';
import { generateStaffKeyPair, unlockPrivateKey } from '@nolan/crypto';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { StaffFixtures, type TestUser, totpCode } from '../support/staff-fixtures';

const WRONG = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'The e-mail address, password or code is not right.',
};

describe('staff sign-in', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;

  const signIn = (body: object, slug = tenant.slug) =>
    request(app.getHttpServer()).post(`/api/v1/tenants/${slug}/sessions`).send(body);

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('signin');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('signs in with e-mail, password and TOTP code, and knows who the user is', async () => {
    const res = await signIn({
      email: mo.email.toUpperCase(),
      password: mo.password,
      totp: totpCode(mo.totpSecret!),
    }).expect(201);
    expect(res.body).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
      scope: 'full',
      expiresInSeconds: 1800,
      user: { id: mo.id, name: 'Test monitoring_officer', email: mo.email, roles: ['monitoring_officer'] },
    });
    const me = await request(app.getHttpServer())
      .get('/api/v1/me')
      .auth(res.body.token, { type: 'bearer' })
      .expect(200);
    expect(me.body).toEqual(
      expect.objectContaining({ id: mo.id, roles: ['monitoring_officer'], totpEnrolled: true }),
    );
  });

  it('gives one generic answer for a wrong password, a wrong code, a missing code or an unknown address', async () => {
    const user = await fixtures.user(tenant.id, ['investigator']);
    await signIn({ email: user.email, password: 'wrong password!', totp: totpCode(user.totpSecret!) }).expect(
      401,
      WRONG,
    );
    await signIn({ email: user.email, password: user.password, totp: '000000' }).expect(401, WRONG);
    await signIn({ email: user.email, password: user.password }).expect(401, WRONG);
    await signIn({ email: 'nobody@example.org', password: user.password, totp: '123456' }).expect(401, WRONG);
  });

  it('refuses a TOTP code that was already used', async () => {
    const user = await fixtures.user(tenant.id, ['investigator']);
    const code = totpCode(user.totpSecret!);
    await signIn({ email: user.email, password: user.password, totp: code }).expect(201);
    await signIn({ email: user.email, password: user.password, totp: code }).expect(401, WRONG);
  });

  it('locks an address out for 15 minutes after 5 failures, even against the right details, and says so', async () => {
    const user = await fixtures.user(tenant.id, ['investigator']);
    for (let i = 0; i < 5; i++)
      await signIn({ email: user.email, password: `wrong-${i}-password` }).expect(401);
    const right = await signIn({
      email: user.email,
      password: user.password,
      totp: totpCode(user.totpSecret!),
    }).expect(429);
    expect(right.body.message).toBe('Too many failed sign-in attempts. Try again in 15 minutes.');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60);
  });

  it('answers 404 for an unknown council and 400 naming each invalid field', async () => {
    await signIn({ email: mo.email, password: mo.password, totp: '123456' }, 'no-such-council').expect(404);
    const res = await signIn({ email: 'not-an-address', totp: '12', extra: 1 }).expect(400);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'property extra should not exist',
        'email must be an e-mail address',
        'totp must be the 6-digit code from your authenticator app',
        'password must be a string',
      ]),
    );
  });

  it('ends the session on sign-out', async () => {
    const user = await fixtures.user(tenant.id, ['investigator']);
    const { body } = await signIn({
      email: user.email,
      password: user.password,
      totp: totpCode(user.totpSecret!),
    }).expect(201);
    const server = app.getHttpServer();
    await request(server).delete('/api/v1/sessions/current').auth(body.token, { type: 'bearer' }).expect(204);
    await request(server)
      .get('/api/v1/me')
      .auth(body.token, { type: 'bearer' })
      .expect(401, { statusCode: 401, error: 'Unauthorized', message: 'Sign in to continue.' });
  });

  it('refuses a forged token for a real session', async () => {
    const user = await fixtures.user(tenant.id, ['investigator']);
    const { body } = await signIn({
      email: user.email,
      password: user.password,
      totp: totpCode(user.totpSecret!),
    }).expect(201);
    const [id] = body.token.split('.');
    await request(app.getHttpServer())
      .get('/api/v1/me')
      .auth(`${id}.${'A'.repeat(43)}`, { type: 'bearer' })
      .expect(401);
  });

  it('lets a user without two-factor do nothing but enrol, then everything', async () => {
    const user = await fixtures.user(tenant.id, ['investigator'], { enrolTotp: false });
    const server = app.getHttpServer();
    const { body } = await signIn({ email: user.email, password: user.password }).expect(201);
    expect(body.scope).toBe('totp_enrolment');
    const auth = { type: 'bearer' as const };
    await request(server)
      .put('/api/v1/me/password')
      .auth(body.token, auth)
      .send({ currentPassword: user.password, newPassword: 'a brand new passphrase' })
      .expect(403, {
        statusCode: 403,
        error: 'Forbidden',
        message: 'Set up two-factor sign-in before you continue.',
      });
    const enrolment = await request(server).post('/api/v1/me/totp').auth(body.token, auth).expect(201);
    expect(enrolment.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Nolan:/);
    await request(server).put('/api/v1/me/totp').auth(body.token, auth).send({ totp: '000000' }).expect(400);
    await request(server)
      .put('/api/v1/me/totp')
      .auth(body.token, auth)
      .send({ totp: totpCode(enrolment.body.secret) })
      .expect(204);
    await request(server)
      .get('/api/v1/me')
      .auth(body.token, auth)
      .expect(200)
      .expect((r) => expect(r.body.sessionScope).toBe('full'));
    await signIn({ email: user.email, password: user.password }).expect(401, WRONG);
    await signIn({
      email: user.email,
      password: user.password,
      totp: totpCode(enrolment.body.secret, 1),
    }).expect(201);
  });

  it('changes the password, re-encrypting the private key, and ends the other sessions', async () => {
    const user = await fixtures.user(tenant.id, ['investigator']);
    const server = app.getHttpServer();
    const first = await signIn({
      email: user.email,
      password: user.password,
      totp: totpCode(user.totpSecret!, -1),
    }).expect(201);
    const second = await signIn({
      email: user.email,
      password: user.password,
      totp: totpCode(user.totpSecret!),
    }).expect(201);
    await request(server)
      .put('/api/v1/me/password')
      .auth(second.body.token, { type: 'bearer' })
      .send({ currentPassword: 'not it at all', newPassword: 'a brand new passphrase' })
      .expect(400);
    await request(server)
      .put('/api/v1/me/password')
      .auth(second.body.token, { type: 'bearer' })
      .send({ currentPassword: user.password, newPassword: 'short' })
      .expect(400)
      .expect((r) => expect(r.body.message).toEqual(['newPassword must be at least 12 characters']));
    await request(server)
      .put('/api/v1/me/password')
      .auth(second.body.token, { type: 'bearer' })
      .send({ currentPassword: user.password, newPassword: 'a brand new passphrase' })
      .expect(204);
    await request(server).get('/api/v1/me').auth(first.body.token, { type: 'bearer' }).expect(401);
    await request(server).get('/api/v1/me').auth(second.body.token, { type: 'bearer' }).expect(200);
    await signIn({ email: user.email, password: user.password, totp: totpCode(user.totpSecret!, 1) }).expect(
      401,
    );
    const { rows } = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return {
        rows: await m.query(`SELECT private_key_encrypted FROM staff_users WHERE id = $1`, [user.id]),
      };
    });
    await expect(unlockPrivateKey(rows[0].private_key_encrypted, user.password)).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await expect(
      unlockPrivateKey(rows[0].private_key_encrypted, 'a brand new passphrase'),
    ).resolves.toBeDefined();
  });

  it('registers the user’s own OpenPGP public key, and refuses anything else', async () => {
    const user = await fixtures.user(tenant.id, ['investigator']);
    const { body } = await signIn({
      email: user.email,
      password: user.password,
      totp: totpCode(user.totpSecret!),
    }).expect(201);
    const own = await generateStaffKeyPair({
      name: 'Own key',
      email: user.email,
      passphrase: 'irrelevant here',
    });
    const server = app.getHttpServer();
    await request(server)
      .put('/api/v1/me/openpgp-key')
      .auth(body.token, { type: 'bearer' })
      .send({ armoredPublicKey: own.publicKey })
      .expect(200, { fingerprint: own.fingerprint });
    await request(server)
      .put('/api/v1/me/openpgp-key')
      .auth(body.token, { type: 'bearer' })
      .send({
        armoredPublicKey: `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${'A'.repeat(200)}\n-----END PGP PUBLIC KEY BLOCK-----`,
      })
      .expect(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: 'armoredPublicKey is not an OpenPGP public key we can use',
      });
    const me = await request(server).get('/api/v1/me').auth(body.token, { type: 'bearer' }).expect(200);
    expect(me.body.externalKeyFingerprint).toBe(own.fingerprint);
  });
});

describe('staff session idle timeout', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  const original = process.env.SESSION_IDLE_MINUTES;

  beforeAll(async () => {
    process.env.SESSION_IDLE_MINUTES = '0.05'; // 3 seconds
    app = await startApi();
    fixtures = await StaffFixtures.open();
  });
  afterAll(async () => {
    process.env.SESSION_IDLE_MINUTES = original;
    await fixtures.close();
    await app.close();
  });

  it('keeps a session alive while it is used and ends it after the idle time', async () => {
    const tenant = await fixtures.tenant('idle');
    const user = await fixtures.user(tenant.id, ['investigator']);
    const server = app.getHttpServer();
    const { body } = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/sessions`)
      .send({ email: user.email, password: user.password, totp: totpCode(user.totpSecret!) })
      .expect(201);
    expect(body.expiresInSeconds).toBe(3);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1500));
      await request(server).get('/api/v1/me').auth(body.token, { type: 'bearer' }).expect(200);
    }
    await new Promise((r) => setTimeout(r, 3500));
    await request(server).get('/api/v1/me').auth(body.token, { type: 'bearer' }).expect(401);
  });
});
