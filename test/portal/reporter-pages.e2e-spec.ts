/**
 * The reporter's pages over plain HTTP, for what a browser journey cannot easily show: the sealed draft
 * keeps the answers unreadable and cannot be altered or moved to another council, bad requests get
 * pages rather than errors, the API being away is a 503 page, and after receipt sign-in every form is
 * CSRF-protected.
 */
import { receiptWords } from '@nolan/domain';
import request from 'supertest';
import { startPortal, startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

const draftOf = (html: string): string => {
  const found = /name="draft" value="([^"]+)"/.exec(html)?.[1];
  if (!found) throw new Error('no draft field on the page');
  return found;
};

describe('the reporter pages', () => {
  let stack: PortalStack;
  let fixtures: StaffFixtures;
  let slug: string;
  let otherSlug: string;
  let mo: TestUser;

  beforeAll(async () => {
    stack = await startPortalStack();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('reporter-pages');
    slug = tenant.slug;
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    otherSlug = (await fixtures.tenant('reporter-pages-other')).slug;
  });
  afterAll(async () => {
    await fixtures?.close();
    await stack?.close();
  });

  const portal = () => request(stack.portalUrl);

  /**
   * Posts one answer page as the browser does (multipart, the draft's handle first) and, as the
   * browser does, follows the redirect to the page that comes next.
   */
  const post = (path: string, fields: Record<string, string | string[]>) => {
    const req = portal().post(path).redirects(1);
    for (const [name, value] of Object.entries(fields))
      for (const one of Array.isArray(value) ? value : [value]) req.field(name, one);
    return req;
  };
  /** "Start now": a new draft's first page, at an address of its own. */
  const startDraft = () => portal().get(`/report/${slug}/concern`).redirects(1);

  it('carries the answers from page to page sealed, setting no cookie and putting nothing in a URL', async () => {
    const start = await startDraft().expect(200);
    expect(start.headers['set-cookie']).toBeUndefined();
    const concern = await post(`/report/${slug}/answers/concern`, {
      draft: draftOf(start.text),
      category: 'other',
    }).expect(200);
    expect(concern.text).toContain('What happened?');
    const marker = `MARKER-${Date.now()}`;
    const answered = await post(`/report/${slug}/answers/whatHappened`, {
      draft: draftOf(concern.text),
      whatHappened: `Something wrong ${marker}`,
    }).expect(200);
    expect(answered.headers['set-cookie']).toBeUndefined();
    const sealed = draftOf(answered.text);
    expect(sealed).not.toContain(marker);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(marker);
    // Every form of the journey posts; no answer ever travels in an address.
    expect(answered.text).not.toMatch(/action="[^"]*\?(?!_csrf=)[^"]*"/);
    expect(answered.text).toMatch(/<form method="post"/);
  });

  it('shows the "form expired" page for an altered draft, or one from another council, and never an error', async () => {
    const start = await startDraft().expect(200);
    const draft = draftOf(start.text);
    // One character changed for another (the second to last: the last may carry padding bits only).
    const altered = `${draft.slice(0, -2)}${draft.at(-2) === 'A' ? 'B' : 'A'}${draft.slice(-1)}`;
    expect(altered).not.toBe(draft);
    const refused = await post(`/report/${slug}/answers/concern`, {
      draft: altered,
      category: 'other',
    }).expect(400);
    expect(refused.text).toContain('This form has expired');
    await post(`/report/${otherSlug}/answers/concern`, { draft, category: 'other' }).expect(400);
    await post(`/report/${slug}/answers/concern`, { category: 'other' }).expect(400);
    await post(`/report/${slug}/send`, { draft: 'nonsense' }).expect(400);
    await portal()
      .post(`/report/${slug}/receipt`)
      .type('form')
      .send({ receipt: 'nonsense', writtenDown: 'yes' })
      .expect(400);
  });

  it('answers an unknown council, or a malformed address, with the "page not found" page', async () => {
    for (const path of [
      '/report/no-such-council',
      '/report/no-such-council/concern',
      '/report/NOT%20A%20SLUG/sign-in',
    ]) {
      const res = await portal().get(path).expect(404);
      expect(res.text).toContain('Page not found');
    }
  });

  /** Answers every page of the journey over HTTP, up to the evidence page. */
  async function evidencePage() {
    let page = await startDraft().expect(200);
    const steps: [string, Record<string, string>][] = [
      ['concern', { category: 'other' }],
      ['whatHappened', { whatHappened: 'Something happened' }],
      ['when', {}],
      ['whoIsInvolved', {}],
      ['howYouKnow', { howYouKnow: 'saw_it' }],
      ['raisedBefore', { raisedBefore: 'no' }],
      ['evidence', {}],
      ['relationship', {}],
      ['involves', { involves: 'none' }],
      ['identity', { identityChoice: 'no' }],
    ];
    for (const [key, fields] of steps)
      page = await post(`/report/${slug}/answers/${key}`, { draft: draftOf(page.text), ...fields }).expect(
        200,
      );
    expect(page.text).toContain('Add evidence');
    return page;
  }

  /** The same, then a file on the evidence page, up to check your answers (where "Send report" is). */
  async function sendPage() {
    const evidence = await evidencePage();
    const page = await portal()
      .post(`/report/${slug}/answers/files`)
      .redirects(1)
      .field('draft', draftOf(evidence.text))
      .attach('evidence', Buffer.from('a note\n'), 'note.txt')
      .expect(200);
    expect(page.text).toContain('Check your answers before sending your report');
    return page;
  }

  it('refuses too many files on the evidence page with the answers still in the page', async () => {
    // Without JavaScript the page with "Send report" carries a wait ticket, inside <noscript>.
    expect((await sendPage()).text).toMatch(/<noscript>[\s\S]*name="waitTicket"[\s\S]*<\/noscript>/);
    const page = await evidencePage();
    const req = portal()
      .post(`/report/${slug}/answers/files`)
      .redirects(1)
      .field('draft', draftOf(page.text));
    for (let i = 0; i < 11; i++) req.attach('evidence', Buffer.from(`note ${i}`), `note-${i}.txt`);
    const refused = await req.expect(400);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('Select 10 files or fewer');
    expect(refused.text).toMatch(/^\s*<title>Error: /m);
    expect(draftOf(refused.text)).toBeTruthy();
  });

  it('sends the report anyway when the API refuses the proof of work, after waiting for a fresh wait ticket', async () => {
    const page = await sendPage();
    const started = Date.now();
    const sent = await portal()
      .post(`/report/${slug}/send`)
      .redirects(1)
      .field('draft', draftOf(page.text))
      .field('altcha', Buffer.from('{"forged":true}').toString('base64'))
      .expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(14_000);
    expect(sent.text).toContain('Report sent');
    expect(sent.text).toMatch(/id="receipt">(\S+ ){6}\S+</);
  });

  it('puts the CSRF token on every signed-in form and refuses a reply without it', async () => {
    const altcha = await solvedAltcha(stack.api.getHttpServer(), slug);
    const sent = await request(stack.api.getHttpServer())
      .post(`/api/v1/tenants/${slug}/reports`)
      .send({
        category: 'other',
        answers: { whatHappened: 'Something', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha,
      })
      .expect(201);
    const signIn = await portal()
      .post(`/report/${slug}/sign-in`)
      .type('form')
      .send({
        receipt: sent.body.receipt,
        altcha: await solvedAltcha(stack.api.getHttpServer(), slug, 'reporter-session'),
      })
      .expect(303);
    expect(signIn.headers.location).toBe(`/report/${slug}/case`);
    const session = ([] as string[])
      .concat(signIn.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('nolan_reporter='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    // A session cookie (issue #14): never written to disk, gone with the browser; the API ends the
    // session after 15 idle minutes, and each signed-in page sends the same value again.
    expect(session).not.toMatch(/Max-Age|Expires/i);
    expect(session).not.toContain(receiptWords(sent.body.receipt)[0]);
    const cookie = session.split(';')[0];

    const page = await portal().get(`/report/${slug}/case`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain(sent.body.reference);
    const renewed = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('nolan_reporter='))!;
    expect(renewed.split(';')[0]).toBe(cookie);
    expect(renewed).not.toMatch(/Max-Age|Expires/i);
    const csrfCookie = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('nolan_csrf='))!;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(token).toBeTruthy();
    expect(page.text).toContain(`/report/${slug}/case/messages?_csrf=`);
    const cookies = `${cookie}; ${csrfCookie.split(';')[0]}`;

    const forged = await portal()
      .post(`/report/${slug}/case/messages`)
      .set('Cookie', cookies)
      .field('text', 'forged')
      .expect(403);
    expect(forged.text).toContain('This form has expired');
    await portal()
      .post(`/report/${slug}/case/messages?_csrf=${encodeURIComponent(token!)}`)
      .set('Cookie', cookies)
      .field('text', 'A real reply')
      .expect(303)
      .expect('location', `/report/${slug}/case?sent=1`);
    const after = await portal().get(`/report/${slug}/case?sent=1`).set('Cookie', cookies).expect(200);
    expect(after.text).toContain('A real reply');
    expect(after.text).toContain('Your message has been sent');

    // Another council's pages do not accept this council's session.
    await portal().get(`/report/${otherSlug}/case`).set('Cookie', cookies).expect(303);
    // Signing out ends the session at the API too: the old cookie no longer opens the case.
    await portal()
      .post(`/report/${slug}/sign-out`)
      .set('Cookie', cookies)
      .type('form')
      .send({ _csrf: token })
      .expect(200);
    const ended = await portal().get(`/report/${slug}/case`).set('Cookie', cookies).expect(303);
    expect(ended.headers.location).toBe(`/report/${slug}/sign-in?ended=1`);
  });

  it("shows the status in plain English, the council's feedback and its messages once the case is acknowledged", async () => {
    const api = stack.api.getHttpServer();
    const sent = await request(api)
      .post(`/api/v1/tenants/${slug}/reports`)
      .send({
        category: 'other',
        answers: { whatHappened: 'Something', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(api, slug),
      })
      .expect(201);
    const staff = await signInAs(api, slug, mo);
    await request(api)
      .post(`/api/v1/cases/${sent.body.reference}/transitions`)
      .auth(staff, { type: 'bearer' })
      .send({
        to: 'acknowledged',
        firstResponse: {
          proposedHandling: 'An investigator will look at the rota.',
          whoIsInvolved: 'The monitoring officer.',
          estimatedTimescale: 'About six weeks.',
          supportAvailable: 'Protect: 020 3117 2520.',
        },
      })
      .expect(201);
    await request(api)
      .post(`/api/v1/cases/${sent.body.reference}/feedback`)
      .auth(staff, { type: 'bearer' })
      .send({
        actionTaken: 'We have spoken to the team <b>leader</b>.',
        reasons: 'The rota was changed without notice.',
      })
      .expect(201);

    const signIn = await portal()
      .post(`/report/${slug}/sign-in`)
      .type('form')
      .send({ receipt: sent.body.receipt, altcha: await solvedAltcha(api, slug, 'reporter-session') })
      .expect(303);
    const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? [])[0].split(';')[0];
    const page = await portal().get(`/report/${slug}/case`).set('Cookie', cookie).expect(200);
    expect(page.text).toMatch(/id="status"[^>]*>\s*Acknowledged/);
    expect(page.text).toContain('What the council has told you');
    expect(page.text).toContain('We have spoken to the team &lt;b&gt;leader&lt;/b&gt;.');
    expect(page.text).toContain('The rota was changed without notice.');
    expect(page.text).toContain('An investigator will look at the rota.');
  });

  it('says online reporting is unavailable, with the other routes, when the API cannot be reached', async () => {
    const { portal: orphan, portalUrl } = await startPortal('http://127.0.0.1:9');
    try {
      const res = await request(portalUrl).get(`/report/${slug}/concern`).expect(503);
      expect(res.text).toContain('you cannot raise a concern online at the moment');
      expect(res.text).toContain('external auditor');
    } finally {
      await orphan.close();
    }
  });
});
