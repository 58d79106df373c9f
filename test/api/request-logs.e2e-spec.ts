import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApiCapturingLogs } from '../support/api-app';
import { beatAsAWorker } from '../support/worker-heartbeat';

describe('request logs', () => {
  let app: INestApplication;
  let lines: string[];
  const marker = 'MARKER-7f3a9c-do-not-log';
  const ip = '203.0.113.77';

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'info';
    ({ app, lines } = await startApiCapturingLogs());
    await beatAsAWorker();
  });
  afterAll(async () => {
    await app.close();
    process.env.LOG_LEVEL = 'silent';
  });

  it('carry method, route template, status, duration and a request id, and nothing about the caller', async () => {
    const server = app.getHttpServer();
    const headers = {
      'x-forwarded-for': ip,
      'x-real-ip': ip,
      'user-agent': `Browser ${marker}`,
      referer: `https://intranet.example/${marker}`,
      cookie: `session=${marker}`,
    };
    await request(server).get(`/health?q=${marker}`).set(headers);
    await request(server).post(`/api/v1/tenants/demo/${marker}`).set(headers).send({ text: marker });
    await request(server)
      .post('/api/v1/x')
      .set(headers)
      .set('content-type', 'application/json')
      .send(`{"${marker}":`);
    await new Promise((r) => setTimeout(r, 100));

    const all = lines.join('\n');
    expect(all).not.toContain(marker);
    expect(all).not.toContain(ip);
    expect(all).not.toContain('127.0.0.1');
    expect(all).not.toMatch(/user-agent|remoteAddress|x-forwarded-for/i);

    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.req);
    const health = requests.find((l) => l.req.route === '/health');
    expect(health).toEqual(
      expect.objectContaining({
        req: { id: expect.any(String), method: 'GET', route: '/health' },
        res: { statusCode: 200 },
        durationMs: expect.any(Number),
      }),
    );
    const unmatched = requests.find((l) => l.req.method === 'POST' && l.res.statusCode === 404);
    // A path no route matched is logged as a template (Nest's catch-all) or "unmatched", never as typed.
    expect(unmatched.req.route).toMatch(/^(unmatched|\/api\/v1\/\{\*path\})$/);
  });
});
