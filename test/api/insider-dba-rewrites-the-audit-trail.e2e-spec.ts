/**
 * Issue #15, path 7 (the audit part), scripted as a database administrator would try it: with the
 * database's superuser (triggers skipped), rewrite an audit entry and recompute its plain SHA-256 hash and
 * every later link, or rewrite the whole chain, or cut its newest entries off and forge a checkpoint to
 * match. The chain is keyed with AUDIT_KEY, which is not in the database; the worker records signed
 * checkpoints on a schedule; the monitoring officer keeps a signed checkpoint outside Nolan, and
 * `audit:verify --checkpoint FILE` proves the trail against it.
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { serialiseForHash } from '../../apps/api/src/audit/audit-chain';
import { AuditCheckpoints } from '../../apps/api/src/audit/audit-checkpoints.service';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { AUDIT_CHECKPOINT_JOB } from '../../apps/api/src/workers/system.processor';
import { AUDIT_CHECKPOINT_PATTERN, JobSchedulers } from '../../apps/api/src/workers/job-schedulers';
import { startApi } from '../support/api-app';
import { cli } from '../support/cli';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

interface Row {
  id: string;
  tenant_id: string;
  seq: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  case_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const plainHash = (row: Row, prevHash: string, details = row.details) =>
  createHash('sha256')
    .update(
      serialiseForHash({
        tenantId: row.tenant_id,
        seq: Number(row.seq),
        occurredAt: row.occurred_at,
        actorType: row.actor_type as 'staff',
        actorId: row.actor_id,
        action: row.action,
        caseId: row.case_id,
        details,
        prevHash,
      }),
      'utf8',
    )
    .digest('hex');

describe('a database administrator cannot rewrite the audit trail unseen', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let owner: Client;
  const dir = mkdtempSync(join(tmpdir(), 'nolan-checkpoint-'));
  const server = () => app.getHttpServer();

  const councils: string[] = [];

  /** A council with some trail (sign-ins and a settings change), and its monitoring officer's token. */
  async function council(prefix: string): Promise<{ slug: string; id: string; mo: TestUser; token: string }> {
    const tenant = await fixtures.tenant(prefix);
    councils.push(tenant.id);
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const admin = await fixtures.user(tenant.id, ['administrator']);
    const adminToken = await signInAs(server(), tenant.slug, admin);
    await request(server())
      .put('/api/v1/admin/retention')
      .auth(adminToken, { type: 'bearer' })
      .send({ overrides: {} })
      .expect(200);
    const token = await signInAs(server(), tenant.slug, mo);
    return { slug: tenant.slug, id: tenant.id, mo, token };
  }

  /** The monitoring officer takes a signed checkpoint out of Nolan and keeps it as a file. */
  async function takeCheckpoint(token: string, name: string): Promise<{ file: string; seq: number }> {
    const res = await request(server())
      .get('/api/v1/oversight/audit-checkpoint')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="nolan-audit-checkpoint-/);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(res.body));
    return { file, seq: res.body.seq };
  }

  async function rows(tenantId: string): Promise<Row[]> {
    return (await owner.query(`SELECT * FROM audit_entries WHERE tenant_id = $1 ORDER BY seq`, [tenantId]))
      .rows;
  }

  async function tamper(sql: string, params: unknown[]): Promise<void> {
    await owner.query('BEGIN');
    await owner.query(`SET LOCAL session_replication_role = replica`);
    await owner.query(sql, params);
    await owner.query('COMMIT');
  }

  /** Rewrites entries from `fromSeq` on with plain SHA-256, relinking every later entry as an attacker would. */
  async function rewritePlain(tenantId: string, fromSeq: number, details: Record<string, unknown>) {
    const all = await rows(tenantId);
    let prev = fromSeq > 1 ? all[fromSeq - 2]!.hash : '0'.repeat(64);
    for (const row of all.filter((r) => Number(r.seq) >= fromSeq)) {
      const newDetails = Number(row.seq) === fromSeq ? details : row.details;
      const hash = plainHash(row, prev, newDetails);
      await tamper(`UPDATE audit_entries SET details = $2, prev_hash = $3, hash = $4 WHERE id = $1`, [
        row.id,
        JSON.stringify(newDetails),
        prev,
        hash,
      ]);
      prev = hash;
    }
  }

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();
  });
  afterAll(async () => {
    // This suite breaks its councils' trails on purpose; the suites after it in this worker's database
    // verify every council's trail (audit.e2e-spec.ts), so its councils leave with empty trails.
    if (owner && councils.length) {
      await owner.query('BEGIN');
      await owner.query(`SET LOCAL session_replication_role = replica`);
      await owner.query(`DELETE FROM audit_checkpoints WHERE tenant_id = ANY($1::uuid[])`, [councils]);
      await owner.query(`DELETE FROM audit_entries WHERE tenant_id = ANY($1::uuid[])`, [councils]);
      await owner.query('COMMIT');
    }
    await owner?.end();
    await fixtures?.close();
    await app?.close();
  });

  it('keys every entry, so the plain SHA-256 of an entry is not its hash', async () => {
    const c = await council('audit-keyed');
    for (const row of await rows(c.id)) expect(plainHash(row, row.prev_hash)).not.toBe(row.hash);
    const { file, seq } = await takeCheckpoint(c.token, 'keyed');
    const verified = cli(['audit:verify', '--checkpoint', file]);
    expect(verified).toMatchObject({ status: 0, stderr: '' });
    expect(verified.stdout).toMatch(
      new RegExp(`^tenant ${c.slug}: \\d+ entries, chain intact, 1 checkpoint matches\\n`),
    );
    expect(verified.stdout).toContain(`checkpoint file: seq ${seq} of `);
  });

  it('fails audit:verify when one entry is rewritten with a recomputed plain SHA-256 hash and every later link', async () => {
    const c = await council('audit-plain');
    const { file } = await takeCheckpoint(c.token, 'plain');
    await rewritePlain(c.id, 3, { setting: 'nothing to see' });
    const verdict = cli(['audit:verify', '--tenant', c.slug, '--checkpoint', file]);
    const id = (await rows(c.id))[2]!.id;
    expect(verdict).toEqual({
      status: 1,
      stdout: `tenant ${c.slug}: BROKEN at seq 3 (entry ${id}): hash does not match its contents\n`,
      stderr: 'nolan audit:verify: 1 of 1 tenant audit trails are broken\n',
    });
  });

  it('fails audit:verify against the last checkpoint when the whole chain is rewritten in plain SHA-256', async () => {
    const c = await council('audit-whole');
    const { file, seq } = await takeCheckpoint(c.token, 'whole');
    // Delete the database's own checkpoints too: only the file outside Nolan is left.
    await tamper(`DELETE FROM audit_checkpoints WHERE tenant_id = $1`, [c.id]);
    await rewritePlain(c.id, 1, (await rows(c.id))[0]!.details);
    expect(cli(['audit:verify', '--tenant', c.slug, '--checkpoint', file])).toEqual({
      status: 1,
      stdout: `tenant ${c.slug}: checkpoint at seq ${seq} does not match the chain (rewritten?)\n`,
      stderr: 'nolan audit:verify: 1 of 1 tenant audit trails are broken\n',
    });
  });

  it('detects a tail deleted after a checkpoint, and refuses a checkpoint forged to match', async () => {
    const c = await council('audit-tail');
    const { file, seq } = await takeCheckpoint(c.token, 'tail');
    await signInAs(server(), c.slug, c.mo, 1); // more entries after the checkpoint
    await tamper(`DELETE FROM audit_entries WHERE tenant_id = $1 AND seq >= $2`, [c.id, seq - 1]);
    await tamper(`DELETE FROM audit_checkpoints WHERE tenant_id = $1`, [c.id]);
    expect(cli(['audit:verify', '--tenant', c.slug, '--checkpoint', file])).toMatchObject({
      status: 1,
      stdout: `tenant ${c.slug}: checkpoint at seq ${seq} is beyond the chain head ${seq - 2} (truncated?)\n`,
    });
    // A checkpoint written to the database without the key does not pass for one.
    const head = (await rows(c.id)).at(-1)!;
    await tamper(`INSERT INTO audit_checkpoints (tenant_id, seq, hash, signature) VALUES ($1, $2, $3, $4)`, [
      c.id,
      head.seq,
      head.hash,
      'ab'.repeat(32),
    ]);
    expect(cli(['audit:verify', '--tenant', c.slug])).toMatchObject({
      status: 1,
      stdout: `tenant ${c.slug}: checkpoint at seq ${head.seq} is not signed with this installation's AUDIT_KEY (forged?)\n`,
    });
    // Nor does a checkpoint file edited to agree with the shortened chain.
    const edited = join(dir, 'edited.json');
    const original = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
    writeFileSync(edited, JSON.stringify({ ...original, seq: Number(head.seq), hash: head.hash }));
    expect(cli(['audit:verify', '--checkpoint', edited])).toMatchObject({
      status: 1,
      stderr: `nolan audit:verify: the checkpoint file ${edited} cannot be trusted: its signature does not match this installation’s AUDIT_KEY (altered or forged?)\n`,
    });
  });

  it('records signed checkpoints of every council on an hourly schedule in the worker', async () => {
    expect(JobSchedulers.ids).toContain(AUDIT_CHECKPOINT_JOB);
    expect(AUDIT_CHECKPOINT_PATTERN).toBe('5 * * * *');
    const c = await council('audit-scheduled');
    const moduleRef = await Test.createTestingModule({ imports: [CoreModule, AuditModule] }).compile();
    await moduleRef.init();
    try {
      expect(await moduleRef.get(AuditCheckpoints).checkpointAll()).toBeGreaterThan(0);
    } finally {
      await moduleRef.close();
    }
    const checkpoints = await owner.query(
      `SELECT seq, signature FROM audit_checkpoints WHERE tenant_id = $1`,
      [c.id],
    );
    expect(checkpoints.rows).toHaveLength(1);
    expect(checkpoints.rows[0].signature).toMatch(/^[0-9a-f]{64}$/);
    expect(cli(['audit:verify', '--tenant', c.slug])).toMatchObject({ status: 0 });
  });

  it('gives the signed checkpoint to the monitoring officer only', async () => {
    const c = await council('audit-who');
    const investigator = await fixtures.user(c.id, ['investigator']);
    const token = await signInAs(server(), c.slug, investigator);
    await request(server())
      .get('/api/v1/oversight/audit-checkpoint')
      .auth(token, { type: 'bearer' })
      .expect(403);
  });
});
