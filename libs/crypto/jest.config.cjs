// CommonJS: Jest 30 on Node 20 reads a TypeScript config only through ts-node, which we do not install.
module.exports = {
  displayName: 'crypto',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/crypto',
  // Staff keys use the real Argon2 (t=3, p=4, 64 MiB, ~0.6 s an unlock alone): with the other projects'
  // tests on the same two cores, a test making and unlocking several keys can pass Jest's 5 s default.
  testTimeout: 30_000,
};
