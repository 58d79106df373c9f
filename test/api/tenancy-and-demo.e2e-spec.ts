import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unlockPrivateKey } from '@nolan/crypto';
import { Client } from 'pg';
import { cli } from '../support/cli';
import { TEST_ENV } from '../support/test-env';

function seedDemo(demoDir: string): string {
  const run = cli(['seed-demo'], { NOLAN_DEMO_DIR: demoDir });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

async function asApp<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_ENV.DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('the demo tenant and tenant isolation', () => {
  const demoDir = mkdtempSync(join(tmpdir(), 'nolan-demo-'));
  let firstRun = '';

  beforeAll(() => {
    firstRun = seedDemo(demoDir);
  });

  it('seeds the demo tenant once, printing every role holder and writing credentials with TOTP secrets', () => {
    expect(firstRun).toContain('demo tenant "Demo Borough Council" created (slug demo)');
    const credentials = JSON.parse(readFileSync(join(demoDir, 'credentials.json'), 'utf8'));
    expect(statSync(join(demoDir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(credentials.tenant.slug).toBe('demo');
    const roles = credentials.users.flatMap((u: { roles: string[] }) => u.roles).sort();
    expect(roles).toEqual(
      [
        'administrator',
        'audit_committee_chair',
        'deputy_monitoring_officer',
        'head_of_paid_service',
        'investigator',
        'monitoring_officer',
        's151_officer',
        'safeguarding_lead',
      ].sort(),
    );
    for (const user of credentials.users) {
      expect(firstRun).toContain(user.email);
      expect(user.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(user.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    }
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    const before = await asApp((c) => c.query(`SELECT count(*)::int AS n FROM tenants`));
    const second = seedDemo(demoDir);
    expect(second).toContain('demo tenant: already present');
    expect(second).not.toContain('password');
    const after = await asApp((c) => c.query(`SELECT count(*)::int AS n FROM tenants`));
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('stores private keys locked under the password, TOTP secrets sealed and passwords as Argon2id', async () => {
    const credentials = JSON.parse(readFileSync(join(demoDir, 'credentials.json'), 'utf8'));
    const mo = credentials.users.find((u: { roles: string[] }) => u.roles.includes('monitoring_officer'));
    const row = await asApp(async (c) => {
      await c.query('BEGIN');
      const tenant = await c.query(`SELECT id FROM tenants WHERE slug = 'demo'`);
      await c.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.rows[0].id]);
      const user = await c.query(`SELECT * FROM staff_users WHERE email = $1`, [mo.email]);
      await c.query('COMMIT');
      return user.rows[0];
    });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.totp_secret_sealed).not.toContain(mo.totpSecret);
    expect(row.private_key_encrypted).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    await expect(unlockPrivateKey(row.private_key_encrypted, 'not the password')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    const unlocked = await unlockPrivateKey(row.private_key_encrypted, mo.password);
    expect(unlocked.fingerprint).toBe(row.key_fingerprint);
  });

  it('connects the API as a role that row-level security binds', async () => {
    const role = await asApp((c) =>
      c.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`),
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owner = await asApp((c) =>
      c.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'staff_users'`),
    );
    expect(owner.rows[0].tableowner).not.toBe('nolan_test_app');
  });

  it('returns no staff rows to a query without the tenant set, and only that tenant’s rows with it', async () => {
    const counts = await asApp(async (c) => {
      const without = await c.query(`SELECT count(*)::int AS n FROM staff_users`);
      await c.query('BEGIN');
      const tenant = await c.query(`SELECT id FROM tenants WHERE slug = 'demo'`);
      await c.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.rows[0].id]);
      const within = await c.query(`SELECT count(*)::int AS n FROM staff_users`);
      await c.query('COMMIT');
      const afterCommit = await c.query(`SELECT count(*)::int AS n FROM staff_users`);
      return { without: without.rows[0].n, within: within.rows[0].n, afterCommit: afterCommit.rows[0].n };
    });
    expect(counts).toEqual({ without: 0, within: 8, afterCommit: 0 });
  });

  it('forces row-level security on every table with a tenant_id, and returns nothing without the tenant set', async () => {
    const owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();
    const tables = (
      await owner.query(`SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
          (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname)::int AS policies
        FROM pg_class c JOIN information_schema.columns col ON col.table_name = c.relname AND col.column_name = 'tenant_id'
        WHERE c.relkind = 'r' AND col.table_schema = 'public' ORDER BY c.relname`)
    ).rows as { name: string; rls: boolean; forced: boolean; policies: number }[];
    await owner.end();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['staff_users', 'audit_entries', 'cases', 'case_grants', 'case_items']),
    );
    for (const table of tables) {
      expect({
        table: table.name,
        rls: table.rls,
        forced: table.forced,
        hasPolicy: table.policies > 0,
      }).toEqual({
        table: table.name,
        rls: true,
        forced: true,
        hasPolicy: true,
      });
      const visible = await asApp((c) => c.query(`SELECT count(*)::int AS n FROM ${table.name}`));
      expect({ table: table.name, rows: visible.rows[0].n }).toEqual({ table: table.name, rows: 0 });
    }
  });

  it('refuses to write a row into another tenant', async () => {
    await asApp(async (c) => {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('nolan.tenant_id', gen_random_uuid()::text, true)`);
      const demo = await c.query(`SELECT id FROM tenants WHERE slug = 'demo'`);
      await expect(
        c.query(
          `INSERT INTO staff_users (tenant_id, email, display_name, roles, password_hash, public_key, private_key_encrypted, key_fingerprint)
           VALUES ($1, 'x@example.org', 'X', '{investigator}', 'h', 'k', 'k', 'f')`,
          [demo.rows[0].id],
        ),
      ).rejects.toThrow(/row-level security/);
      await c.query('ROLLBACK');
    });
  });
});
