// CommonJS: Jest 30 on Node 20 reads a TypeScript config only through ts-node, which we do not install.
module.exports = {
  displayName: 'contract',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/contract',
};
