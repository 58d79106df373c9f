/**
 * Issue #15, path 7 (items signed by their authors), scripted as an insider with the application's
 * database credentials would try it: write an internal note claiming to be another member of staff's.
 * Every item is signed by its recorded author's own key, checked against the key pinned for that author
 * by the council's system key (docs/architecture.md "Item signatures"), so the forged note shows as
 * unverified on the case page's timeline and in the export whether it is signed with the insider's own
 * staff key, with the council's system key (someone holding EXPORT_SIGNING_SECRET too), or with a key
 * the insider swapped into the victim's account row and "pinned" themselves. The genuine notes verify,
 * and GnuPG — the independent reader — verifies each one's signature in the export against its author's
 * own key.
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  encryptToScope,
  generateStaffKeyPair,
  PublicKeyHandle,
  signDetached,
  type UnlockedKey,
  unlockPrivateKey,
} from '@nolan/crypto';
import { ItemSeal, itemStatement } from '../../apps/api/src/cases/record/item-seal';
import { inTenant } from '../../apps/api/src/database/tenant-transaction';
import { startApi } from '../support/api-app';
import { exportedArchive } from '../support/signed-export';
import { solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

const GPG = '/usr/bin/gpg';

interface ExportedItem {
  kind: string;
  author: string;
  verification: string;
  signature?: { statement: string; signature: string; signedBy: string | null };
}

describe('an insider cannot write a note in another member of staff’s name', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let appRole: Client;
  let tenant: { id: string; slug: string };
  let insider: TestUser;
  let victim: TestUser;
  let reference: string;
  let caseId: string;
  const tokens: Record<string, string> = {};
  /** Each person's own key, before the insider swaps one in. */
  const realKeys = new Map<string, string>();
  const server = () => app.getHttpServer();

  const insiderNote = 'Payroll checked the claims; they look fine to me.';
  const victimNote = 'I have asked internal audit to keep the April ledgers.';
  const forgedBySelf = 'On reflection there is nothing here: close it. (signed with the insider’s key)';
  const forgedBySystem = 'On reflection there is nothing here: close it. (signed with the system key)';
  const forgedBySwap = 'On reflection there is nothing here: close it. (signed with a swapped-in key)';

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

  /** A note row claiming `victim` wrote `text`, signed with `key` over exactly what a real one covers. */
  async function forgeNote(text: string, key: UnlockedKey): Promise<void> {
    await asApp(async () => {
      const [scopeKey] = (
        await appRole.query(
          `SELECT public_key FROM case_scope_keys WHERE case_id = $1 AND scope = 'internal'`,
          [caseId],
        )
      ).rows;
      const item = {
        id: randomUUID(),
        tenantId: tenant.id,
        caseId,
        scope: 'internal',
        kind: 'note',
        authorKind: 'staff' as const,
        authorId: victim.id,
        createdAt: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
        ciphertext: Buffer.from(
          await encryptToScope(
            Buffer.from(JSON.stringify({ text }), 'utf8'),
            new Uint8Array(scopeKey.public_key),
          ),
        ),
      };
      const signature = await signDetached(itemStatement(item), key);
      await appRole.query(
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
          Buffer.from(signature),
        ],
      );
    });
  }

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('forged-note');
    insider = await fixtures.user(tenant.id, ['s151_officer']);
    victim = await fixtures.user(tenant.id, ['monitoring_officer']);
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
    tokens.insider = await signInAs(server(), tenant.slug, insider);
    tokens.victim = await signInAs(server(), tenant.slug, victim);
    for (const [who, text] of [
      ['insider', insiderNote],
      ['victim', victimNote],
    ] as const)
      await request(server())
        .post(`/api/v1/cases/${reference}/notes`)
        .auth(tokens[who]!, { type: 'bearer' })
        .send({ text })
        .expect(201);

    appRole = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await appRole.connect();
    caseId = await asApp(
      async () => (await appRole.query(`SELECT id FROM cases WHERE reference = $1`, [reference])).rows[0].id,
    );

    await asApp(async () => {
      const { rows } = await appRole.query(
        `SELECT id, key_fingerprint FROM staff_users WHERE id = ANY($1::uuid[])`,
        [[insider.id, victim.id]],
      );
      for (const row of rows as { id: string; key_fingerprint: string }[])
        realKeys.set(row.id, row.key_fingerprint);
    });

    // 1. The insider signs with their own staff key (unlocked with their own password).
    const insiderRow = await asApp(
      async () =>
        (await appRole.query(`SELECT private_key_encrypted FROM staff_users WHERE id = $1`, [insider.id]))
          .rows[0],
    );
    await forgeNote(forgedBySelf, await unlockPrivateKey(insiderRow.private_key_encrypted, insider.password));

    // 2. The insider also holds EXPORT_SIGNING_SECRET, so can sign with the council's system key.
    const dataSource = app.get(DataSource);
    const systemKey = await inTenant(dataSource, tenant.id, (m) => app.get(ItemSeal).systemKey(m, tenant.id));
    await forgeNote(forgedBySystem, systemKey);

    // 3. The insider swaps a key of their own into the victim's account row, "pins" it with a copied pin,
    //    and signs with it.
    const swapped = await generateStaffKeyPair({
      name: 'Swapped',
      email: 'swapped@forged-note.invalid',
      passphrase: 'swapped passphrase',
    });
    const swappedKey = await unlockPrivateKey(swapped.encryptedPrivateKey, 'swapped passphrase');
    await asApp(async () => {
      await appRole.query(`UPDATE staff_users SET public_key = $1, key_fingerprint = $2 WHERE id = $3`, [
        swapped.publicKey,
        swapped.fingerprint,
        victim.id,
      ]);
      const [real] = (
        await appRole.query(`SELECT pin FROM author_keys WHERE owner_kind = 'staff' AND owner_id = $1`, [
          victim.id,
        ])
      ).rows;
      await appRole.query(
        `INSERT INTO author_keys (tenant_id, owner_kind, owner_id, fingerprint, public_key, pin)
         VALUES ($1, 'staff', $2, $3, $4, $5)`,
        [
          tenant.id,
          victim.id,
          swapped.fingerprint,
          Buffer.from((await PublicKeyHandle.parse(swapped.publicKey)).toBinary()),
          real.pin,
        ],
      );
    });
    await forgeNote(forgedBySwap, swappedKey);
  });

  afterAll(async () => {
    await appRole?.end();
    await fixtures?.close();
    await app?.close();
  });

  it('the application’s role can neither change nor remove a pinned author key', async () => {
    await expect(
      asApp(() =>
        appRole.query(`UPDATE author_keys SET owner_id = $1 WHERE owner_id = $2`, [insider.id, victim.id]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asApp(() => appRole.query(`DELETE FROM author_keys WHERE owner_id = $1`, [victim.id])),
    ).rejects.toThrow(/permission denied/);
  });

  it('shows every forged note as unverified on the case page’s timeline, and the genuine notes as verified', async () => {
    const timeline = await request(server())
      .get(`/api/v1/cases/${reference}/timeline`)
      .auth(tokens.victim!, { type: 'bearer' })
      .expect(200);
    const notes = (
      timeline.body.events as { type: string; content: { text?: string } | null; verification?: string }[]
    )
      .filter((e) => typeof e.content?.text === 'string')
      .map((e) => [e.content?.text, e.verification]);
    expect(notes).toEqual([
      [insiderNote, 'verified'],
      [victimNote, 'verified'],
      [forgedBySelf, 'unverified'],
      [forgedBySystem, 'unverified'],
      [forgedBySwap, 'unverified'],
    ]);
  });

  it('marks them unverified in the export, whose genuine notes GnuPG verifies against each author’s own key', async () => {
    const archive = await exportedArchive(server(), {
      token: tokens.victim!,
      reference,
      tenantSlug: tenant.slug,
      name: 'Victim',
      email: 'victim@forged-note.invalid',
    });
    const caseJson = JSON.parse(strFromU8(archive['case.json']!)) as {
      items: ExportedItem[];
      authorKeys: Record<string, string>;
      records: { kind: string; data: { text?: string }; verification: string }[];
    };
    expect(
      caseJson.records.filter((r) => r.kind === 'note').map((r) => [r.data.text, r.verification]),
    ).toEqual([
      [insiderNote, 'verified'],
      [victimNote, 'verified'],
      [forgedBySelf, 'unverified'],
      [forgedBySystem, 'unverified'],
      [forgedBySwap, 'unverified'],
    ]);
    const markdown = strFromU8(archive['case.md']!);
    expect(markdown.match(/signature does not verify/g)?.length).toBeGreaterThanOrEqual(3);

    const notes = caseJson.items.filter((i) => i.kind === 'note');
    expect(notes.map((n) => [n.verification, n.signature?.signedBy ?? null])).toEqual([
      ['verified', realKeys.get(insider.id)],
      ['verified', realKeys.get(victim.id)],
      ['unverified', null],
      ['unverified', null],
      ['unverified', null],
    ]);

    // GnuPG, in a throwaway home: import the keys the export carries, and check each note's signature.
    const home = mkdtempSync(join(tmpdir(), 'nolan-forged-note-'));
    try {
      const gpg = (args: string[]) =>
        spawnSync(GPG, ['--homedir', home, '--batch', '--no-tty', '--status-fd', '1', ...args], {
          env: { ...process.env, GNUPGHOME: home },
          timeout: 30_000,
        });
      for (const [fingerprint, armored] of Object.entries(caseJson.authorKeys)) {
        writeFileSync(join(home, `${fingerprint}.asc`), armored);
        expect(gpg(['--import', join(home, `${fingerprint}.asc`)]).status).toBe(0);
      }
      const verdicts = notes.map((note, n) => {
        writeFileSync(join(home, `${n}.statement`), Buffer.from(note.signature!.statement, 'base64'));
        writeFileSync(join(home, `${n}.sig`), Buffer.from(note.signature!.signature, 'base64'));
        const result = gpg(['--verify', join(home, `${n}.sig`), join(home, `${n}.statement`)]);
        const status = result.stdout.toString('utf8');
        const valid = /^\[GNUPG:\] VALIDSIG ([0-9A-F]{40}) /m.exec(status)?.[1]?.toLowerCase() ?? null;
        // The statement names the author the item claims.
        const claimed = (
          JSON.parse(Buffer.from(note.signature!.statement, 'base64').toString('utf8')) as string[]
        )[7];
        return [result.status === 0 ? 'good' : 'not good', valid, claimed];
      });
      expect(verdicts).toEqual([
        ['good', realKeys.get(insider.id), insider.id],
        ['good', realKeys.get(victim.id), victim.id],
        // The note claiming the victim was signed by the insider: gpg names the insider's key, not theirs.
        ['good', realKeys.get(insider.id), victim.id],
        // gpg has no key for the other forgeries' signers (the system key, the swapped-in key): no VALIDSIG.
        ['not good', null, victim.id],
        ['not good', null, victim.id],
      ]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
