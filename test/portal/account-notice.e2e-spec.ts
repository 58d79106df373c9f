/**
 * Issue #15: what was done to an account behind the person's back (a two-factor reset, a recovery) is put in
 * front of them when they next sign in to the portal, before anything else, until they say they have read it.
 */
import request from 'supertest';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { StaffFixtures, totpCode, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(60_000);

describe('the notice of a reset or recovery, at the next sign-in', () => {
  let stack: PortalStack;
  let fixtures: StaffFixtures;
  let slug: string;
  let tenantId: string;
  let investigator: TestUser;

  beforeAll(async () => {
    stack = await startPortalStack();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('account-notice');
    ({ slug, id: tenantId } = tenant);
    investigator = await fixtures.user(tenant.id, ['investigator']);
  });
  afterAll(async () => {
    await fixtures?.close();
    await stack?.close();
  });

  /** The portal's two sign-in pages over HTTP, as a browser that keeps its cookies. */
  async function signIn(user: TestUser) {
    const browser = request.agent(stack.portalUrl);
    const first = await browser
      .post('/staff/sign-in')
      .type('form')
      .send({ council: slug, email: user.email, password: user.password })
      .expect(201);
    const state = /name="state" value="([^"]+)"/.exec(first.text)?.[1];
    await browser
      .post('/staff/sign-in/code')
      .type('form')
      .send({ state, code: totpCode(user.totpSecret!) })
      .expect(303);
    return browser;
  }

  it('shows the person that their account was recovered, and whom to tell, until they have read it', async () => {
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      await m.query(
        `UPDATE staff_users SET account_notice = 'recovered', account_notice_at = now() WHERE id = $1`,
        [investigator.id],
      );
    });
    const browser = await signIn(investigator);
    const start = await browser.get('/staff').expect(303);
    expect(start.headers.location).toBe('/staff/account-notice');
    const page = await browser.get('/staff/account-notice').expect(200);
    expect(page.text).toContain(
      'Your account was recovered with a new password sent to you by e-mail. If you did not ask for this, tell the monitoring officer at once.',
    );
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    await browser
      .post('/staff/account-notice')
      .type('form')
      .send({ _csrf: csrf })
      .expect(303)
      .expect('Location', '/staff');
    const after = await browser.get('/staff').expect(303);
    expect(after.headers.location).toBe('/staff/cases');
  });

  it('asks someone signing in with a handed-over password to choose their own before anything else', async () => {
    const recovered = await fixtures.user(tenantId, ['investigator']);
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      await m.query(`UPDATE staff_users SET password_must_change = true WHERE id = $1`, [recovered.id]);
    });
    const browser = await signIn(recovered);
    expect((await browser.get('/staff').expect(303)).headers.location).toBe('/staff/two-factor');
    await browser.get('/staff/cases').expect(303);
    const page = await browser.get('/staff/two-factor').expect(200);
    expect(page.text).toContain('Choose your own password');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    const mismatch = await browser
      .post('/staff/new-password')
      .type('form')
      .send({
        _csrf: csrf,
        currentPassword: recovered.password,
        newPassword: 'a new passphrase of mine',
        confirmPassword: 'something else',
      })
      .expect(400);
    expect(mismatch.text).toContain('The passwords do not match');
    await browser
      .post('/staff/new-password')
      .type('form')
      .send({
        _csrf: csrf,
        currentPassword: recovered.password,
        newPassword: 'a new passphrase of mine',
        confirmPassword: 'a new passphrase of mine',
      })
      .expect(303)
      .expect('Location', '/staff');
    expect((await browser.get('/staff').expect(303)).headers.location).toBe('/staff/cases');
  });
});
