/**
 * Issue #15, path 6, in the portal: the reporter of an oral report (recorded by an officer, who saw the
 * receipt) is invited on their case page to get a new receipt; a plain form post (no JavaScript) shows
 * the new one once, and the officer's copy of the old one stops working.
 */
import request from 'supertest';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';

describe('the reporter gets a new receipt in the portal', () => {
  let stack: PortalStack;
  let fixtures: StaffFixtures;
  let slug: string;
  let staffToken: string;

  beforeAll(async () => {
    stack = await startPortalStack();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('new-receipt');
    slug = tenant.slug;
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    staffToken = await signInAs(stack.api.getHttpServer(), slug, mo);
  });
  afterAll(async () => {
    await fixtures?.close();
    await stack?.close();
  });

  it('invites the reporter of an oral report, shows the new receipt once, and the old one stops working', async () => {
    const api = stack.api.getHttpServer();
    const recorded = await request(api)
      .post('/api/v1/cases')
      .auth(staffToken, { type: 'bearer' })
      .send({
        channel: 'in_person',
        submission: {
          category: 'other',
          answers: { whatHappened: 'Told me in person', howYouKnow: 'saw_it', raisedBefore: 'no' },
        },
      })
      .expect(201);
    const old = recorded.body.receipt as string;
    const signIn = await request(stack.portalUrl)
      .post(`/report/${slug}/sign-in`)
      .type('form')
      .send({ receipt: old, altcha: await solvedAltcha(api, slug, 'reporter-session') })
      .expect(303);
    const cookie = ([] as string[])
      .concat(signIn.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('nolan_reporter='))!
      .split(';')[0]!;
    const page = await request(stack.portalUrl).get(`/report/${slug}/case`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('id="replace-receipt-invitation"');
    expect(page.text).toContain(`action="/report/${slug}/case/receipt"`);
    const csrfCookie = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('nolan_csrf='))!
      .split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];

    const shown = await request(stack.portalUrl)
      .post(`/report/${slug}/case/receipt`)
      .set('Cookie', `${cookie}; ${csrfCookie}`)
      .type('form')
      .send({ _csrf: token })
      .expect(200);
    const words = /id="receipt">([^<]+)</.exec(shown.text)?.[1]?.trim().split(' ') ?? [];
    expect(words).toHaveLength(7);
    expect(words.join('-')).not.toBe(old);
    expect(shown.text).toContain('Your old receipt no longer works');

    const refused = await request(api)
      .post(`/api/v1/tenants/${slug}/reporter-sessions`)
      .send({ receipt: old, altcha: await solvedAltcha(api, slug, 'reporter-session') });
    expect(refused.status).toBe(401);
    await request(api)
      .post(`/api/v1/tenants/${slug}/reporter-sessions`)
      .send({ receipt: words.join('-'), altcha: await solvedAltcha(api, slug, 'reporter-session') })
      .expect(201);
  });
});
