const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: { path: join(__dirname, '../../dist/apps/portal'), clean: true },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      // The Nunjucks views travel beside the bundle: dist/apps/portal/views.
      assets: [
        { input: 'apps/portal/src/views', glob: '**/*', output: 'views' },
        { input: 'apps/portal/src/public', glob: '**/*', output: 'public' },
      ],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
