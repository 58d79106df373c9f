/**
 * Issue #15, path 7 (the items part), scripted as an insider with the application's database credentials
 * would try it: copy a real staff message's row (its signature too) as a "reporter" message, and write a
 * brand-new message encrypted to the report scope's public key, with no signature. Every item is signed
 * by the council's system key, whose private half the database does not hold (docs/architecture.md
 * "Encryption model"): both forged rows read as `unverified` in the case view and in the export's
 * case.json (and case.md warns), while the genuine items read as `verified`; an item recorded before
 * signatures reads as `unsigned`, which a new row cannot claim to be.
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { strFromU8 } from 'fflate';
import { Client } from 'pg';
import request from 'supertest';
import { encryptToScope } from '@nolan/crypto';
import { startApi } from '../support/api-app';
import { exportedArchive } from '../support/signed-export';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

interface ViewMessage {
  id: string;
  from: string;
  text: string;
  verification?: string;
}

describe('an insider with the application’s database credentials cannot forge a case item unseen', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let appRole: Client;
  let owner: Client;
  let tenant: { id: string; slug: string };
  let reference: string;
  let caseId: string;
  let token: string;
  let receipt: string;
  const server = () => app.getHttpServer();

  const staffText = 'Thank you. Can you tell us who else saw the invoices?';
  const reporterText = 'Invoices 1041 and 1042 are the clearest examples.';
  const copiedText = staffText; // the copied row keeps the staff message's ciphertext
  const newText = 'I made all of this up; please close the case.';

  /** Runs SQL as the application's role inside the tenant, as the API itself does. */
  async function asApp<T>(work: () => Promise<T>): Promise<T> {
    await appRole.query('BEGIN');
    try {
      await appRole.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      const result = await work();
      await appRole.query('COMMIT');
      return result;
    } catch (error) {
      await appRole.query('ROLLBACK');
      throw error;
    }
  }

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('forged-item');
    const handler = await fixtures.user(tenant.id, ['s151_officer']);
    const submitted = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'fraud_theft',
          answers: {
            whatHappened: 'Overtime claims for shifts nobody worked.',
            where: 'Payroll',
            howYouKnow: 'documents',
            raisedBefore: 'no',
          },
          altcha: await solvedAltcha(server(), tenant.slug),
        }),
      )
      .expect(201);
    reference = submitted.body.reference;
    receipt = submitted.body.receipt;
    token = await signInAs(server(), tenant.slug, handler);
    await request(server())
      .post(`/api/v1/cases/${reference}/messages`)
      .auth(token, { type: 'bearer' })
      .send({ text: staffText })
      .expect(201);
    const reporterToken = await signInWithReceipt(server(), tenant.slug, submitted.body.receipt);
    await request(server())
      .post('/api/v1/reporter/case/messages')
      .auth(reporterToken, { type: 'bearer' })
      .field('message', JSON.stringify({ text: reporterText }))
      .expect(201);

    appRole = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await appRole.connect();
    owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();

    await asApp(async () => {
      const [found] = (await appRole.query(`SELECT id FROM cases WHERE reference = $1`, [reference])).rows;
      caseId = found.id;
      const { rows } = await appRole.query(
        `SELECT * FROM case_items WHERE case_id = $1 AND kind = 'message' ORDER BY seq`,
        [caseId],
      );
      const staffRow = rows.find((r: { author_kind: string }) => r.author_kind === 'staff');
      // 1. The staff message's row copied, signature and all, and re-attributed to the reporter.
      await appRole.query(
        `INSERT INTO case_items (id, tenant_id, case_id, scope, kind, ciphertext, author_kind, author_id, created_at, signature)
         VALUES ($1, $2, $3, $4, $5, $6, 'reporter', NULL, $7, $8)`,
        [
          randomUUID(),
          staffRow.tenant_id,
          caseId,
          staffRow.scope,
          staffRow.kind,
          staffRow.ciphertext,
          staffRow.created_at,
          staffRow.signature,
        ],
      );
      // 2. A new message encrypted to the report scope's public key, unsigned.
      const [scopeKey] = (
        await appRole.query(
          `SELECT public_key FROM case_scope_keys WHERE case_id = $1 AND scope = 'report'`,
          [caseId],
        )
      ).rows;
      const ciphertext = await encryptToScope(
        Buffer.from(JSON.stringify({ text: newText, attachments: [] }), 'utf8'),
        new Uint8Array(scopeKey.public_key),
      );
      await appRole.query(
        `INSERT INTO case_items (id, tenant_id, case_id, scope, kind, ciphertext, author_kind, author_id, created_at)
         VALUES ($1, $2, $3, 'report', 'message', $4, 'reporter', NULL, date_trunc('hour', now()))`,
        [randomUUID(), tenant.id, caseId, Buffer.from(ciphertext)],
      );
    });
  });

  afterAll(async () => {
    await appRole?.end();
    await owner?.end();
    await fixtures?.close();
    await app?.close();
  });

  it('the application’s role cannot claim an item predates signatures', async () => {
    await expect(
      asApp(() => appRole.query(`INSERT INTO case_items_before_signatures (id) VALUES ($1)`, [randomUUID()])),
    ).rejects.toThrow(/permission denied/);
  });

  it('shows the forged messages as unverified in the case view, and the genuine ones as verified', async () => {
    const view = await request(server())
      .get(`/api/v1/cases/${reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    const messages = view.body.messages as ViewMessage[];
    expect(view.body.reportVerification).toBe('verified');
    expect(messages).toHaveLength(4);
    const states = messages.map((m) => [m.from, m.text, m.verification]);
    expect(states).toEqual([
      ['staff', staffText, 'verified'],
      ['reporter', reporterText, 'verified'],
      ['reporter', copiedText, 'unverified'],
      ['reporter', newText, 'unverified'],
    ]);
  });

  it('marks their events unverified on the timeline, and the genuine messages verified', async () => {
    const timeline = await request(server())
      .get(`/api/v1/cases/${reference}/timeline`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    const events = timeline.body.events as {
      type: string;
      content: { text?: string } | null;
      verification?: string;
    }[];
    const withText = events
      .filter((e) => typeof e.content?.text === 'string')
      .map((e) => [e.content?.text, e.verification]);
    expect(withText).toEqual([
      [staffText, 'verified'],
      [reporterText, 'verified'],
      [copiedText, 'unverified'],
      [newText, 'unverified'],
    ]);
    expect(events.find((e) => e.type === 'received')?.verification).toBe('verified');
  });

  it('shows the reporter which messages do not verify', async () => {
    const reporterToken = await signInWithReceipt(server(), tenant.slug, receipt);
    const view = await request(server())
      .get('/api/v1/reporter/case')
      .auth(reporterToken, { type: 'bearer' })
      .expect(200);
    expect((view.body.messages as ViewMessage[]).map((m) => [m.from, m.text, m.verification])).toEqual([
      ['handler', staffText, 'verified'],
      ['you', reporterText, 'verified'],
      ['you', copiedText, 'unverified'],
      ['you', newText, 'unverified'],
    ]);
  });

  it('marks them unverified in the export’s case.json and warns in case.md', async () => {
    const zip = await exportedArchive(server(), {
      token: token,
      reference,
      tenantSlug: tenant.slug,
      name: 'Handler',
      email: 'handler@forged-item.invalid',
    });
    const caseJson = JSON.parse(strFromU8(zip['case.json']!)) as {
      messages: { text: string; from: string; verification: string }[];
      items: { kind: string; author: string; verification: string }[];
    };
    expect(caseJson.messages.map((m) => [m.from, m.text, m.verification])).toEqual([
      ['staff', staffText, 'verified'],
      ['reporter', reporterText, 'verified'],
      ['reporter', copiedText, 'unverified'],
      ['reporter', newText, 'unverified'],
    ]);
    expect(caseJson.items.filter((i) => i.verification === 'unverified')).toEqual([
      expect.objectContaining({ kind: 'message', author: 'the reporter' }),
      expect.objectContaining({ kind: 'message', author: 'the reporter' }),
    ]);
    expect(caseJson.items.find((i) => i.kind === 'report')?.verification).toBe('verified');
    const markdown = strFromU8(zip['case.md']!);
    expect(markdown.match(/signature does not verify/g)).toHaveLength(2);
  });

  it('tells an item recorded before signatures (unsigned) from one whose signature does not verify', async () => {
    // As the migration that introduced signatures did for every item then stored.
    const [report] = (
      await owner.query(`SELECT id FROM case_items WHERE case_id = $1 AND kind = 'report'`, [caseId])
    ).rows;
    await owner.query(`UPDATE case_items SET signature = NULL WHERE id = $1`, [report.id]);
    await owner.query(`INSERT INTO case_items_before_signatures (id) VALUES ($1)`, [report.id]);
    const view = await request(server())
      .get(`/api/v1/cases/${reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.reportVerification).toBe('unsigned');
    expect((view.body.messages as ViewMessage[]).map((m) => m.verification)).toEqual([
      'verified',
      'verified',
      'unverified',
      'unverified',
    ]);
  });
});
