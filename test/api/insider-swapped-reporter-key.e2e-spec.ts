/**
 * Item signatures (docs/architecture.md "Item signatures"), the attack a reviewer scripted against
 * pinning a key when it first signs: a DBA with the application's database role sends a test report of
 * their own, copies its lookup key, locked key and salt into case X's `reporter_keys` row, signs in with
 * their own receipt — which now opens case X — and sends a message. A reporter's key is pinned only at
 * intake, so the DBA's key is never pinned as "reporter of X": the message reads `unverified` in the
 * case view, on the timeline and in the export, while the real reporter's report still reads `verified`.
 */
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { strFromU8 } from 'fflate';
import { Client } from 'pg';
import request from 'supertest';
import {} from '@nolan/crypto';
import { startApi } from '../support/api-app';
import { exportedArchive } from '../support/signed-export';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

describe('a DBA who copies their own reporter key into another case cannot send a message that verifies', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let appRole: Client;
  let tenant: { id: string; slug: string };
  let reference: string;
  let token: string;
  const server = () => app.getHttpServer();
  const forgedText = 'I withdraw everything I said; please close the case.';

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

  const submit = async (whatHappened: string) =>
    (
      await request(server())
        .post(`/api/v1/tenants/${tenant.slug}/reports`)
        .field(
          'submission',
          JSON.stringify({
            category: 'fraud_theft',
            answers: { whatHappened, where: 'Payroll', howYouKnow: 'documents', raisedBefore: 'no' },
            altcha: await solvedAltcha(server(), tenant.slug),
          }),
        )
        .expect(201)
    ).body as { reference: string; receipt: string };

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('swapped-reporter-key');
    const handler = await fixtures.user(tenant.id, ['s151_officer']);
    const victim = await submit('Overtime claims for shifts nobody worked.');
    reference = victim.reference;
    // The DBA's own test report, whose receipt they hold.
    const own = await submit('A test report.');

    appRole = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await appRole.connect();
    await asApp(async () => {
      const [x] = (await appRole.query(`SELECT id FROM cases WHERE reference = $1`, [victim.reference])).rows;
      const [y] = (await appRole.query(`SELECT id FROM cases WHERE reference = $1`, [own.reference])).rows;
      const [mine] = (
        await appRole.query(
          `SELECT lookup_key, locked_private_key, salt FROM reporter_keys WHERE case_id = $1`,
          [y.id],
        )
      ).rows;
      // Their own row's lookup key moved aside, then copied with the locked key and salt into case X's.
      await appRole.query(`UPDATE reporter_keys SET lookup_key = $2 WHERE case_id = $1`, [
        y.id,
        randomBytes(32).toString('hex'),
      ]);
      await appRole.query(
        `UPDATE reporter_keys SET lookup_key = $2, locked_private_key = $3, salt = $4 WHERE case_id = $1`,
        [x.id, mine.lookup_key, mine.locked_private_key, mine.salt],
      );
    });

    // Their own receipt now signs in to case X (whose conversation they cannot read: its report scope is
    // granted to the real reporter's key), and they send a message as its reporter.
    const dbaToken = await signInWithReceipt(server(), tenant.slug, own.receipt);
    await request(server())
      .post('/api/v1/reporter/case/messages')
      .auth(dbaToken, { type: 'bearer' })
      .field('message', JSON.stringify({ text: forgedText }))
      .expect(201);
    token = await signInAs(server(), tenant.slug, handler);
  });

  afterAll(async () => {
    await appRole?.end();
    await fixtures?.close();
    await app?.close();
  });

  it('shows the message unverified in the case view and on the timeline, and the report verified', async () => {
    const view = await request(server())
      .get(`/api/v1/cases/${reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.reportVerification).toBe('verified');
    expect(
      (view.body.messages as { from: string; text: string; verification: string }[]).map((m) => [
        m.from,
        m.text,
        m.verification,
      ]),
    ).toEqual([['reporter', forgedText, 'unverified']]);
    const timeline = await request(server())
      .get(`/api/v1/cases/${reference}/timeline`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    const events = timeline.body.events as { content: { text?: string } | null; verification?: string }[];
    expect(events.filter((e) => e.content?.text === forgedText).map((e) => e.verification)).toEqual([
      'unverified',
    ]);
  });

  it('marks it unverified in the export’s case.json and warns in case.md', async () => {
    const zip = await exportedArchive(server(), {
      token: token,
      reference,
      tenantSlug: tenant.slug,
      name: 'Handler',
      email: 'handler@swapped-reporter-key.invalid',
    });
    const caseJson = JSON.parse(strFromU8(zip['case.json']!)) as {
      messages: { text: string; from: string; verification: string }[];
      items: { kind: string; verification: string }[];
    };
    expect(caseJson.messages.map((m) => [m.from, m.text, m.verification])).toEqual([
      ['reporter', forgedText, 'unverified'],
    ]);
    expect(caseJson.items.find((i) => i.kind === 'report')?.verification).toBe('verified');
    expect(strFromU8(zip['case.md']!).match(/signature does not verify/g)).toHaveLength(1);
  });
});
