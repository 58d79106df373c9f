/**
 * Backup and restore of a council database (`cli backup FILE`, `cli restore FILE`; docs/threat-model.md
 * "Backup and restore"). Postgres is the only thing to back up: Redis holds sessions, single-use markers,
 * counters and queues, all rebuilt (the reconciler re-creates every timer from Postgres), and the secrets
 * live in the environment, never in the database, so they are kept apart from the dump.
 *
 * The dump is PostgreSQL's custom format from the machine's own pg_dump (the server's major version or
 * newer); the restore goes only into a new, empty database, owned by whoever runs the migrations there,
 * with the grants to `nolan_app_rw` kept and the login role re-made by the same provisioning as
 * `migrate`, so row-level security binds the API exactly as before (docs/architecture.md "Row-level
 * security").
 */
import { execFile } from 'node:child_process';
import { openSync, closeSync, statSync, unlinkSync, existsSync } from 'node:fs';
import { Client } from 'pg';
import { ensureAppRole, ensureDatabase, runMigrations } from './provision';

/** pg_dump and pg_restore take the password from the environment, never the command line (`ps`). */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    dbname: parsed.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(
          new Error(`${tool} not found: install the PostgreSQL client (the server's major version or newer)`),
        );
      }
      const why = stderr.trim().split('\n').slice(0, 3).join(' / ') || error.message;
      reject(new Error(`${tool} failed: ${why}`));
    });
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Tables in the archive, as `pg_restore --list` names them: the check that a file is a whole dump. */
async function tablesIn(file: string): Promise<number> {
  const list = await run('pg_restore', ['--list', file], process.env);
  return list.split('\n').filter((line) => / TABLE (?!DATA )/.test(line)).length;
}

export interface BackupResult {
  file: string;
  bytes: number;
  tables: number;
}

/**
 * Dumps the whole database as its owner. Every tenant table forces row-level security, which binds even
 * its owner, so the dump needs a superuser or a role with BYPASSRLS; anything else would dump empty
 * tables, and pg_dump refuses that, so the command says so first.
 */
export async function backupDatabase(ownerUrl: string, file: string): Promise<BackupResult> {
  if (!file) throw new Error('backup needs a file to write: backup FILE');
  if (existsSync(file)) throw new Error(`${file} already exists; a backup never overwrites a file`);
  const canRead = await withClient(ownerUrl, async (client) => {
    const { rows } = await client.query(
      'SELECT rolsuper OR rolbypassrls AS ok FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0]?.ok === true;
  });
  if (!canRead) {
    throw new Error(
      'MIGRATION_DATABASE_URL must name a superuser or a BYPASSRLS role: every tenant table forces row-level security',
    );
  }
  // Created 0600 before pg_dump writes into it: the file holds what a copy of the database holds.
  closeSync(openSync(file, 'wx', 0o600));
  const { dbname, env } = connection(ownerUrl);
  try {
    await run('pg_dump', ['--format=custom', '--compress=6', `--file=${file}`, `--dbname=${dbname}`], env);
    return { file, bytes: statSync(file).size, tables: await tablesIn(file) };
  } catch (error) {
    unlinkSync(file);
    throw error;
  }
}

export interface RestoreResult {
  database: string;
  tables: number;
  migrations: string[];
}

/**
 * Restores a dump into the database MIGRATION_DATABASE_URL names, which must be new or empty (never over
 * live data), then brings it up to this version's migrations and provisions the login role of
 * DATABASE_URL. The group role `nolan_app_rw` is cluster-wide, so on a new server it is made first, for
 * the dump's grants to land on.
 */
export async function restoreDatabase(
  ownerUrl: string,
  appUrl: string,
  file: string,
): Promise<RestoreResult> {
  if (!file) throw new Error('restore needs the backup file to read: restore FILE');
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const tables = await tablesIn(file).catch(() => {
    throw new Error(`${file} is not a backup made by "backup" (pg_restore cannot read it)`);
  });
  const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1));
  await ensureDatabase(ownerUrl);
  await withClient(ownerUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    if (rows[0].n > 0) {
      throw new Error(
        `database "${database}" is not empty (${rows[0].n} tables); restore only into a new database`,
      );
    }
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nolan_app_rw') THEN
        CREATE ROLE nolan_app_rw NOLOGIN;
      END IF;
    END $$`);
  });
  const { dbname, env } = connection(ownerUrl);
  await run(
    'pg_restore',
    ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`, file],
    env,
  );
  const migrations = await runMigrations(ownerUrl);
  await ensureAppRole(ownerUrl, appUrl);
  return { database, tables, migrations };
}
