/**
 * Issue #17: a documented backup and a restore into a fresh database that the same people can read
 * (docs/threat-model.md "Backup and restore"). Reports (one with a file) and a handler's note go in; the
 * operator's `backup FILE` dumps the database; `restore FILE` puts it into a NEW database; the API is
 * started against that database with an empty Redis namespace (Redis is never backed up), and the same
 * handler reads the report, the note and the file, the reporter's receipt still signs in, every audit
 * chain verifies, and the app role and row-level security hold as they did before.
 *
 * The source is a database of its own, migrated as a new council's would be: the worker's shared test
 * database holds chains other suites break on purpose (audit.e2e-spec.ts), which `audit:verify` and
 * `restore` rightly report.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import request from 'supertest';
import { ensureAppRole, ensureDatabase, runMigrations } from '../../apps/api/src/database/provision';
import { startApi } from '../support/api-app';
import { cli } from '../support/cli';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const FILE_CONTENT = 'Ledger extract: invoice 1042 paid twice';
const NOTE = 'Finance confirmed two payments.';

/** supertest buffers text bodies as strings and binary ones not at all: read every body as bytes. */
function bytes(res: request.Test): request.Test {
  return res.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

function urlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function sql<T = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** What row-level security and the app role's privileges look like in a database, to compare two. */
async function guards(ownerUrl: string) {
  const tables = await sql<{ table: string; rls: boolean; forced: boolean; policies: string }>(
    ownerUrl,
    `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
            (SELECT string_agg(p.polname || ':' || pg_get_expr(p.polqual, p.polrelid), ',' ORDER BY p.polname)
               FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY c.relname`,
  );
  const grants = await sql<{ grant: string }>(
    ownerUrl,
    `SELECT table_name || ':' || privilege_type AS grant FROM information_schema.role_table_grants
      WHERE grantee = 'nolan_app_rw' ORDER BY 1`,
  );
  return { tables, grants: grants.map((g) => g.grant) };
}

describe('backup and restore into a new database', () => {
  const base = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
  const sourceDb = `${base}_backup_source`;
  const sourceEnv = {
    MIGRATION_DATABASE_URL: urlFor(TEST_ENV.MIGRATION_DATABASE_URL, sourceDb),
    DATABASE_URL: urlFor(TEST_ENV.DATABASE_URL, sourceDb),
  };
  const restoredDb = `${base}_restored`;
  const restoredEnv = {
    MIGRATION_DATABASE_URL: urlFor(TEST_ENV.MIGRATION_DATABASE_URL, restoredDb),
    DATABASE_URL: urlFor(TEST_ENV.DATABASE_URL, restoredDb),
  };
  const dir = mkdtempSync(join(tmpdir(), 'nolan-backup-'));
  const file = join(dir, 'council.dump');
  let source: INestApplication;
  let restored: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let s151: TestUser;
  let otherMo: TestUser;
  let admin: TestUser;
  let reference: string;
  let receipt: string;
  let verifiedBefore: string[];
  let restoreRun: ReturnType<typeof cli>;

  const drop = (database: string) =>
    sql(
      urlFor(TEST_ENV.MIGRATION_DATABASE_URL, 'postgres'),
      `DROP DATABASE IF EXISTS ${escapeIdentifier(database)} WITH (FORCE)`,
    );
  const dropRestored = () => drop(restoredDb);

  /** Starts the API on another database (its environment only while Nest reads its configuration). */
  async function startApiOn(env: Record<string, string>): Promise<INestApplication> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return await startApi();
    } finally {
      for (const key of ['MIGRATION_DATABASE_URL', 'DATABASE_URL', 'REDIS_PREFIX'] as const)
        process.env[key] = saved[key];
    }
  }
  const ours = (lines: string[]) =>
    lines.filter((l) => l.startsWith(`tenant ${tenant.slug}:`) || l.startsWith(`tenant ${other.slug}:`));

  beforeAll(async () => {
    await dropRestored();
    await drop(sourceDb);
    await ensureDatabase(sourceEnv.MIGRATION_DATABASE_URL);
    await runMigrations(sourceEnv.MIGRATION_DATABASE_URL);
    await ensureAppRole(sourceEnv.MIGRATION_DATABASE_URL, sourceEnv.DATABASE_URL);
    source = await startApiOn(sourceEnv);
    fixtures = await StaffFixtures.open(sourceEnv.DATABASE_URL);
    tenant = await fixtures.tenant('backup');
    other = await fixtures.tenant('backup-other');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    otherMo = await fixtures.user(other.id, ['monitoring_officer']);
    const server = source.getHttpServer();
    const sent = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'fraud_theft',
          answers: { whatHappened: 'Duplicate invoices', howYouKnow: 'documents', raisedBefore: 'no' },
          altcha: await solvedAltcha(server, tenant.slug),
        }),
      )
      .attach('files', Buffer.from(FILE_CONTENT), 'ledger.txt')
      .expect(201);
    ({ reference, receipt } = sent.body);
    await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const token = await signInAs(server, tenant.slug, s151, -1);
    await request(server)
      .post(`/api/v1/cases/${reference}/notes`)
      .auth(token, { type: 'bearer' })
      .send({ text: NOTE })
      .expect(201);
    const verify = cli(['audit:verify'], sourceEnv);
    expect(verify.status).toBe(0);
    verifiedBefore = ours(verify.stdout.trim().split('\n'));

    const backup = cli(['backup', file], sourceEnv);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    restoreRun = cli(['restore', file], restoredEnv);

    // The restored API: the new database, and a Redis namespace nothing has written to.
    restored = await startApiOn({ ...restoredEnv, REDIS_PREFIX: `nolan-restored-${Date.now()}` });
  }, 180_000);

  afterAll(async () => {
    await restored?.close();
    await source?.close();
    await fixtures?.close();
    await dropRestored();
    await drop(sourceDb);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the backup readable by its owner only, and never over an existing file', () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = cli(['backup', file], sourceEnv);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`nolan backup: ${file} already exists; a backup never overwrites a file\n`);
  });

  it('restores into the new database and verifies every audit chain there, as before the backup', () => {
    expect(restoreRun.stderr).toBe('');
    expect(restoreRun.status).toBe(0);
    const lines = restoreRun.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^restored \\d+ tables into database "${restoredDb}"$`));
    expect(lines[1]).toBe('migrations: up to date');
    expect(verifiedBefore).toHaveLength(2);
    expect(verifiedBefore.every((l) => /chain intact/.test(l))).toBe(true);
    expect(ours(lines)).toEqual(verifiedBefore);
    // And the operator's own audit:verify against the restored database agrees.
    const verify = cli(['audit:verify', '--tenant', tenant.slug], restoredEnv);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`^tenant ${tenant.slug}: \\d+ entries, chain intact`));
  });

  it('restores only into a new, empty database', () => {
    const again = cli(['restore', file], restoredEnv);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(
        `^nolan restore: database "${restoredDb}" is not empty \\(\\d+ tables\\); restore only into a new database\\n$`,
      ),
    );
    const missing = cli(['restore', join(dir, 'nothing.dump')], restoredEnv);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`nolan restore: ${join(dir, 'nothing.dump')} does not exist\n`);
  });

  it('lets the same handler sign in and read the report, the note and the file', async () => {
    const server = restored.getHttpServer();
    const token = await signInAs(server, tenant.slug, s151, 1);
    const view = await request(server)
      .get(`/api/v1/cases/${reference}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(view.body)).toContain('Duplicate invoices');
    const timeline = await request(server)
      .get(`/api/v1/cases/${reference}/timeline`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    const events = timeline.body.events as {
      type: string;
      content: unknown;
      files: { id: string; name: string }[];
    }[];
    expect(events.find((e) => e.type === 'note')?.content).toEqual({ text: NOTE });
    const files = events.find((e) => e.type === 'received')?.files ?? [];
    expect(files.map((f) => f.name)).toEqual(['ledger.txt']);
    const download = await bytes(
      request(server).get(`/api/v1/cases/${reference}/files/${files[0]?.id}`).auth(token, { type: 'bearer' }),
    ).expect(200);
    expect((download.body as Buffer).toString('utf8')).toBe(FILE_CONTENT);
  });

  it("lets the reporter's receipt sign in and read their case and file", async () => {
    const server = restored.getHttpServer();
    const token = await signInWithReceipt(server, tenant.slug, receipt);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.reference).toBe(reference);
    const file = await bytes(
      request(server)
        .get(`/api/v1/reporter/case/files/${view.body.attachments[0].id}`)
        .auth(token, { type: 'bearer' }),
    ).expect(200);
    expect((file.body as Buffer).toString('utf8')).toBe(FILE_CONTENT);
  });

  it('keeps row-level security, its policies and the app role’s privileges exactly as in the source', async () => {
    const before = await guards(sourceEnv.MIGRATION_DATABASE_URL);
    const after = await guards(restoredEnv.MIGRATION_DATABASE_URL);
    expect(after).toEqual(before);
    expect(after.tables.length).toBeGreaterThan(10);
    expect(after.tables.every((t) => t.rls && t.forced && /tenant_isolation/.test(t.policies))).toBe(true);
    const [role] = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
      restoredEnv.MIGRATION_DATABASE_URL,
      `SELECT r.rolsuper, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owns
         FROM pg_roles r WHERE r.rolname = $1`,
      [new URL(restoredEnv.DATABASE_URL).username],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owns: 0 });
  });

  it('binds the app role on the restored database: no tenant, no rows; one tenant, only its rows; the audit trail append-only', async () => {
    const app = new Client({ connectionString: restoredEnv.DATABASE_URL });
    await app.connect();
    try {
      expect((await app.query('SELECT count(*)::int AS n FROM cases')).rows).toEqual([{ n: 0 }]);
      await app.query('BEGIN');
      await app.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [other.id]);
      expect(
        (await app.query('SELECT count(*)::int AS n FROM cases WHERE reference = $1', [reference])).rows,
      ).toEqual([{ n: 0 }]);
      await app.query('ROLLBACK');
      await app.query('BEGIN');
      await app.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      expect((await app.query('SELECT count(*)::int AS n FROM cases')).rows).toEqual([{ n: 2 }]);
      await expect(app.query('UPDATE audit_entries SET action = action')).rejects.toThrow(
        /permission denied for table audit_entries/,
      );
      await app.query('ROLLBACK');
    } finally {
      await app.end();
    }
  });

  it('refuses the case over HTTP to another council’s handler and to an administrator, as an unknown reference', async () => {
    const server = restored.getHttpServer();
    const tokens = [
      await signInAs(server, other.slug, otherMo, 1),
      await signInAs(server, tenant.slug, admin, 1),
    ];
    const unknown = await request(server)
      .get('/api/v1/cases/NLN-AAAA-AAAA')
      .auth(tokens[0] as string, { type: 'bearer' })
      .expect(404);
    for (const token of tokens) {
      const res = await request(server)
        .get(`/api/v1/cases/${reference}`)
        .auth(token, { type: 'bearer' })
        .expect(404);
      expect(res.body).toEqual(unknown.body);
    }
  });
});
