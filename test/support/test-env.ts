/**
 * The environment every e2e suite runs in; loaded before any module reads its configuration.
 * Each jest worker has a database and a Redis database of its own (global-setup.ts prepares one per
 * worker), so suites running side by side never see each other's outbox rows, queues, timers or rate
 * limits: worker 1 uses nolan_test and Redis db 13, worker 2 nolan_test_2 and db 14, worker 3 nolan_test_3 and db 15.
 * NOLAN_TEST_DB and NOLAN_TEST_REDIS_DB change the bases, so two runs on one machine keep apart too.
 */
export function testEnvFor(worker: number) {
  const base = process.env.NOLAN_TEST_DB ?? 'nolan_test';
  const database = worker > 1 ? `${base}_${worker}` : base;
  const redisDb = Number(process.env.NOLAN_TEST_REDIS_DB ?? '13') + worker - 1;
  if (redisDb > 15)
    throw new Error(`Redis has no database ${redisDb}: lower NOLAN_TEST_REDIS_DB or the workers`);
  return {
    NODE_ENV: 'test',
    DATABASE_URL: `postgres://nolan_test_app@127.0.0.1:5432/${database}`,
    MIGRATION_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    REDIS_URL: `redis://127.0.0.1:6379/${redisDb}`,
    REDIS_PREFIX: 'nolan-test',
    SESSION_SECRET: 'test-session-secret-0123456789-abcdefghijklmnop',
    RECEIPT_PEPPER: 'test-receipt-pepper-0123456789-abcdefghijklmnop',
    EXPORT_SIGNING_SECRET: 'test-export-signing-secret-0123456789-abcdefgh',
    AUDIT_KEY: 'test-audit-key-0123456789-abcdefghijklmnopqrstuv',
    MODE_TAG_SECRET: 'test-mode-tag-secret-0123456789-abcdefghijklmn',
    LOG_LEVEL: 'silent',
    // Suites written before reporter batching expect notices within seconds; reporter-time.e2e-spec.ts
    // turns it on (docs/architecture.md "Reporter time").
    REPORTER_BATCHING: 'off',
    // A port nothing listens on, as on CI: a suite that needs its e-mails starts a catcher and sets its
    // own SMTP_URL; without this, a suite's notices went to a demo's mail catcher on 127.0.0.1:1025.
    SMTP_URL: 'smtp://127.0.0.1:9',
  } as const;
}

export const TEST_ENV = testEnvFor(Number(process.env.JEST_WORKER_ID ?? '1'));

Object.assign(process.env, TEST_ENV);
