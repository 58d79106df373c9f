/**
 * Issue #7: internal notes and evidence (with attachments) in the `internal` scope. Files are sanitised
 * exactly as a reporter's are (EXIF stripped, types sniffed, refusals before anything is stored), all of
 * it is encrypted, audited with the item it added, and none of it ever reaches the reporter.
 */
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import sharp from 'sharp';
import { startApi } from '../support/api-app';
import { redisContents } from '../support/redis-contents';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const MARKER = 'zq7internalmarker';

describe('internal notes and evidence', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let s151: TestUser;
  let investigator: TestUser;
  let admin: TestUser;
  const tokens: Record<string, string> = {};
  let reference: string;
  let receipt: string;
  let caseId: string;

  const server = () => app.getHttpServer();
  const query = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params);
    });
  const itemCount = async () =>
    Number(
      (await query<{ n: string }>(`SELECT count(*) AS n FROM case_items WHERE case_id = $1`, [caseId]))[0]?.n,
    );
  const evidence = (who: string) =>
    request(server())
      .post(`/api/v1/cases/${reference}/evidence`)
      .auth(tokens[who] as string, { type: 'bearer' });

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('notes');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    tokens.s151 = await signInAs(server(), tenant.slug, s151);
    tokens.investigator = await signInAs(server(), tenant.slug, investigator);
    tokens.admin = await signInAs(server(), tenant.slug, admin);
    const res = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Duplicate invoices', howYouKnow: 'documents', raisedBefore: 'no' },
        altcha: await solvedAltcha(server(), tenant.slug),
      })
      .expect(201);
    ({ reference, receipt } = res.body);
    caseId = (await query<{ id: string }>(`SELECT id FROM cases WHERE reference = $1`, [reference]))[0]
      ?.id as string;
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('adds a note, encrypted to the internal scope and audited with its item', async () => {
    const res = await request(server())
      .post(`/api/v1/cases/${reference}/notes`)
      .auth(tokens.s151 as string, { type: 'bearer' })
      .send({ text: `Spoke to finance ${MARKER}-note` })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(String) });
    const [item] = await query<{ scope: string; kind: string; author_id: string; ciphertext: Buffer }>(
      `SELECT scope, kind, author_id, ciphertext FROM case_items WHERE id = $1`,
      [res.body.id],
    );
    expect(item).toEqual(expect.objectContaining({ scope: 'internal', kind: 'note', author_id: s151.id }));
    expect(item?.ciphertext.toString('latin1')).not.toContain(MARKER);
    const audit = await query<{ actor_id: string; details: unknown }>(
      `SELECT actor_id, details FROM audit_entries WHERE case_id = $1 AND action = 'case.note_added'`,
      [caseId],
    );
    expect(audit).toEqual([{ actor_id: s151.id, details: { itemId: res.body.id } }]);
  });

  it('refuses a blank or malformed note with a 400 naming the field', async () => {
    const note = (body: unknown) =>
      request(server())
        .post(`/api/v1/cases/${reference}/notes`)
        .auth(tokens.s151 as string, { type: 'bearer' })
        .send(body as object);
    expect((await note({ text: '  ' }).expect(400)).body.message).toEqual(['text is required']);
    expect((await note({}).expect(400)).body.message).toEqual(
      expect.arrayContaining([expect.stringMatching(/^text/)]),
    );
    await note({ text: 5 }).expect(400);
    await note({ text: 'x'.repeat(20001) }).expect(400);
  });

  it('adds an interview record with files, stripped of metadata exactly as a reporter’s, for handlers to download', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#224488' } })
      .jpeg()
      .withExif({ IFD0: { ImageDescription: `${MARKER}-exif`, Artist: `${MARKER}-artist` } })
      .toBuffer();
    expect(jpeg.toString('latin1')).toContain(`${MARKER}-exif`);
    const res = await evidence('s151')
      .field('description', `Interview with the finance officer ${MARKER}-description`)
      .field('kind', 'interview_record')
      .attach('files', Buffer.from(`Q&A transcript ${MARKER}-transcript`), `${MARKER}-interview.txt`)
      .attach('files', jpeg, 'Tafel März.jpg')
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: 'interview_record',
      files: [
        {
          id: expect.any(String),
          name: `${MARKER}-interview.txt`,
          mediaType: 'text/plain',
          size: expect.any(Number),
        },
        { id: expect.any(String), name: 'Tafel März.jpg', mediaType: 'image/jpeg', size: expect.any(Number) },
      ],
    });
    const [transcript, photo] = res.body.files as { id: string }[];
    const rows = await query<{ id: string; scope: string; kind: string; ciphertext: Buffer }>(
      `SELECT id, scope, kind, ciphertext FROM case_items WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [[transcript?.id, photo?.id, res.body.id]],
    );
    expect(rows.map((r) => [r.scope, r.kind])).toEqual([
      ['internal', 'attachment'],
      ['internal', 'attachment'],
      ['internal', 'evidence'],
    ]);
    for (const row of rows) expect(row.ciphertext.toString('latin1')).not.toContain(MARKER);

    const download = await request(server())
      .get(`/api/v1/cases/${reference}/files/${photo?.id}`)
      .auth(tokens.s151 as string, { type: 'bearer' })
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    // Non-ASCII names arrive as UTF-8 (as browsers send them) and go back out in both forms.
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Tafel Marz.jpg"; filename*=UTF-8''Tafel%20M%C3%A4rz.jpg`,
    );
    const bytes = download.body as Buffer;
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.toString('latin1')).not.toContain(MARKER);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();

    const audit = await query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_entries WHERE case_id = $1 AND action = 'case.evidence_added'`,
      [caseId],
    );
    expect(audit).toEqual([{ details: { itemId: res.body.id, kind: 'interview_record', files: 2 } }]);
  });

  it('refuses a file type we do not accept, or a kind we do not know, and stores nothing', async () => {
    const before = await itemCount();
    const exe = await evidence('s151')
      .field('description', 'A program')
      .field('kind', 'document')
      .attach('files', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]), 'tool.exe')
      .expect(415);
    expect(exe.body.statusCode).toBe(415);
    expect(typeof exe.body.message).toBe('string');
    const kind = await evidence('s151').field('description', 'x').field('kind', 'rumour').expect(400);
    expect(kind.body.message).toEqual([
      'kind must be one of: document, interview_record, correspondence, other',
    ]);
    const blank = await evidence('s151').send({ description: ' ', kind: 'document' }).expect(400);
    expect(blank.body.message).toEqual(['description is required']);
    expect(await itemCount()).toBe(before);
  });

  it('accepts evidence without files as JSON', async () => {
    const res = await evidence('s151')
      .send({ description: 'Email of 3 March forwarded by the reporter', kind: 'correspondence' })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(String), kind: 'correspondence', files: [] });
  });

  it('is 404 for anyone without the case: another handler, an administrator', async () => {
    for (const who of ['investigator', 'admin']) {
      await request(server())
        .post(`/api/v1/cases/${reference}/notes`)
        .auth(tokens[who] as string, { type: 'bearer' })
        .send({ text: 'x' })
        .expect(404);
      await evidence(who).send({ description: 'x', kind: 'other' }).expect(404);
    }
  });

  it('never reaches the reporter: not in their view, and their download of an evidence file is 404', async () => {
    const token = await signInWithReceipt(server(), tenant.slug, receipt);
    const view = await request(server())
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(view.body)).not.toContain(MARKER);
    const [file] = await query<{ id: string }>(
      `SELECT id FROM case_items WHERE case_id = $1 AND scope = 'internal' AND kind = 'attachment' LIMIT 1`,
      [caseId],
    );
    const refused = await request(server())
      .get(`/api/v1/reporter/case/files/${file?.id}`)
      .auth(token, { type: 'bearer' })
      .expect(404);
    expect(refused.body.message).toBe('There is no file with this id on this case.');
  });

  it('leaves no marker of a note, evidence, a file or feedback in a pg_dump or in Redis', async () => {
    await request(server())
      .post(`/api/v1/cases/${reference}/transitions`)
      .auth(tokens.s151 as string, { type: 'bearer' })
      .send({
        to: 'acknowledged',
        firstResponse: {
          proposedHandling: 'We will look into it.',
          whoIsInvolved: 'Internal audit.',
          estimatedTimescale: 'Six weeks.',
          supportAvailable: 'Protect.',
        },
      })
      .expect(201);
    await request(server())
      .post(`/api/v1/cases/${reference}/feedback`)
      .auth(tokens.s151 as string, { type: 'bearer' })
      .send({ actionTaken: `${MARKER}-action`, reasons: `${MARKER}-reasons` })
      .expect(201);
    const database = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
    const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', database], {
      encoding: 'latin1',
      maxBuffer: 1 << 30,
    });
    expect(dump).toContain(reference);
    expect(dump).not.toContain(MARKER);
    const redis = new Redis(TEST_ENV.REDIS_URL);
    try {
      expect(await redisContents(redis)).not.toContain(MARKER);
    } finally {
      redis.disconnect();
    }
  });
});
