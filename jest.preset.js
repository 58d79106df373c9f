// Shared by every project's jest config: ts-jest with the project's own tsconfig.spec.json (which sets
// isolatedModules, so tests only transpile; type checking is the typecheck target's job).
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
};
