/**
 * Issue #17, "Hostile input": one test per cause of the 500s a generated-request run found, each now a
 * clear 4xx with a message, before any route's own code (and so before Postgres) sees it.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';

describe('hostile input to the API', () => {
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let adminToken: string;
  let moToken: string;

  beforeAll(async () => {
    api = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('hostile');
    adminToken = await signInAs(
      api.getHttpServer(),
      tenant.slug,
      await fixtures.user(tenant.id, ['administrator']),
    );
    moToken = await signInAs(
      api.getHttpServer(),
      tenant.slug,
      await fixtures.user(tenant.id, ['monitoring_officer']),
    );
  });
  afterAll(async () => {
    await fixtures.close();
    await api.close();
  });

  it('refuses JSON nested 10,000 deep with a 400, even on the unauthenticated sign-in', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const res = await request(api.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/sessions`)
      .set('content-type', 'application/json')
      .send(`{"email":${deep},"password":"x"}`)
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is nested more than 32 levels deep.',
    });
  });

  it('refuses a NUL or a control character in a case reference with a 400 naming it', async () => {
    const server = api.getHttpServer();
    for (const path of [
      '/api/v1/cases/NLN-%00',
      '/api/v1/cases/NLN-%00/timeline',
      '/api/v1/cases/NLN-%0A%0D',
    ]) {
      const res = await request(server).get(path).auth(moToken, { type: 'bearer' }).expect(400);
      expect(res.body.message).toBe('reference in the path must not contain control characters');
    }
    const post = await request(server)
      .post('/api/v1/cases/NLN-%00/notes')
      .auth(moToken, { type: 'bearer' })
      .send({ text: 'x' })
      .expect(400);
    expect(post.body.message).toBe('reference in the path must not contain control characters');
    await request(server).get('/api/v1/cases/%E0%A4%A').auth(moToken, { type: 'bearer' }).expect(400);
    await request(server)
      .get(`/api/v1/cases/${'A'.repeat(300)}`)
      .auth(moToken, { type: 'bearer' })
      .expect(400);
  });

  it('refuses a NUL in a query parameter with a 400 before any query', async () => {
    const res = await request(api.getHttpServer())
      .get('/api/v1/cases?reference=NLN%00')
      .auth(moToken, { type: 'bearer' })
      .expect(400);
    expect(res.body.message).toBe('reference in the query must not contain control characters');
  });

  it('answers a body in a type the route does not read with a 415 naming the types it reads', async () => {
    const server = api.getHttpServer();
    const reporterSessions = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
      .set('content-type', 'text/plain')
      .send('receipt')
      .expect(415);
    expect(reporterSessions.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: "This request's body must be application/json, not text/plain.",
    });
    const cases = await request(server)
      .post('/api/v1/cases')
      .auth(moToken, { type: 'bearer' })
      .set('content-type', 'application/xml')
      .send('<case/>')
      .expect(415);
    expect(cases.body.message).toBe("This request's body must be application/json, not application/xml.");
    // A route that takes files says so.
    const reports = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .set('content-type', 'text/plain')
      .send('hello')
      .expect(415);
    expect(reports.body.message).toBe(
      "This request's body must be application/json or multipart/form-data, not text/plain.",
    );
    // Multipart to a JSON-only route.
    await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/sessions`)
      .field('email', 'a@b.org')
      .expect(415);
  });

  it('refuses a lone surrogate in an e-mail address with a 400 naming the field', async () => {
    const res = await request(api.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/sessions`)
      .set('content-type', 'application/json')
      .send('{"email":"jo\\ud800@example.org","password":"x"}')
      .expect(400);
    expect(res.body.message).toBe('email is not valid Unicode text (it holds a lone surrogate)');
  });

  it('refuses a NUL inside JSON text with a 400 naming the field', async () => {
    const res = await request(api.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/sessions`)
      .set('content-type', 'application/json')
      .send('{"email":"jo@example.org","password":"a\\u0000b"}')
      .expect(400);
    expect(res.body.message).toBe('password must not contain a NUL character');
  });

  it('refuses __proto__ (and constructor, prototype) as a field name in a body, at any depth', async () => {
    const server = api.getHttpServer();
    const top = await request(server)
      .post('/api/v1/admin/users')
      .auth(adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"__proto__":{"admin":true},"email":"a@example.org","name":"A","roles":["investigator"]}')
      .expect(400);
    expect(top.body.message).toBe('__proto__ is not allowed as a field name');
    const nested = await request(server)
      .post('/api/v1/admin/users')
      .auth(adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"email":"a@example.org","name":"A","roles":[{"constructor":{"prototype":1}}]}')
      .expect(400);
    expect(nested.body.message).toBe('roles[0].constructor is not allowed as a field name');
  });

  it('answers a 100,000-element array with one short message, before validating each element', async () => {
    const res = await request(api.getHttpServer())
      .post('/api/v1/admin/users')
      .auth(adminToken, { type: 'bearer' })
      .send({ email: 'a@example.org', name: 'A', roles: Array.from({ length: 100_000 }, (_, i) => `r${i}`) })
      .expect(400);
    expect(res.body.message).toBe('roles has more than 1000 items');
    expect(res.text.length).toBeLessThan(200);
  });

  it('keeps an error body to 20 messages however many fields are wrong', async () => {
    const res = await request(api.getHttpServer())
      .post('/api/v1/admin/users')
      .auth(adminToken, { type: 'bearer' })
      .send(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra${i}`, i])))
      .expect(400);
    expect(res.body.message).toHaveLength(21);
    expect(res.body.message[20]).toMatch(/^…and \d+ more problems$/);
    expect(res.text.length).toBeLessThan(12_000);
  });

  it('answers a 20,000-character URL with a 431 and a JSON body', async () => {
    const { port } = (
      api.getHttpServer().listening ? api.getHttpServer() : api.getHttpServer().listen(0)
    ).address() as AddressInfo;
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: `/api/v1/tenants/${tenant.slug}/form?q=${'a'.repeat(20_000)}` },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toMatch(/application\/json/);
    expect(JSON.parse(answer.body)).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: expect.stringMatching(/too large/),
    });
  });

  // Found by test/fuzz/api-operations.e2e-spec.ts once it also sent requests with no body at all.
  it('answers a request with no body at all with a 400 naming what is missing, never a 500', async () => {
    const res = await request(api.getHttpServer())
      .post('/api/v1/cases')
      .auth(moToken, { type: 'bearer' })
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [
        'channel must be one of: phone, in_person, post, email',
        'submission: the submission must be a JSON object',
      ],
    });
  });
});
