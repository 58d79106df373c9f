/**
 * The environment every e2e suite runs in; loaded before any module reads its configuration.
 * NOLAN_TEST_DB and NOLAN_TEST_REDIS_DB let two runs on one machine keep out of each other's way.
 */
const database = process.env.NOLAN_TEST_DB ?? 'nolan_test';
const redisDb = process.env.NOLAN_TEST_REDIS_DB ?? '13';

export const TEST_ENV = {
  NODE_ENV: 'test',
  DATABASE_URL: `postgres://nolan_test_app@127.0.0.1:5432/${database}`,
  MIGRATION_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
  REDIS_URL: `redis://127.0.0.1:6379/${redisDb}`,
  REDIS_PREFIX: 'nolan-test',
  SESSION_SECRET: 'test-session-secret-0123456789-abcdefghijklmnop',
  RECEIPT_PEPPER: 'test-receipt-pepper-0123456789-abcdefghijklmnop',
  EXPORT_SIGNING_SECRET: 'test-export-signing-secret-0123456789-abcdefgh',
  LOG_LEVEL: 'silent',
} as const;

Object.assign(process.env, TEST_ENV);
