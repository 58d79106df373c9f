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
  } finally {
    await client.end();
  }
}
