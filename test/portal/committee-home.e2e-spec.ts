/**
 * The audit committee chair's landing page (issue #19): signing in leads to a read-only page that says
 * what the chair can see and will see, instead of "You cannot use this page"; nobody else gets it.
 */
import request from 'supertest';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { StaffFixtures, totpCode, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(60_000);

describe("the audit committee chair's landing page", () => {
  let stack: PortalStack;
  let fixtures: StaffFixtures;
  let slug: string;
  let chair: TestUser;
  let investigator: TestUser;

  beforeAll(async () => {
    stack = await startPortalStack();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('committee');
    slug = tenant.slug;
    chair = await fixtures.user(tenant.id, ['audit_committee_chair']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
  });
  afterAll(async () => {
    await fixtures?.close();
    await stack?.close();
  });

  /** The portal's two sign-in pages over HTTP; returns the session cookie and where sign-in led. */
  async function signIn(user: TestUser): Promise<{ cookie: string; home: string }> {
    const first = await request(stack.portalUrl)
      .post('/staff/sign-in')
      .type('form')
      .send({ council: slug, email: user.email, password: user.password })
      .expect(201);
    const state = /name="state" value="([^"]+)"/.exec(first.text)?.[1];
    const second = await request(stack.portalUrl)
      .post('/staff/sign-in/code')
      .type('form')
      .send({ state, code: totpCode(user.totpSecret!) })
      .expect(303);
    const cookie = ([] as string[])
      .concat(second.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const start = await request(stack.portalUrl).get('/staff').set('Cookie', cookie).expect(303);
    return { cookie, home: start.headers.location as string };
  }

  it('leads the chair to a page saying what they can see and will see, and reads no case', async () => {
    const { cookie, home } = await signIn(chair);
    expect(home).toBe('/staff/committee');
    const page = await request(stack.portalUrl).get(home).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('Whistleblowing oversight');
    expect(page.text).toContain('You cannot see any report, who raised it or who it is about.');
    expect(page.text).toContain('how many were acknowledged within 7 days');
    expect(page.text).toContain('Small numbers are hidden');
    expect(page.text).not.toContain('You cannot use this page');
    expect(page.text).toContain('href="/staff/committee"');
  });

  it('is not a page for anyone else', async () => {
    const { cookie, home } = await signIn(investigator);
    expect(home).toBe('/staff/cases');
    const page = await request(stack.portalUrl).get('/staff/committee').set('Cookie', cookie).expect(403);
    expect(page.text).toContain('You cannot use this page');
  });
});
