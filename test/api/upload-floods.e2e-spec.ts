/**
 * Issue #17, "Floods" and the dropped file: the proof of work is checked before any file is read, a
 * body over the allowance is refused unread, the API's memory stays bounded, and a part the parser
 * cannot read is a 400 naming it, never a 201 with the file gone.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';

const MB = 1024 * 1024;
const BOUNDARY = 'nolanflood';

const submission = (altcha?: string) =>
  JSON.stringify({
    category: 'fraud_theft',
    answers: { whatHappened: 'Flood test', howYouKnow: 'saw_it', raisedBefore: 'no' },
    ...(altcha ? { altcha } : {}),
  });

/**
 * Sends a multipart body of `totalBytes` (a submission field, then one file of zeros) as fast as the
 * socket takes it; resolves with the answer and how many bytes had been written when it arrived.
 */
function flood(
  port: number,
  path: string,
  opts: { totalBytes: number; chunked: boolean; submission: string },
): Promise<{ status: number; body: string; writtenWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="submission"\r\n\r\n${opts.submission}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    );
    const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
    if (!opts.chunked) headers['content-length'] = String(opts.totalBytes);
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers });
    let written = 0;
    let answered = false;
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    req.on('response', (res) => {
      answered = true;
      const writtenWhenAnswered = written;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, writtenWhenAnswered }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, writtenWhenAnswered }));
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      let ok = true;
      if (written === 0) {
        ok = req.write(head);
        written += head.length;
      }
      while (ok && !answered && written < opts.totalBytes) {
        ok = req.write(chunk);
        written += chunk.length;
      }
      if (answered || written >= opts.totalBytes) {
        if (!answered) req.end();
        return;
      }
      req.once('drain', pump);
    };
    pump();
  });
}

describe('floods of uploads', () => {
  let api: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let port: number;

  beforeAll(async () => {
    api = await startApi();
    await api.listen(0, '127.0.0.1');
    port = (api.getHttpServer().address() as AddressInfo).port;
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('floods');
    await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    await fixtures.close();
    await api.close();
  });

  it('refuses ten parallel 200 MB bodies without a proof of work before reading them, and memory stays bounded', async () => {
    const path = `/api/v1/tenants/${tenant.slug}/reports`;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        flood(port, path, { totalBytes: 200 * MB, chunked: i % 2 === 1, submission: submission() }),
      ),
    );
    clearInterval(sampler);
    for (const [i, a] of answers.entries()) {
      if (i % 2 === 0) {
        // Declared 200 MB: refused on its headers.
        expect(a.status).toBe(413);
        expect(JSON.parse(a.body).message).toMatch(/larger than 50 MB/);
      } else {
        // Chunked, no length: refused at the first file part, for want of a proof of work.
        expect(a.status).toBe(400);
        expect(JSON.parse(a.body).message).toMatch(/altcha or waitTicket, before the files/);
      }
      // Answered long before the body was sent (the socket buffers hold a few MB at most).
      expect(a.writtenWhenAnswered).toBeLessThan(24 * MB);
    }
    // Ten bodies of 200 MB (2 GB) went by; the API process (this one) grew by far less than one of them.
    expect(peak - before).toBeLessThan(150 * MB);
  }, 60_000);

  it('refuses files sent before the submission field, before reading them', async () => {
    const res = await request(api.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .attach('files', Buffer.from('evidence'), 'a.txt')
      .field('submission', submission(await solvedAltcha(api.getHttpServer(), tenant.slug)))
      .expect(400);
    expect(res.body.message).toMatch(
      /Send the "submission" field, with altcha or waitTicket, before the files/,
    );
  });

  it('refuses a wrong proof of work before reading any file', async () => {
    const res = await request(api.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field('submission', submission('bm90LWEtcHJvb2Y='))
      .attach('files', Buffer.alloc(1024, 0x61), 'a.txt')
      .expect(400);
    expect(res.body.message).toMatch(/^altcha is not an ALTCHA solution/);
  });

  it('accepts a report with a file when the proof comes first, using the proof once', async () => {
    const server = api.getHttpServer();
    const altcha = await solvedAltcha(server, tenant.slug);
    await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field('submission', submission(altcha))
      .attach('files', Buffer.from('the ledger'), 'ledger.txt')
      .expect(201);
    const again = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field('submission', submission(altcha))
      .attach('files', Buffer.from('the ledger'), 'ledger.txt')
      .expect(400);
    expect(again.body.message).toMatch(/already been used/);
  });

  it('checks the proof once for a report with several small files arriving together', async () => {
    const server = api.getHttpServer();
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field('submission', submission(await solvedAltcha(server, tenant.slug)))
      .attach('files', Buffer.from('one'), 'one.txt')
      .attach('files', Buffer.from('two'), 'two.txt')
      .attach('files', Buffer.from('three'), 'three.txt');
    expect(res.status).toBe(201);
  });

  it('refuses a file whose filename carries a bare quote with a 400 naming it, never a 201 without the file', async () => {
    const server = api.getHttpServer();
    const altcha = await solvedAltcha(server, tenant.slug);
    const body =
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="submission"\r\n\r\n${submission(altcha)}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="minutes "final".txt"\r\nContent-Type: text/plain\r\n\r\nthe minutes\r\n` +
      `--${BOUNDARY}--\r\n`;
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(body)
      .expect(400);
    expect(res.body.message).toBe(
      'Part 2 of the upload could not be read, so its file would be lost: Content-Disposition: form-data; name="files"; filename="minutes "final".txt". A quote mark or a line break in a file name does this: rename the file and send it again.',
    );
  });

  it('refuses a file whose filename carries a line break with a 400 naming the part', async () => {
    const server = api.getHttpServer();
    const altcha = await solvedAltcha(server, tenant.slug);
    const body =
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="submission"\r\n\r\n${submission(altcha)}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="minutes\r\nfinal.txt"\r\nContent-Type: text/plain\r\n\r\nthe minutes\r\n` +
      `--${BOUNDARY}--\r\n`;
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(body)
      .expect(400);
    expect(res.body.message).toMatch(
      /^Part 2 of the upload has a header that cannot be read \(Content-Disposition: form-data; name="files"; filename="minutes/,
    );
  });
});
