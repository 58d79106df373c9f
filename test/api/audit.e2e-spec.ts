/**
 * The audit trail against real Postgres: entries appended through AuditService as the app role, then
 * `audit:verify` run as the operator would, before and after someone with database access tampers
 * with the table (as the `postgres` superuser, with triggers skipped by session_replication_role).
 * Each scenario has its own tenant, so one tampered chain never masks another.
 */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { hashEntry } from '../../apps/api/src/audit/audit-chain';
import { AuditRepository } from '../../apps/api/src/audit/audit.repository';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { inTenant } from '../../apps/api/src/database/tenant-transaction';
import { cli } from '../support/cli';
import { TEST_ENV } from '../support/test-env';

const STAFF = '6d1c8e6f-2f40-4a6b-8a65-3f3a9f1e7c21';
const CASE = 'c4a4d5a8-8c0e-4d7e-9d53-0d1b2f8e6a33';

function verifyCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return cli(['audit:verify', ...args]);
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('the audit trail', () => {
  const audit = new AuditService(new AuditRepository());
  let app: DataSource;
  let owner: Client;

  /** A tenant row made directly as the owner; the escrow key is irrelevant to the trail. */
  async function createTenant(slug: string): Promise<string> {
    const created = await owner.query(
      `INSERT INTO tenants (slug, name, escrow_public_key, escrow_private_key_encrypted, escrow_fingerprint)
       VALUES ($1, $2, 'test escrow public key', 'test escrow private key', 'test-fingerprint') RETURNING id`,
      [slug, `Audit test ${slug}`],
    );
    return created.rows[0].id;
  }

  /** Ten entries of the kinds the issue names, through the service, as the app role. */
  async function tenantWithTrail(slug: string): Promise<string> {
    const tenantId = await createTenant(slug);
    const staff = { type: 'staff' as const, id: STAFF };
    const events = [
      { actor: staff, action: 'auth.sign_in' as const },
      {
        actor: { type: 'staff' as const, id: null },
        action: 'auth.sign_in_failed' as const,
        details: { reason: 'wrong_password' },
      },
      { actor: { type: 'reporter' as const }, action: 'auth.sign_in' as const },
      {
        actor: staff,
        action: 'grant.created' as const,
        caseId: CASE,
        details: { scope: 'report', granteeId: STAFF },
      },
      {
        actor: staff,
        action: 'case.content_decrypted' as const,
        caseId: CASE,
        details: { scope: 'report', items: 3 },
      },
      {
        actor: staff,
        action: 'case.transitioned' as const,
        caseId: CASE,
        details: { from: 'received', to: 'acknowledged' },
      },
      { actor: staff, action: 'case.exported' as const, caseId: CASE, details: { recipientId: STAFF } },
      {
        actor: { type: 'operator' as const },
        action: 'config.changed' as const,
        details: { setting: 'retention_months' },
      },
      {
        actor: staff,
        action: 'grant.revoked' as const,
        caseId: CASE,
        details: { scope: 'report', granteeId: STAFF },
      },
      {
        actor: { type: 'system' as const },
        action: 'case.transitioned' as const,
        caseId: CASE,
        details: { from: 'acknowledged', to: 'assessment' },
      },
    ];
    for (const event of events) await inTenant(app, tenantId, (manager) => audit.append(manager, event));
    return tenantId;
  }

  /** What an attacker with superuser access can do: skip the append-only trigger and change rows. */
  async function tamper(sql: string, params: unknown[]): Promise<void> {
    await owner.query('BEGIN');
    await owner.query(`SET LOCAL session_replication_role = replica`);
    await owner.query(sql, params);
    await owner.query('COMMIT');
  }

  async function entryId(tenantId: string, seq: number): Promise<string> {
    const row = await owner.query(`SELECT id FROM audit_entries WHERE tenant_id = $1 AND seq = $2`, [
      tenantId,
      seq,
    ]);
    return row.rows[0].id;
  }

  beforeAll(async () => {
    app = createDataSource(TEST_ENV.DATABASE_URL);
    await app.initialize();
    owner = await connect(TEST_ENV.MIGRATION_DATABASE_URL);
  });
  afterAll(async () => {
    await owner.end();
    await app.destroy();
  });

  it('chains entries appended as the app role, and audit:verify reports the chain intact', async () => {
    const tenantId = await tenantWithTrail('audit-intact');
    const rows = await owner.query(
      `SELECT seq::int, prev_hash, hash, actor_type, actor_id FROM audit_entries WHERE tenant_id = $1 ORDER BY seq`,
      [tenantId],
    );
    expect(rows.rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows.rows[0].prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.rows.length; i++) expect(rows.rows[i].prev_hash).toBe(rows.rows[i - 1].hash);
    expect(rows.rows[2]).toMatchObject({ actor_type: 'reporter', actor_id: null });

    const one = verifyCli('--tenant', 'audit-intact');
    expect(one).toEqual({ status: 0, stdout: 'tenant audit-intact: 10 entries, chain intact\n', stderr: '' });
    const all = verifyCli();
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('tenant audit-intact: 10 entries, chain intact\n');
  });

  it('keeps seq gapless under concurrent appends, and an entry rolls back with its transaction', async () => {
    const tenantId = await createTenant('audit-concurrent');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        inTenant(app, tenantId, (manager) =>
          audit.append(manager, { actor: { type: 'system' }, action: 'config.changed', details: { i } }),
        ),
      ),
    );
    await expect(
      inTenant(app, tenantId, async (manager) => {
        await audit.append(manager, {
          actor: { type: 'system' },
          action: 'config.changed',
          details: { i: 99 },
        });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await inTenant(app, tenantId, (manager) =>
      audit.append(manager, { actor: { type: 'system' }, action: 'config.changed', details: { i: 12 } }),
    );
    expect(verifyCli('--tenant', 'audit-concurrent')).toMatchObject({
      status: 0,
      stdout: 'tenant audit-concurrent: 13 entries, chain intact\n',
    });
  });

  it('refuses UPDATE and DELETE from the app role, and from the owner while the trigger stands', async () => {
    const tenantId = await tenantWithTrail('audit-readonly');
    const asApp = await connect(TEST_ENV.DATABASE_URL);
    try {
      await asApp.query('BEGIN');
      await asApp.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      await expect(asApp.query(`UPDATE audit_entries SET details = '{}' WHERE seq = 2`)).rejects.toThrow(
        /permission denied for table audit_entries/,
      );
      await asApp.query('ROLLBACK');
      await asApp.query('BEGIN');
      await asApp.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      await expect(asApp.query(`DELETE FROM audit_entries WHERE seq = 2`)).rejects.toThrow(
        /permission denied/,
      );
      await asApp.query('ROLLBACK');
      await expect(asApp.query(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/permission denied/);
    } finally {
      await asApp.end();
    }
    await expect(
      owner.query(`UPDATE audit_entries SET details = '{}' WHERE tenant_id = $1 AND seq = 2`, [tenantId]),
    ).rejects.toThrow('audit_entries is append-only');
    await expect(owner.query(`DELETE FROM audit_entries WHERE tenant_id = $1`, [tenantId])).rejects.toThrow(
      'audit_entries is append-only',
    );
    await expect(owner.query(`TRUNCATE audit_checkpoints`)).rejects.toThrow(
      'audit_checkpoints is append-only',
    );
    expect(verifyCli('--tenant', 'audit-readonly').status).toBe(0);
  });

  it('names the entry when one row is edited, and exits 1', async () => {
    const tenantId = await tenantWithTrail('audit-edited');
    const id = await entryId(tenantId, 4);
    await tamper(`UPDATE audit_entries SET details = '{"scope":"identity"}' WHERE id = $1`, [id]);
    expect(verifyCli('--tenant', 'audit-edited')).toEqual({
      status: 1,
      stdout: `tenant audit-edited: BROKEN at seq 4 (entry ${id}): hash does not match its contents\n`,
      stderr: 'nolan audit:verify: 1 of 1 tenant audit trails are broken\n',
    });
  });

  it('names the next link when a row is edited and its own hash recomputed to match', async () => {
    const tenantId = await tenantWithTrail('audit-rehashed');
    const row = (
      await owner.query(`SELECT * FROM audit_entries WHERE tenant_id = $1 AND seq = 6`, [tenantId])
    ).rows[0];
    const forged = {
      tenantId: row.tenant_id,
      seq: Number(row.seq),
      occurredAt: row.occurred_at,
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      caseId: row.case_id,
      details: { from: 'received', to: 'closed' },
      prevHash: row.prev_hash,
    };
    expect(hashEntry({ ...forged, details: row.details })).toBe(row.hash);
    await tamper(`UPDATE audit_entries SET details = $2, hash = $3 WHERE id = $1`, [
      row.id,
      JSON.stringify(forged.details),
      hashEntry(forged),
    ]);
    const next = await entryId(tenantId, 7);
    expect(verifyCli('--tenant', 'audit-rehashed')).toMatchObject({
      status: 1,
      stdout: `tenant audit-rehashed: BROKEN at seq 7 (entry ${next}): prev_hash does not match the hash of seq 6\n`,
    });
  });

  it('names a deleted middle row as missing', async () => {
    const tenantId = await tenantWithTrail('audit-deleted');
    await tamper(`DELETE FROM audit_entries WHERE tenant_id = $1 AND seq = 5`, [tenantId]);
    expect(verifyCli('--tenant', 'audit-deleted')).toMatchObject({
      status: 1,
      stdout: 'tenant audit-deleted: seq 5 is missing (deleted?)\n',
    });
  });

  it('names a deleted newest row as truncation once a checkpoint recorded the head', async () => {
    const tenantId = await tenantWithTrail('audit-truncated');
    const head = await inTenant(app, tenantId, (manager) => audit.checkpoint(manager));
    expect(head).toMatchObject({ seq: 10 });
    expect(verifyCli('--tenant', 'audit-truncated')).toMatchObject({
      status: 0,
      stdout: 'tenant audit-truncated: 10 entries, chain intact, 1 checkpoint matches\n',
    });
    await tamper(`DELETE FROM audit_entries WHERE tenant_id = $1 AND seq = 10`, [tenantId]);
    expect(verifyCli('--tenant', 'audit-truncated')).toMatchObject({
      status: 1,
      stdout: 'tenant audit-truncated: checkpoint at seq 10 is beyond the chain head 9 (truncated?)\n',
    });
  });

  it('returns no audit rows to a query without the tenant set, and only that tenant’s rows with it', async () => {
    const tenantId = await tenantWithTrail('audit-isolated');
    await inTenant(app, tenantId, (manager) => audit.checkpoint(manager));
    const asApp = await connect(TEST_ENV.DATABASE_URL);
    try {
      const entries = await asApp.query(`SELECT count(*)::int AS n FROM audit_entries`);
      const checkpoints = await asApp.query(`SELECT count(*)::int AS n FROM audit_checkpoints`);
      expect([entries.rows[0].n, checkpoints.rows[0].n]).toEqual([0, 0]);
      await asApp.query('BEGIN');
      await asApp.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      const within = await asApp.query(
        `SELECT DISTINCT tenant_id, count(*) OVER ()::int AS n FROM audit_entries`,
      );
      await asApp.query('COMMIT');
      expect(within.rows).toEqual([{ tenant_id: tenantId, n: 10 }]);
    } finally {
      await asApp.end();
    }
  });

  it('lists a case’s trail for the monitoring officer in chain order, as DTOs', async () => {
    const tenantId = await tenantWithTrail('audit-case');
    const page = await inTenant(app, tenantId, (manager) =>
      audit.listForCase(manager, CASE, { limit: 3, offset: 1 }),
    );
    expect(page.total).toBe(6);
    expect(page.items.map((item) => [item.seq, item.action])).toEqual([
      [5, 'case.content_decrypted'],
      [6, 'case.transitioned'],
      [7, 'case.exported'],
    ]);
    expect(page.items[0]).toEqual({
      id: expect.any(String),
      seq: 5,
      occurredAt: expect.stringMatching(/Z$/),
      actorType: 'staff',
      actorId: STAFF,
      action: 'case.content_decrypted',
      caseId: CASE,
      details: { scope: 'report', items: 3 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('names an unknown tenant', () => {
    expect(verifyCli('--tenant', 'no-such-tenant')).toMatchObject({
      status: 1,
      stderr: 'nolan audit:verify: no tenant with slug "no-such-tenant"\n',
    });
  });
});
