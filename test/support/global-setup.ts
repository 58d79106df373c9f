/**
 * Once per e2e run, for each jest worker (test-env.ts): a fresh database migrated by the real `migrate`
 * code path, the app role provisioned without superuser or BYPASSRLS, and an empty Redis database.
 */
import type { Config } from '@jest/types';
import Redis from 'ioredis';
import { Client, escapeIdentifier } from 'pg';
import { ensureAppRole, ensureDatabase, runMigrations } from '../../apps/api/src/database/provision';
import { testEnvFor } from './test-env';

async function prepare(env: ReturnType<typeof testEnvFor>): Promise<void> {
  const url = new URL(env.MIGRATION_DATABASE_URL);
  const database = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(database)} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(env.MIGRATION_DATABASE_URL);
  await runMigrations(env.MIGRATION_DATABASE_URL);
  await ensureAppRole(env.MIGRATION_DATABASE_URL, env.DATABASE_URL);
  const redis = new Redis(env.REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
}

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  // One after the other: ensureAppRole creates a cluster-wide role, which two at once would race on.
  for (let worker = 1; worker <= Math.max(1, globalConfig.maxWorkers); worker++) await prepare(testEnvFor(worker));
}
