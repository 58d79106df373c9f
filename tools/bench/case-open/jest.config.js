// The e2e suites' configuration (test/jest.config.js: its own database per worker, cheap Argon2) for the
// case-open timing alone (case-open.timing.ts); see docs/performance.md "Round trips per case read".
const base = require('../../../test/jest.config.js');

module.exports = {
  ...base,
  rootDir: '../../..',
  roots: ['<rootDir>/tools/bench/case-open'],
  testMatch: ['**/case-open.timing.ts'],
  testTimeout: 600_000,
};
