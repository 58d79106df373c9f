import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
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

  /** Sends `requestLine` as it is, on a socket of its own: the status and message the API answered. */
  async function raw(requestLine: string): Promise<string> {
    const server = app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          `${requestLine}\r\nHost: nolan.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        ),
      );
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
    return `${status} ${(JSON.parse(body) as { message: string }).message}`;
  }

  it('write no line for a reporter route reached by an absolute-form target or an escaped slash in the council’s slug', async () => {
    const reporterTargets = [
      // Absolute-form request targets: Express routes them on their path.
      'GET http://nolan.example/api/v1/reporter/case HTTP/1.1',
      'GET HTTP://nolan.example:80/api/v1/tenants/no-such-council/form HTTP/1.1',
      'POST http://nolan.example/api/v1/tenants/no-such-council/reporter-sessions HTTP/1.1',
      // Express matches the slug on the raw path and decodes it after: these reach the reporter routes.
      'GET /api/v1/tenants/no%2Fsuch/form HTTP/1.1',
      'GET http://nolan.example/api/v1/tenants/no%2fsuch/challenge HTTP/1.1',
      'POST /api/v1/tenants/no%2Fsuch%2Fcouncil/reports HTTP/1.1',
    ];
    const answers: string[] = [];
    lines.length = 0;
    for (const target of reporterTargets) answers.push(await raw(target));
    // Each reached its reporter route: the reporter's guard, or the route's look-up of the council.
    const noCouncil = '404 There is no council at this address.';
    expect(answers).toEqual([
      '401 Your session has ended. Sign in again with your receipt.',
      noCouncil,
      noCouncil,
      noCouncil,
      noCouncil,
      noCouncil,
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.map((l) => JSON.parse(l)).filter((l) => l.req)).toEqual([]);

    // A staff route sent the same way is logged as usual, so the capture above did see these requests.
    expect(await raw('GET http://nolan.example/api/v1/me HTTP/1.1')).toMatch(/^401 /);
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.map((l) => JSON.parse(l)).filter((l) => l.req)).toEqual([
      expect.objectContaining({
        req: expect.objectContaining({ method: 'GET' }),
        res: { statusCode: 401 },
      }),
    ]);
  });

  it('write no line for a reporter route whose council slug holds a backslash, raw or escaped', async () => {
    // Express matches an origin-form path raw, so a backslash stays inside the slug and the request still
    // reaches the reporter route (the council look-up answers); Node's URL parser would read it as a slash.
    const reporterTargets = [
      'GET /api/v1/tenants/no\\such/form HTTP/1.1',
      'POST /api/v1/tenants/no\\such/reports HTTP/1.1',
      'POST /api/v1/tenants/no%5Csuch/reporter-sessions HTTP/1.1',
    ];
    const answers: string[] = [];
    lines.length = 0;
    for (const target of reporterTargets) answers.push(await raw(target));
    expect(answers).toEqual(reporterTargets.map(() => '404 There is no council at this address.'));
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.map((l) => JSON.parse(l)).filter((l) => l.req)).toEqual([]);
  });
});
