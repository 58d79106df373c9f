/**
 * Once per e2e run, for each jest worker (test-env.ts): a fresh database migrated by the real `migrate`
 * code path, the app role provisioned without superuser or BYPASSRLS, and an empty Redis database.
 */
import type { Config } from '@jest/types';
import Redis from 'ioredis';
import Module from 'node:module';
import { Client, escapeIdentifier } from 'pg';
import { testEnvFor } from './test-env';

async function prepare(env: ReturnType<typeof testEnvFor>): Promise<void> {
  // Loaded only now, once the aliases resolve (mapModuleNames); a CommonJS require, as jest loads this file.
  const provision =
    require('../../apps/api/src/database/provision') as typeof import('../../apps/api/src/database/provision');
  const { ensureAppRole, ensureDatabase, runMigrations } = provision;
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

/**
 * Jest's moduleNameMapper does not apply to global set-up, but a migration may import a library by its
 * alias (1763904800000 checks signatures with @nolan/crypto): resolve the aliases here as jest.config.js
 * maps them for the suites.
 */
function mapModuleNames(projectConfig: Config.ProjectConfig): void {
  const mapped = projectConfig.moduleNameMapper.map(([from, to]) => [new RegExp(from), to] as const);
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, ...rest) {
    const found = mapped.find(([from]) => from.test(request));
    return resolve.call(this, found ? request.replace(found[0], found[1]) : request, ...rest);
  };
}

export default async function globalSetup(
  globalConfig: Config.GlobalConfig,
  projectConfig: Config.ProjectConfig,
): Promise<void> {
  mapModuleNames(projectConfig);
  // One after the other: ensureAppRole creates a cluster-wide role, which two at once would race on.
  for (let worker = 1; worker <= Math.max(1, globalConfig.maxWorkers); worker++)
    await prepare(testEnvFor(worker));
}
