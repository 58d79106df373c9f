/**
 * A signature check that passed is remembered in the API process, keyed by exactly what was checked
 * (docs/performance.md "Opening a case"): the statement (which holds the item's id, case, author, time
 * and its ciphertext's hash), the signature and the key. So a row changed in the database after a first
 * read, when its check is remembered, is checked afresh and reads `unverified` (docs/architecture.md
 * "Item signatures"), in the case view and on the timeline; put back as it was, it verifies again.
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { bearerApi, signInAs, StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

interface ViewMessage {
  id: string;
  text: string;
  verification?: string;
}

describe('a case item changed after a first read is checked again', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let owner: Client;
  let reference: string;
  let api: ReturnType<typeof bearerApi>;
  let rows: {
    id: string;
    kind: string;
    author_kind: string;
    author_id: string | null;
    ciphertext: Buffer;
    signature: Buffer;
  }[];

  const view = async () => (await api.get(`/cases/${reference}`).expect(200)).body;
  const timelineStates = async () =>
    (
      (await api.get(`/cases/${reference}/timeline`).expect(200)).body.events as {
        content: { text?: string } | null;
        verification?: string;
      }[]
    )
      .filter((e) => typeof e.content?.text === 'string')
      .map((e) => [e.content?.text, e.verification]);

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('signature-memo');
    const handler = await fixtures.user(tenant.id, ['s151_officer']);
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'fraud_theft',
          answers: {
            whatHappened: 'Invoices paid twice.',
            where: 'Accounts payable',
            howYouKnow: 'documents',
            raisedBefore: 'no',
          },
          altcha: await solvedAltcha(server, tenant.slug),
        }),
      )
      .expect(201);
    reference = submitted.body.reference;
    api = bearerApi(server, await signInAs(server, tenant.slug, handler));
    await api.post(`/cases/${reference}/messages`, { text: 'First, from the handler.' }).expect(201);
    await api.post(`/cases/${reference}/messages`, { text: 'Second, from the handler.' }).expect(201);
    const reporterToken = await signInWithReceipt(server, tenant.slug, submitted.body.receipt);
    await request(server)
      .post('/api/v1/reporter/case/messages')
      .auth(reporterToken, { type: 'bearer' })
      .field('message', JSON.stringify({ text: 'Third, from the reporter.' }))
      .expect(201);
    owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();
    rows = (
      await owner.query(
        `SELECT i.id, i.kind, i.author_kind, i.author_id, i.ciphertext, i.signature
           FROM case_items i JOIN cases c ON c.id = i.case_id
          WHERE c.reference = $1 AND i.scope = 'report' ORDER BY i.created_at, i.seq`,
        [reference],
      )
    ).rows;
  });

  afterAll(async () => {
    await owner?.end();
    await fixtures?.close();
    await app?.close();
  });

  it('marks a re-attributed, re-encrypted or re-signed item unverified after it verified once', async () => {
    // The first read checks every item (and the process remembers the checks that passed); so does the
    // second, whose checks are then answered from memory.
    for (let read = 0; read < 2; read++) {
      const first = await view();
      expect(first.reportVerification).toBe('verified');
      expect((first.messages as ViewMessage[]).map((m) => m.verification)).toEqual([
        'verified',
        'verified',
        'verified',
      ]);
    }
    expect(await timelineStates()).toEqual([
      ['First, from the handler.', 'verified'],
      ['Second, from the handler.', 'verified'],
      ['Third, from the reporter.', 'verified'],
    ]);

    const [report, first, second, third] = rows;
    expect(rows.map((r) => [r.kind, r.author_kind])).toEqual([
      ['report', 'reporter'],
      ['message', 'staff'],
      ['message', 'staff'],
      ['message', 'reporter'],
    ]);
    // As the database's owner: the first message now claims the reporter wrote it, the second carries
    // the third's ciphertext (the reporter's words under the handler's name), and the report carries the
    // third message's signature (the reporter's own key, over another statement).
    await owner.query(`UPDATE case_items SET author_kind = 'reporter', author_id = NULL WHERE id = $1`, [
      first!.id,
    ]);
    await owner.query(`UPDATE case_items SET ciphertext = $2 WHERE id = $1`, [second!.id, third!.ciphertext]);
    await owner.query(`UPDATE case_items SET signature = $2 WHERE id = $1`, [report!.id, third!.signature]);

    const after = await view();
    expect(after.reportVerification).toBe('unverified');
    expect((after.messages as ViewMessage[]).map((m) => [m.text, m.verification])).toEqual([
      ['First, from the handler.', 'unverified'],
      ['Third, from the reporter.', 'unverified'],
      ['Third, from the reporter.', 'verified'],
    ]);
    expect(await timelineStates()).toEqual([
      ['First, from the handler.', 'unverified'],
      ['Third, from the reporter.', 'unverified'],
      ['Third, from the reporter.', 'verified'],
    ]);
    // Asked again, a failed check is made again and fails again: a failure is never remembered as a pass.
    expect((await view()).reportVerification).toBe('unverified');
  });

  it('verifies the items again once they are put back as they were', async () => {
    const [report, first, second] = rows;
    await owner.query(`UPDATE case_items SET author_kind = $2, author_id = $3 WHERE id = $1`, [
      first!.id,
      first!.author_kind,
      first!.author_id,
    ]);
    await owner.query(`UPDATE case_items SET ciphertext = $2 WHERE id = $1`, [
      second!.id,
      second!.ciphertext,
    ]);
    await owner.query(`UPDATE case_items SET signature = $2 WHERE id = $1`, [report!.id, report!.signature]);
    const restored = await view();
    expect(restored.reportVerification).toBe('verified');
    expect((restored.messages as ViewMessage[]).map((m) => [m.text, m.verification])).toEqual([
      ['First, from the handler.', 'verified'],
      ['Second, from the handler.', 'verified'],
      ['Third, from the reporter.', 'verified'],
    ]);
  });
});
