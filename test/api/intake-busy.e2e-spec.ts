/**
 * Issue #17, floods: an API process handles a bounded number of reports and messages at once
 * (INTAKE_MAX_CONCURRENT); one more is a 503 with Retry-After and a message, never a wait that piles up,
 * and the place comes back when a request ends (docs/abuse-resistance.md "Floods of uploads (issue #17)").
 */
import type { INestApplication } from '@nestjs/common';
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';

const report = (altcha: string) => ({
  category: 'fraud_theft',
  answers: { whatHappened: 'Busy intake', howYouKnow: 'saw_it', raisedBefore: 'no' },
  altcha,
});

describe('intake beyond its concurrency bound', () => {
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let slug: string;
  const original = process.env.INTAKE_MAX_CONCURRENT;

  beforeAll(async () => {
    process.env.INTAKE_MAX_CONCURRENT = '1';
    try {
      api = await startApi();
    } finally {
      if (original === undefined) delete process.env.INTAKE_MAX_CONCURRENT;
      else process.env.INTAKE_MAX_CONCURRENT = original;
    }
    await api.listen(0, '127.0.0.1');
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('busy');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    slug = tenant.slug;
  });
  afterAll(async () => {
    await fixtures.close();
    await api.close();
  });

  it('answers a report beyond the bound with a 503 and Retry-After while another is being read, and takes it once that one ends', async () => {
    const server = api.getHttpServer();
    const { port } = server.address() as AddressInfo;
    // A multipart report whose body is still arriving: it holds the one place.
    const slow: ClientRequest = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/v1/tenants/${slug}/reports`,
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '100000' },
    });
    const ended = new Promise<void>((resolve) => {
      slow.on('error', () => resolve());
      slow.on('close', () => resolve());
    });
    slow.write('--x\r\nContent-Disposition: form-data; name="submission"\r\n\r\n{');
    // Until the slow request has taken its place, a second report would be read as usual.
    const deadline = Date.now() + 10_000;
    let busy: request.Response | undefined;
    while (Date.now() < deadline) {
      const res = await request(server).post(`/api/v1/tenants/${slug}/reports`).send(report('not-solved'));
      if (res.status === 503) {
        busy = res;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(busy?.headers['retry-after']).toBe('5');
    expect(busy?.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message:
        'Nolan is receiving a lot of reports and messages right now. Try again in 5 seconds; nothing has been sent.',
    });

    slow.destroy();
    await ended;
    const altcha = await solvedAltcha(server, slug);
    let accepted: request.Response | undefined;
    while (Date.now() < deadline + 10_000) {
      accepted = await request(server).post(`/api/v1/tenants/${slug}/reports`).send(report(altcha));
      if (accepted.status !== 503) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect({ status: accepted?.status, body: accepted?.body }).toEqual({
      status: 201,
      body: expect.anything(),
    });
  });

  it('gives the place back when a sender hangs up, however early, so hung-up uploads never close intake', async () => {
    const server = api.getHttpServer();
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < 20; i++) {
      const hungUp = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/tenants/${slug}/reports`,
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '100000' },
      });
      const closed = new Promise<void>((resolve) => hungUp.on('close', () => resolve()));
      hungUp.on('error', () => undefined);
      hungUp.write('--x\r\nContent-Disposition: form-data; name="submission"\r\n\r\n{', () =>
        hungUp.destroy(),
      );
      await closed;
    }
    const altcha = await solvedAltcha(server, slug);
    const deadline = Date.now() + 10_000;
    let res = await request(server).post(`/api/v1/tenants/${slug}/reports`).send(report(altcha));
    while (res.status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      res = await request(server).post(`/api/v1/tenants/${slug}/reports`).send(report(altcha));
    }
    expect({ status: res.status, body: res.body }).toEqual({ status: 201, body: expect.anything() });
  });
});
