/**
 * Provisioning run by `cli migrate` as the tables' owner: create the database if it is missing, run
 * the migrations, and make sure the API's login role exists without superuser, BYPASSRLS or
 * ownership, so row-level security binds it (docs/architecture.md "Row-level security").
 */
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { createDataSource } from './data-source';

export async function ensureDatabase(ownerUrl: string): Promise<boolean> {
  const target = new URL(ownerUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(ownerUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
    return true;
  } finally {
    await client.end();
  }
}

export async function runMigrations(ownerUrl: string): Promise<string[]> {
  const dataSource = createDataSource(ownerUrl);
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

export async function ensureAppRole(ownerUrl: string, appUrl: string): Promise<void> {
  const app = new URL(appUrl);
  const role = decodeURIComponent(app.username);
  if (!role) throw new Error('DATABASE_URL must name the application role (postgres://ROLE@host/db)');
  const password = app.password ? ` PASSWORD ${escapeLiteral(decodeURIComponent(app.password))}` : '';
  const client = new Client({ connectionString: ownerUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const owner = await client.query('SELECT current_user AS name');
    if (owner.rows[0].name === role) {
      throw new Error(
        'DATABASE_URL must use a different role from MIGRATION_DATABASE_URL (row-level security)',
      );
    }
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = exists.rowCount ? 'ALTER' : 'CREATE';
    await client.query(
      `${verb} ROLE ${escapeIdentifier(role)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE${password}`,
    );
    await client.query(`GRANT nolan_app_rw TO ${escapeIdentifier(role)}`);
    await quietServerLog(client, role);
  } finally {
    await client.end();
  }
}

/**
 * What the database server writes to its own log about the API's sessions: nothing. The council's IT reads
 * that log, and by default it writes an error in a reporter's transaction (a lock timeout, a constraint)
 * at once, with the millisecond and the statement, which names a reporter's route (docs/threat-model.md
 * "Council IT"). The API logs its own errors, a reporter's only as its hour's count. Only
 * a superuser may set these for a role: an owner that is not one is told what to ask the DBA to run.
 */
export const QUIET_SERVER_LOG: readonly (readonly [string, string])[] = [
  ['log_min_messages', 'panic'],
  ['log_min_error_statement', 'panic'],
  ['log_min_duration_statement', '-1'],
  ['log_statement', 'none'],
  ['log_lock_waits', 'off'],
];

async function quietServerLog(client: Client, role: string): Promise<void> {
  const statements = QUIET_SERVER_LOG.map(
    ([name, value]) => `ALTER ROLE ${escapeIdentifier(role)} SET ${name} = ${escapeLiteral(value)}`,
  );
  try {
    for (const statement of statements) await client.query(statement);
  } catch {
    process.stderr.write(
      `nolan: could not keep the database server's log quiet for ${role}; ask the DBA to run:\n` +
        statements.map((s) => `  ${s};\n`).join(''),
    );
  }
}
