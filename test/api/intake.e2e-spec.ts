/**
 * Issue #5: anonymous intake and follow-up, encrypted at rest, leaving no trace of the reporter.
 */
import { execFileSync } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import sharp from 'sharp';
import request from 'supertest';
import { startApiCapturingLogs } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { redisContents } from '../support/redis-contents';
import { TEST_ENV } from '../support/test-env';

const MARKER = 'ZQX7MARKER';
const CLIENT_IP = '198.51.100.23';

describe('anonymous intake', () => {
  let app: INestApplication;
  let lines: string[];
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let submitted: { reference: string; receipt: string };
  const redis = new Redis(TEST_ENV.REDIS_URL);

  const reportBody = (altcha: string) => ({
    category: 'fraud_theft',
    answers: {
      whatHappened: `What happened ${MARKER}-what`,
      when: `${MARKER}-when`,
      where: `${MARKER}-where`,
      whoIsInvolved: `${MARKER}-who`,
      howYouKnow: 'documents',
      raisedBefore: 'manager',
      raisedBeforeDetails: `${MARKER}-raised`,
      evidence: `${MARKER}-evidence`,
      amountInvolved: `${MARKER}-amount`,
    },
    identity: { name: `${MARKER}-name`, jobTitle: `${MARKER}-job`, contact: `${MARKER}-contact` },
    altcha,
  });

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'info';
    ({ app, lines } = await startApiCapturingLogs());
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('intake');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    await fixtures.user(tenant.id, ['administrator']);
  });
  afterAll(async () => {
    process.env.LOG_LEVEL = 'silent';
    redis.disconnect();
    await fixtures.close();
    await app.close();
  });

  it('describes the form, including the officers the concern may involve', async () => {
    const res = await request(app.getHttpServer()).get(`/api/v1/tenants/${tenant.slug}/form`).expect(200);
    expect(res.body.tenant).toEqual({ slug: tenant.slug, name: 'intake council' });
    expect(res.body.categories.map((c: { id: string }) => c.id)).toContain('fraud_theft');
    expect(res.body.questions.find((q: { id: string }) => q.id === 'whatHappened')).toEqual(
      expect.objectContaining({ required: true }),
    );
    expect(res.body.involves.options.map((o: { value: string }) => o.value)).toEqual([
      'monitoring_officer',
      's151_officer',
    ]);
    expect(res.body.anonymity).toMatch(/You do not have to tell us who you are/);
  });

  it('accepts a report with files, answers with a reference and a receipt, and sets no cookie', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#884422' } })
      .jpeg()
      .withExif({ IFD0: { ImageDescription: `${MARKER}-exif`, Artist: `${MARKER}-artist` } })
      .toBuffer();
    const res = await request(app.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .set('x-forwarded-for', CLIENT_IP)
      .set('user-agent', `Mozilla ${MARKER}-ua`)
      .field('submission', JSON.stringify(reportBody(await solvedAltcha(app.getHttpServer(), tenant.slug))))
      .attach('files', Buffer.from(`ledger ${MARKER}-file-content`), `${MARKER}-ledger März.txt`)
      .attach('files', jpeg, `${MARKER}-photo.jpg`)
      .expect(201);
    expect(res.body).toEqual({
      reference: expect.stringMatching(/^NLN-[A-Z0-9]{4}-[A-Z0-9]{4}$/),
      receipt: expect.stringMatching(/^[a-z]+(?:-[a-z]+){6,}$/),
    });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toMatch(/no-store/);
    submitted = res.body;
  });

  it('routes the fraud report to the s151 officer and the monitoring officer, who read exactly what was sent', async () => {
    const server = app.getHttpServer();
    for (const [user, step] of [
      [s151, 0],
      [mo, 0],
    ] as const) {
      const token = await signInAs(server, tenant.slug, user, step);
      const res = await request(server)
        .get(`/api/v1/cases/${submitted.reference}`)
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(res.body.report.answers.whatHappened).toBe(`What happened ${MARKER}-what`);
      expect(res.body.attachments.map((a: { name: string }) => a.name).sort()).toEqual(
        // A non-ASCII name arrives as UTF-8, as browsers send it, and is kept exactly.
        [`${MARKER}-ledger März.txt`, `${MARKER}-photo.jpg`].sort(),
      );
      expect(res.body.status).toBe('received');
    }
  });

  it('makes each scope’s grants together: one row and key packet per grantee, one encrypted-data packet per scope', async () => {
    // docs/performance.md "One session key per scope". A grant is a PKESK (tag 1) then a SEIPD (tag 18).
    const packets = (bytes: Buffer): { tag: number; bytes: Buffer }[] => {
      const out: { tag: number; bytes: Buffer }[] = [];
      let at = 0;
      while (at < bytes.length) {
        const tag = (bytes[at] as number) & 0x3f;
        const first = bytes[at + 1] as number;
        let length: number;
        let header: number;
        if (first < 192) [length, header] = [first, 2];
        else if (first < 224) [length, header] = [((first - 192) << 8) + (bytes[at + 2] as number) + 192, 3];
        else [length, header] = [bytes.readUInt32BE(at + 2), 6];
        out.push({ tag, bytes: bytes.subarray(at, at + header + length) });
        at += header + length;
      }
      return out;
    };
    const rows: { scope: string; grantee_kind: string; encrypted_scope_key: Buffer }[] =
      await fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
        return m.query(
          `SELECT g.scope, g.grantee_kind, g.encrypted_scope_key FROM case_grants g
           JOIN cases c ON c.id = g.case_id WHERE c.reference = $1`,
          [submitted.reference],
        );
      });
    const sealedByScope = new Map<string, Set<string>>();
    const keyPackets = new Set<string>();
    for (const row of rows) {
      const [keyPacket, sealed, ...rest] = packets(row.encrypted_scope_key);
      expect([keyPacket?.tag, sealed?.tag, rest.length]).toEqual([1, 18, 0]);
      keyPackets.add((keyPacket as { bytes: Buffer }).bytes.toString('base64'));
      const set = sealedByScope.get(row.scope) ?? new Set<string>();
      set.add((sealed as { bytes: Buffer }).bytes.toString('base64'));
      sealedByScope.set(row.scope, set);
    }
    // Every scope granted to the escrow and the routed officers, the report scope to the reporter too.
    expect([...sealedByScope.keys()].sort()).toEqual(['identity', 'internal', 'report']);
    expect(rows.filter((r) => r.scope === 'report').map((r) => r.grantee_kind)).toContain('reporter');
    for (const scope of sealedByScope.keys())
      expect(rows.filter((r) => r.scope === scope).length).toBeGreaterThan(1);
    // One encrypted-data packet per scope, shared by its rows; a key packet of its own for every row.
    for (const sealed of sealedByScope.values()) expect(sealed.size).toBe(1);
    expect(new Set([...sealedByScope.values()].flatMap((s) => [...s])).size).toBe(3);
    expect(keyPackets.size).toBe(rows.length);
  });

  it('leaves no marker in a pg_dump, in Redis or in the logs, and no client IP in the logs', async () => {
    const database = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
    const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', database], {
      encoding: 'latin1',
      maxBuffer: 1 << 30,
    });
    expect(dump).not.toContain(MARKER);
    expect(await redisContents(redis)).not.toContain(MARKER);
    const logs = lines.join('\n');
    expect(logs).not.toContain(MARKER);
    expect(logs).not.toContain(CLIENT_IP);
    expect(logs).not.toContain(submitted.receipt);
  });

  it('lets the reporter sign in with the receipt in any case, spacing or hyphenation, and read back the report', async () => {
    const server = app.getHttpServer();
    const messy = `  ${submitted.receipt.toUpperCase().split('-').join('  -  ')}  `;
    const token = await signInWithReceipt(server, tenant.slug, messy);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body).toEqual(
      expect.objectContaining({
        reference: submitted.reference,
        status: 'received',
        category: 'fraud_theft',
        messages: [],
      }),
    );
    expect(view.body.report.answers).toEqual(reportBody('').answers);
    expect(view.body.attachments).toHaveLength(2);
  });

  it('exchanges messages between the reporter and a handler', async () => {
    const server = app.getHttpServer();
    const reporterToken = await signInWithReceipt(server, tenant.slug, submitted.receipt);
    const moToken = await signInAs(server, tenant.slug, mo, 1);
    await request(server)
      .post(`/api/v1/cases/${submitted.reference}/messages`)
      .auth(moToken, { type: 'bearer' })
      .send({ text: 'Thank you. Can you tell us which invoices?' })
      .expect(201);
    await request(server)
      .post('/api/v1/reporter/case/messages')
      .auth(reporterToken, { type: 'bearer' })
      .field('message', JSON.stringify({ text: 'Invoices 1041 and 1042.' }))
      .attach('files', Buffer.from('invoice list'), 'list.txt')
      .expect(201);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(reporterToken, { type: 'bearer' })
      .expect(200);
    expect(view.body.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([
      ['handler', 'Thank you. Can you tell us which invoices?'],
      ['you', 'Invoices 1041 and 1042.'],
    ]);
    expect(JSON.stringify(view.body.messages)).not.toContain(mo.id);
    const staffView = await request(server)
      .get(`/api/v1/cases/${submitted.reference}`)
      .auth(moToken, { type: 'bearer' })
      .expect(200);
    expect(staffView.body.messages.map((m: { from: string }) => m.from)).toEqual(['staff', 'reporter']);
  });

  it('gives one generic answer to a wrong receipt, and a reporter reaches only their own case', async () => {
    const server = app.getHttpServer();
    const wrong = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
      .send({
        receipt: 'abacus abacus abacus abacus abacus abacus abacus',
        altcha: await solvedAltcha(server, tenant.slug, 'reporter-session'),
      })
      .expect(401);
    const garbage = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reporter-sessions`)
      .send({
        receipt: 'not a receipt at all',
        altcha: await solvedAltcha(server, tenant.slug, 'reporter-session'),
      })
      .expect(401);
    expect(wrong.body).toEqual(garbage.body);
    expect(wrong.body.message).toBe(
      'We could not find a report for that receipt. Check the 7 words and try again.',
    );
    // The reporter session is bound to one case: nothing in the API takes another case's reference.
    await request(server)
      .get(`/api/v1/cases/${submitted.reference}`)
      .auth('x.y', { type: 'bearer' })
      .expect(401);
  });

  it('answers malformed input with a clear 4xx and keeps nothing', async () => {
    const server = app.getHttpServer();
    const url = `/api/v1/tenants/${tenant.slug}/reports`;
    const before = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return (await m.query(`SELECT count(*)::int AS n FROM cases`))[0].n as number;
    });
    const missing = await request(server)
      .post(url)
      .send({ category: 'fraud_theft', answers: {} })
      .expect(400);
    expect(missing.body.message).toEqual(
      expect.arrayContaining([
        'answers.whatHappened is required',
        'answers.howYouKnow is required',
        'answers.raisedBefore is required',
      ]),
    );
    const wrongTypes = await request(server)
      .post(url)
      .send({ category: 42, answers: 'lots', involves: 'everyone' })
      .expect(400);
    expect(wrongTypes.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^category must be one of/),
        'involves must be a list of roles',
      ]),
    );
    await request(server).post(url).set('content-type', 'application/json').send('{"category":').expect(400);
    await request(server)
      .post(url)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ x: 'y'.repeat(2_000_000) }))
      .expect(413);
    await request(server)
      .post(url)
      .field('submission', '{not json')
      .expect(400, { statusCode: 400, error: 'Bad Request', message: ['submission must be JSON'] });
    await request(server)
      .post(url)
      .set('content-type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="submission"\r\n\r\n{"a":1}')
      .expect((res) => expect(res.status).toBeGreaterThanOrEqual(400))
      .expect((res) => expect(res.status).toBeLessThan(500));
    const noProof = await request(server)
      .post(url)
      .send({ ...reportBody(''), altcha: undefined })
      .expect(400);
    expect(JSON.stringify(noProof.body.message)).toMatch(/altcha|waitTicket/);
    const unknownCategory = await request(server)
      .post(url)
      .send({ ...reportBody(await solvedAltcha(server, tenant.slug)), category: 'jaywalking' })
      .expect(400);
    expect(unknownCategory.body.message).toEqual([
      expect.stringMatching(/^category must be one of: fraud_theft, /),
    ]);
    const forged = Buffer.from(
      JSON.stringify({ algorithm: 'SHA-256', challenge: 'x', number: 1, salt: 'y', signature: 'z' }),
    ).toString('base64');
    const wrongPow = await request(server).post(url).send(reportBody(forged)).expect(400);
    expect(JSON.stringify(wrongPow.body.message)).toMatch(/altcha/);
    const solved = await solvedAltcha(server, tenant.slug);
    await request(server)
      .post(url)
      .send({ ...reportBody(solved), category: 'jaywalking' })
      .expect(400);
    await request(server).post(`/api/v1/tenants/nowhere/reports`).send(reportBody('x')).expect(404);
    const after = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return (await m.query(`SELECT count(*)::int AS n FROM cases`))[0].n as number;
    });
    expect(after).toBe(before);
  });

  it('lets the reporter add their identity later, encrypted to the identity scope only', async () => {
    const server = app.getHttpServer();
    const token = await signInWithReceipt(server, tenant.slug, submitted.receipt);
    await request(server)
      .post('/api/v1/reporter/case/identity')
      .auth(token, { type: 'bearer' })
      .send({ shoeSize: '9' })
      .expect(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: ['identity.shoeSize is not a question in this form'],
      });
    await request(server)
      .post('/api/v1/reporter/case/identity')
      .auth(token, { type: 'bearer' })
      .send({ name: `${MARKER}-later-name` })
      .expect(201, { identityGiven: true });
    const scopes = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(
        `SELECT i.scope, count(*)::int AS n FROM case_items i JOIN cases c ON c.id = i.case_id
         WHERE c.reference = $1 AND i.kind = 'identity' GROUP BY i.scope`,
        [submitted.reference],
      );
    });
    expect(scopes).toEqual([{ scope: 'identity', n: 2 }]);
    const database = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
    const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', database], {
      encoding: 'latin1',
      maxBuffer: 1 << 30,
    });
    expect(dump).not.toContain(`${MARKER}-later-name`);
  });

  it('binds a reporter session to its own case: two reports, two receipts, two separate views', async () => {
    const server = app.getHttpServer();
    const other = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'bullying_harassment_coercion',
        answers: { whatHappened: 'A different concern', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const view = async (receipt: string) => {
      const token = await signInWithReceipt(server, tenant.slug, receipt);
      return (await request(server).get('/api/v1/reporter/case').auth(token, { type: 'bearer' }).expect(200))
        .body;
    };
    const mine = await view(submitted.receipt);
    const theirs = await view(other.body.receipt);
    expect(mine.reference).toBe(submitted.reference);
    expect(theirs.reference).toBe(other.body.reference);
    expect(theirs.report.answers.whatHappened).toBe('A different concern');
    expect(JSON.stringify(theirs)).not.toContain(MARKER);
  });

  it('lets a handler record a phone report on a reporter’s behalf, handing over a receipt', async () => {
    const server = app.getHttpServer();
    const token = await signInAs(server, tenant.slug, s151, 1);
    await request(server)
      .post('/api/v1/cases')
      .auth(token, { type: 'bearer' })
      .send({ channel: 'carrier-pigeon', submission: { category: 'fraud_theft', answers: {} } })
      .expect(400)
      .expect((res) =>
        expect(res.body.message).toEqual(
          expect.arrayContaining([
            'channel must be one of: phone, in_person, post, email',
            'submission: answers.whatHappened is required',
          ]),
        ),
      );
    const recorded = await request(server)
      .post('/api/v1/cases')
      .auth(token, { type: 'bearer' })
      .send({
        channel: 'phone',
        submission: {
          category: 'fraud_theft',
          answers: { whatHappened: 'Told by phone', howYouKnow: 'told', raisedBefore: 'no' },
        },
      })
      .expect(201);
    expect(recorded.body.receipt).toMatch(/^[a-z]+(?:-[a-z]+){6,}$/);
    const staffView = await request(server)
      .get(`/api/v1/cases/${recorded.body.reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(staffView.body).toEqual(
      expect.objectContaining({
        channel: 'phone',
        report: { answers: expect.objectContaining({ whatHappened: 'Told by phone' }), involves: [] },
      }),
    );
    const reporterToken = await signInWithReceipt(server, tenant.slug, recorded.body.receipt);
    await request(server).get('/api/v1/reporter/case').auth(reporterToken, { type: 'bearer' }).expect(200);
  });
});
