/**
 * Item signatures (docs/architecture.md "Item signatures"): a member of staff's key is pinned at their
 * first sign-in (or where it is made, at account recovery), never when it signs. A DBA with the
 * application's database role who copies a key pair of their own — with its password and two-factor
 * set-up — into a handler's `staff_users` row can sign in as the handler and write a note, but the
 * handler already has a pinned key, so theirs is not pinned: the note reads `unverified` on the timeline,
 * while the handler's own note still reads `verified`.
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

describe('a DBA who copies their own key into a handler’s account cannot write a note that verifies', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let appRole: Client;
  let tenant: { id: string; slug: string };
  let handler: TestUser;
  let overseer: TestUser;
  let reference: string;
  const server = () => app.getHttpServer();
  const genuine = 'Spoke to payroll; the claims are being checked.';
  const forged = 'Nothing found; recommend closing the case.';

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('swapped-staff-key');
    handler = await fixtures.user(tenant.id, ['s151_officer']);
    overseer = await fixtures.user(tenant.id, ['monitoring_officer']);
    // The DBA's own account elsewhere in the council: a key pair, password and two-factor secret they hold.
    const donor = await fixtures.user(tenant.id, ['investigator']);
    const submitted = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: {
          whatHappened: 'Overtime claims for shifts nobody worked.',
          howYouKnow: 'documents',
          raisedBefore: 'no',
        },
        altcha: await solvedAltcha(server(), tenant.slug),
      })
      .expect(201);
    reference = submitted.body.reference;
    await request(server())
      .post(`/api/v1/cases/${reference}/notes`)
      .auth(await signInAs(server(), tenant.slug, handler), { type: 'bearer' })
      .send({ text: genuine })
      .expect(201);

    appRole = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await appRole.connect();
    await appRole.query('BEGIN');
    await appRole.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
    await appRole.query(
      `UPDATE staff_users h SET password_hash = d.password_hash, public_key = d.public_key,
              private_key_encrypted = d.private_key_encrypted, key_fingerprint = d.key_fingerprint,
              totp_secret_sealed = d.totp_secret_sealed, totp_enrolled_at = d.totp_enrolled_at
         FROM staff_users d WHERE h.id = $1 AND d.id = $2`,
      [handler.id, donor.id],
    );
    await appRole.query('COMMIT');

    // Signed in as the handler with the DBA's own password, code and key.
    const token = await signInAs(
      server(),
      tenant.slug,
      { ...handler, password: donor.password, totpSecret: donor.totpSecret },
      1,
    );
    await request(server())
      .post(`/api/v1/cases/${reference}/notes`)
      .auth(token, { type: 'bearer' })
      .send({ text: forged })
      .expect(201);
  });

  afterAll(async () => {
    await appRole?.end();
    await fixtures?.close();
    await app?.close();
  });

  it('shows the note unverified on the timeline, and the handler’s own note verified', async () => {
    const timeline = await request(server())
      .get(`/api/v1/cases/${reference}/timeline`)
      .auth(await signInAs(server(), tenant.slug, overseer), { type: 'bearer' })
      .expect(200);
    const events = timeline.body.events as { content: { text?: string } | null; verification?: string }[];
    expect(
      events.filter((e) => typeof e.content?.text === 'string').map((e) => [e.content?.text, e.verification]),
    ).toEqual([
      [genuine, 'verified'],
      [forged, 'unverified'],
    ]);
  });
});
