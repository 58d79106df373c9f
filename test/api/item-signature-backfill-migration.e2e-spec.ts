/**
 * Item signatures (docs/architecture.md "Item signatures"): the back-fills that listed items from before
 * signatures and items the system signed before authors had keys read `case_items` with no council set,
 * so under forced row-level security they listed nothing unless run as a superuser. Migration
 * 1763904800000 redoes them council by council. Here older items are written as those writers wrote them
 * — a member of staff's message signed by the council's system key, one with no signature — beside a
 * message signed by a key nobody pinned, and the migration is run as a role that row-level security
 * binds, as the tables' owner is bound on every real database. Afterwards the older items read
 * `verified` and `unsigned`, the forged one still `unverified`, and items signed by their authors' own
 * keys still `verified`; run again, it changes nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { encryptToScope, generateSigningKeyPair, signDetached, UnlockedKey } from '@nolan/crypto';
import { ItemSeal, itemStatement } from '../../apps/api/src/cases/record/item-seal';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { ItemSignatureBackfill1763904800000 } from '../../apps/api/src/database/migrations/1763904800000-item-signature-backfill';
import { inTenant } from '../../apps/api/src/database/tenant-transaction';
import { startApi } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

/** A role without superuser or BYPASSRLS, holding what the back-fill reads and writes. */
const migrator = `${new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1)}_backfill_migrator`;

describe('redoing the item-signature back-fills under row-level security', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let owner: Client;
  let tenant: { id: string; slug: string };
  let handler: TestUser;
  let reference: string;
  let token: string;
  const server = () => app.getHttpServer();
  const text = {
    staff: 'Thank you for the report.',
    bySystem: 'An older reply, signed by the system key.',
    unsigned: 'An older reply, from before signatures.',
    forged: 'A reply signed by a key nobody pinned.',
  };

  /** Runs the new migration as `migrator`, in one transaction, as `cli migrate` runs each migration. */
  async function runMigrationAsMigrator(check?: (q: { query: Client['query'] }) => Promise<void>) {
    const source = createDataSource(TEST_ENV.MIGRATION_DATABASE_URL);
    await source.initialize();
    try {
      const runner = source.createQueryRunner();
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE ${migrator}`);
      if (check) await check({ query: ((sql: string) => runner.query(sql)) as never });
      await new ItemSignatureBackfill1763904800000().up(runner);
      await runner.commitTransaction();
      await runner.release();
    } finally {
      await source.destroy();
    }
  }

  const verification = async () => {
    const view = await request(server())
      .get(`/api/v1/cases/${reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    return {
      report: view.body.reportVerification as string,
      messages: Object.fromEntries(
        (view.body.messages as { text: string; verification: string }[]).map((m) => [m.text, m.verification]),
      ),
    };
  };

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('signature-backfill');
    handler = await fixtures.user(tenant.id, ['s151_officer']);
    const submitted = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'fraud_theft',
          answers: {
            whatHappened: 'Invoices paid twice.',
            where: 'Finance',
            howYouKnow: 'documents',
            raisedBefore: 'no',
          },
          altcha: await solvedAltcha(server(), tenant.slug),
        }),
      )
      .expect(201);
    reference = submitted.body.reference;
    token = await signInAs(server(), tenant.slug, handler);
    await request(server())
      .post(`/api/v1/cases/${reference}/messages`)
      .auth(token, { type: 'bearer' })
      .send({ text: text.staff })
      .expect(201);

    owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();
    const [found] = (await owner.query(`SELECT id FROM cases WHERE reference = $1`, [reference])).rows;
    const [scopeKey] = (
      await owner.query(`SELECT public_key FROM case_scope_keys WHERE case_id = $1 AND scope = 'report'`, [
        found.id,
      ])
    ).rows;
    const systemKey = await inTenant(app.get(DataSource), tenant.id, (m) =>
      app.get(ItemSeal).systemKey(m, tenant.id),
    );
    const stranger = await UnlockedKey.fromSerialized(
      (await generateSigningKeyPair({ name: 'Nobody pinned' })).privateKey,
    );
    const older = async (body: string, signer: UnlockedKey | null) => {
      const item = {
        id: randomUUID(),
        tenantId: tenant.id,
        caseId: found.id as string,
        scope: 'report' as const,
        kind: 'message',
        authorKind: 'staff' as const,
        authorId: handler.id,
        createdAt: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
        ciphertext: Buffer.from(
          await encryptToScope(
            JSON.stringify({ text: body, attachments: [] }),
            new Uint8Array(scopeKey.public_key),
          ),
        ),
      };
      const signature = signer ? Buffer.from(await signDetached(itemStatement(item), signer)) : null;
      await owner.query(
        `INSERT INTO case_items (id, tenant_id, case_id, scope, kind, ciphertext, author_kind, author_id, created_at, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          item.id,
          item.tenantId,
          item.caseId,
          item.scope,
          item.kind,
          item.ciphertext,
          item.authorKind,
          item.authorId,
          item.createdAt,
          signature,
        ],
      );
    };
    await older(text.bySystem, systemKey);
    await older(text.unsigned, null);
    await older(text.forged, stranger);

    const exists = await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [migrator]);
    if (!exists.rowCount) await owner.query(`CREATE ROLE ${migrator} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
    await owner.query(`GRANT SELECT ON tenants, case_items, tenant_signing_keys TO ${migrator}`);
    await owner.query(
      `GRANT SELECT, INSERT ON case_items_before_signatures, case_items_signed_by_system TO ${migrator}`,
    );
  });

  afterAll(async () => {
    await owner?.end();
    await fixtures?.close();
    await app?.close();
  });

  it('lists the older items so that they verify (or read unsigned), and leaves every other item as it was', async () => {
    expect(await verification()).toEqual({
      report: 'verified',
      messages: {
        [text.staff]: 'verified',
        [text.bySystem]: 'unverified',
        [text.unsigned]: 'unverified',
        [text.forged]: 'unverified',
      },
    });

    await runMigrationAsMigrator(async (q) => {
      // What the earlier back-fills did: with no council set, row-level security shows this role no item.
      expect(await q.query(`SELECT count(*)::int AS n FROM case_items`)).toEqual([{ n: 0 }]);
    });

    const after = {
      report: 'verified',
      messages: {
        [text.staff]: 'verified',
        [text.bySystem]: 'verified',
        [text.unsigned]: 'unsigned',
        [text.forged]: 'unverified',
      },
    };
    expect(await verification()).toEqual(after);
    // Only the older items were listed: the items signed by their authors' own keys are checked against them.
    const listed = await owner.query(
      `SELECT kind, signature IS NULL AS unsigned FROM case_items i
        WHERE case_id = (SELECT id FROM cases WHERE reference = $1)
          AND EXISTS (SELECT 1 FROM case_items_signed_by_system s WHERE s.id = i.id)`,
      [reference],
    );
    expect(listed.rows).toEqual([{ kind: 'message', unsigned: false }]);

    await runMigrationAsMigrator();
    expect(await verification()).toEqual(after);
  });
});
