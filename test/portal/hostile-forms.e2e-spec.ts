/**
 * Issue #17, the portal's hostile form posts: more than 200 KB of form data, more than 1,000 fields,
 * charset=utf-16, a garbage gzip encoding, a body type the route does not read, no body at all. Each
 * gets a clear 4xx page, never the portal's 500 page.
 */
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { type PortalStack, startPortalStack } from '../support/portal-stack';
import { StaffFixtures } from '../support/staff-fixtures';

describe('hostile form posts to the portal', () => {
  let stack: PortalStack;
  let tenantSlug: string;

  beforeAll(async () => {
    stack = await startPortalStack();
    tenantSlug = 'demo';
  });
  afterAll(() => stack.close());

  const post = (path: string) => request(stack.portalUrl).post(path);
  const expectPage = (res: request.Response, status: number, words: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toMatch(words);
    expect(res.text).not.toMatch(/problem with the service|at .*\.ts:\d+/);
  };

  it('answers more than 200 KB of form data with a 413 page', async () => {
    const res = await post('/staff/sign-in')
      .type('form')
      .send(`email=${'a'.repeat(300_000)}`);
    expectPage(res, 413, /too large/i);
  });

  it('answers more than 1,000 fields with a 413 page', async () => {
    const res = await post('/staff/sign-in')
      .type('form')
      .send(Array.from({ length: 1200 }, (_, i) => `f${i}=x`).join('&'));
    expectPage(res, 413, /too many fields/i);
  });

  it('answers a form in charset=utf-16 with a 415 page', async () => {
    const res = await post('/staff/sign-in')
      .set('content-type', 'application/x-www-form-urlencoded; charset=utf-16')
      .send(Buffer.from('email=a', 'utf16le'));
    expectPage(res, 415, /character set/i);
  });

  it('answers a garbage gzip body with a 400 page', async () => {
    const res = await post('/staff/sign-in')
      .set('content-type', 'application/x-www-form-urlencoded')
      .set('content-encoding', 'gzip')
      .send(Buffer.from('this is not gzip at all'));
    expectPage(res, 400, /could not be read/i);
    // Real gzip is read.
    const ok = await post('/staff/sign-in')
      .set('content-type', 'application/x-www-form-urlencoded')
      .set('content-encoding', 'gzip')
      .send(gzipSync('email=&password='));
    expect(ok.status).toBeLessThan(500);
  });

  it('answers text, XML and JSON bodies with a 415 page', async () => {
    for (const [type, body] of [
      ['text/plain', 'email=a'],
      ['application/xml', '<a/>'],
      ['application/json', '{"email":"a"}'],
    ]) {
      const res = await post('/staff/sign-in').set('content-type', type).send(body);
      expectPage(res, 415, /problem with your request/i);
    }
  });

  it('answers multipart to a plain form with a 415 page, and still reads the multipart pages', async () => {
    const res = await post('/staff/sign-in').field('email', 'a@example.org').field('password', 'x');
    expectPage(res, 415, /problem with your request/i);
    const answer = await post(`/report/${tenantSlug}/answers/concern`).field('draft', 'x');
    expect(answer.status).toBeLessThan(500);
    expect(answer.status).not.toBe(415);
  });

  // Found by test/fuzz/portal-forms.e2e-spec.ts: Express leaves req.body undefined when nothing was sent.
  it('answers a post with no body at all as a form left blank, never the 500 page', async () => {
    const fixtures = await StaffFixtures.open();
    try {
      const tenant = await fixtures.tenant('no-body');
      await fixtures.user(tenant.id, ['monitoring_officer']);
      expectPage(await post('/staff/sign-in'), 400, /Enter your council’s short name/);
      expectPage(await post('/staff/sign-in/code'), 400, /longer than 5 minutes/);
      expectPage(await post(`/report/${tenant.slug}/sign-in`), 400, /Enter the 7 words of your receipt/);
      for (const path of ['answers/concern', 'answers/files', 'send', 'receipt']) {
        const res = await post(`/report/${tenant.slug}/${path}`);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.text).not.toMatch(/problem with the service|at .*\.ts:\d+/);
      }
    } finally {
      await fixtures.close();
    }
  });
});
