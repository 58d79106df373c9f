import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';

describe('the HTTP surface', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApi();
  });
  afterAll(() => app.close());

  it('serves the OpenAPI description at /api/docs', async () => {
    await request(app.getHttpServer()).get('/api/docs').expect(200).expect('content-type', /html/);
    const spec = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toContain('/health');
  });

  it('answers an unknown path with a JSON 404 in the documented shape', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/no-such-thing').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/v1/no-such-thing',
    });
  });

  it('answers malformed JSON with a 400 and a message, never a stack trace', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/tenants/demo/reports')
      .set('content-type', 'application/json')
      .send('{"what": ')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON.',
    });
  });

  it('answers an oversized body with a 413', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/tenants/demo/reports')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'The request body is too large.',
    });
  });

  it('sends no-store, no-referrer and no x-powered-by on every answer', async () => {
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.headers['cache-control']).toMatch(/no-store/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
