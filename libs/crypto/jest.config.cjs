// Jest config for libs/crypto. Plain CommonJS rather than jest.config.ts: Jest 30 on Node 20 can only read
// a TypeScript config through ts-node or esbuild-register, and the workspace has neither.
module.exports = {
  displayName: 'crypto',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  coverageDirectory: '../../coverage/libs/crypto',
};
