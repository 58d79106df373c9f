/**
 * End-to-end suites: real Postgres (database nolan_test, per worker), real Redis (db 13, per worker), the
 * real Nest modules over HTTP with supertest. Type checking is `npm run typecheck`'s job, so ts-jest
 * only transpiles here (isolatedModules in test/tsconfig.json).
 */
module.exports = {
  displayName: 'e2e',
  rootDir: '..',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e-spec.ts'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@nolan/domain$': '<rootDir>/libs/domain/src/index.ts',
    '^@nolan/crypto$': '<rootDir>/libs/crypto/src/index.ts',
    '^@nolan/contract$': '<rootDir>/libs/contract/src/index.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  setupFiles: ['<rootDir>/test/support/test-env.ts', '<rootDir>/test/support/cheap-keys.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60_000,
  // Three workers, each with its own database and Redis database (test-env.ts): the suites spend much of
  // their time waiting on browsers, child processes and timers, so on two cores a third worker fills that
  // time (117 suites: 1,170 s with two workers, 876 s with three, on this machine).
  maxWorkers: 3,
  // A BullMQ connection to an unreachable Redis (the Redis-down suites) keeps a reconnect timer alive
  // after close; nothing else is left open (--detectOpenHandles finds none).
  forceExit: true,
};
