/** The environment every e2e suite runs in; loaded before any module reads its configuration. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://nolan_test_app@127.0.0.1:5432/nolan_test',
  MIGRATION_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nolan_test',
  REDIS_URL: 'redis://127.0.0.1:6379/13',
  REDIS_PREFIX: 'nolan-test',
  SESSION_SECRET: 'test-session-secret-0123456789-abcdefghijklmnop',
  RECEIPT_PEPPER: 'test-receipt-pepper-0123456789-abcdefghijklmnop',
  LOG_LEVEL: 'silent',
} as const;

Object.assign(process.env, TEST_ENV);
