/**
 * Issue #7: downloading a case's files. A grant holder of the case and of the file's scope gets the
 * decrypted bytes as an attachment under a safe name, audited as a decryption; the reporter gets their
 * own case's report-scope files; everyone else — another reporter, a handler without the case, an
 * administrator, a made-up id — gets the same 404.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

const CONTENT = 'Ledger extract: invoice 1042 paid on 3 and 4 March';

/** supertest buffers text bodies as strings and binary ones not at all: read every body as bytes. */
function bytes(res: request.Test): request.Test {
  return res.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

describe('case file downloads', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let s151: TestUser;
  let investigator: TestUser;
  let admin: TestUser;
  const tokens: Record<string, string> = {};
  let reference: string;
  let reporterToken: string;
  let otherReporterToken: string;
  let fileId: string;
  let storedName: string;

  const server = () => app.getHttpServer();
  const staffGet = (who: string, path: string) =>
    bytes(
      request(server())
        .get(`/api/v1/cases/${path}`)
        .auth(tokens[who] as string, { type: 'bearer' }),
    );
  const reporterGet = (token: string, id: string) =>
    bytes(request(server()).get(`/api/v1/reporter/case/files/${id}`).auth(token, { type: 'bearer' }));
  const query = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params);
    });
  async function submit(withFile: boolean) {
    const submission = {
      category: 'fraud_theft',
      answers: { whatHappened: 'Duplicate invoices', howYouKnow: 'documents', raisedBefore: 'no' },
      altcha: await solvedAltcha(server(), tenant.slug),
    };
    const req = request(server()).post(`/api/v1/tenants/${tenant.slug}/reports`);
    const res = withFile
      ? await req
          .field('submission', JSON.stringify(submission))
          .attach('files', Buffer.from(CONTENT), 'C:\\Users\\jsmith\\Desktop\\Minutes "draft".txt')
          .expect(201)
      : await req.send(submission).expect(201);
    return res.body as { reference: string; receipt: string };
  }

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('files');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    for (const [who, user] of [
      ['s151', s151],
      ['investigator', investigator],
      ['admin', admin],
    ] as const)
      tokens[who] = await signInAs(server(), tenant.slug, user);
    const mine = await submit(true);
    const other = await submit(false);
    reference = mine.reference;
    reporterToken = await signInWithReceipt(server(), tenant.slug, mine.receipt);
    otherReporterToken = await signInWithReceipt(server(), tenant.slug, other.receipt);
    const view = await request(server())
      .get('/api/v1/reporter/case')
      .auth(reporterToken, { type: 'bearer' })
      .expect(200);
    fileId = view.body.attachments[0].id;
    storedName = view.body.attachments[0].name;
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('gives a handler of the case the decrypted file as an attachment under a safe name', async () => {
    // Stored without the path (which named the reporter) or the quotes.
    expect(storedName).not.toMatch(/["\\/]|jsmith/);
    expect(storedName).toContain('Minutes');
    const res = await staffGet('s151', `${reference}/files/${fileId}`).expect(200);
    expect((res.body as Buffer).toString('utf8')).toBe(CONTENT);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const disposition = res.headers['content-disposition'] as string;
    expect(disposition).toBe(`attachment; filename="${storedName}"`);
  });

  it('audits each download as a decryption of that file', async () => {
    const [row] = await query<{ id: string }>(`SELECT id FROM cases WHERE reference = $1`, [reference]);
    const entries = await query<{ actor_type: string; actor_id: string | null; details: unknown }>(
      `SELECT actor_type, actor_id, details FROM audit_entries
       WHERE case_id = $1 AND action = 'case.content_decrypted' AND details->>'purpose' = 'download' ORDER BY seq`,
      [row?.id],
    );
    expect(entries).toEqual([
      {
        actor_type: 'staff',
        actor_id: s151.id,
        details: { scope: 'report', itemId: fileId, purpose: 'download' },
      },
    ]);
    await reporterGet(reporterToken, fileId).expect(200);
    const after = await query<{ actor_type: string; actor_id: string | null; occurred_at: Date }>(
      `SELECT actor_type, actor_id, occurred_at FROM audit_entries
       WHERE case_id = $1 AND action = 'case.content_decrypted' AND details->>'purpose' = 'download' ORDER BY seq`,
      [row?.id],
    );
    const reporterEntry = after[1];
    expect(reporterEntry).toEqual(expect.objectContaining({ actor_type: 'reporter', actor_id: null }));
    // A reporter's actions are recorded to the hour only.
    expect(new Date(reporterEntry?.occurred_at as Date).getUTCMinutes()).toBe(0);
    expect(new Date(reporterEntry?.occurred_at as Date).getUTCSeconds()).toBe(0);
  });

  it("gives the reporter their own case's file, and no one else's", async () => {
    const res = await reporterGet(reporterToken, fileId).expect(200);
    expect((res.body as Buffer).toString('utf8')).toBe(CONTENT);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    const other = await reporterGet(otherReporterToken, fileId).expect(404);
    expect(JSON.parse((other.body as Buffer).toString('utf8'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'There is no file with this id on this case.',
    });
    await reporterGet(reporterToken, 'not-a-uuid').expect(404);
    await reporterGet(reporterToken, '00000000-0000-4000-8000-000000000000').expect(404);
    await bytes(request(server()).get(`/api/v1/reporter/case/files/${fileId}`)).expect(401);
  });

  it('is 404 for staff without the case or the file, never a 403 or a 500', async () => {
    await staffGet('investigator', `${reference}/files/${fileId}`).expect(404);
    await staffGet('admin', `${reference}/files/${fileId}`).expect(404);
    await staffGet('s151', `${reference}/files/not-a-uuid`).expect(404);
    await staffGet('s151', `${reference}/files/00000000-0000-4000-8000-000000000000`).expect(404);
    await staffGet('s151', `NLN-NONE-0000/files/${fileId}`).expect(404);
    // The report item is not a file, even for someone who can read it.
    const [report] = await query<{ id: string }>(
      `SELECT i.id FROM case_items i JOIN cases c ON c.id = i.case_id WHERE c.reference = $1 AND i.kind = 'report'`,
      [reference],
    );
    await staffGet('s151', `${reference}/files/${report?.id}`).expect(404);
  });
});
