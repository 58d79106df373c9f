/**
 * Once per e2e run: a fresh nolan_test database migrated by the real `migrate` code path, the app
 * role provisioned without superuser or BYPASSRLS, and an empty Redis test database.
 */
import Redis from 'ioredis';
import { Client, escapeIdentifier } from 'pg';
import { ensureAppRole, ensureDatabase, runMigrations } from '../../apps/api/src/database/provision';
import { TEST_ENV } from './test-env';

export default async function globalSetup(): Promise<void> {
  const url = new URL(TEST_ENV.MIGRATION_DATABASE_URL);
  const database = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(database)} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(TEST_ENV.MIGRATION_DATABASE_URL);
  await runMigrations(TEST_ENV.MIGRATION_DATABASE_URL);
  await ensureAppRole(TEST_ENV.MIGRATION_DATABASE_URL, TEST_ENV.DATABASE_URL);
  const redis = new Redis(TEST_ENV.REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
}
