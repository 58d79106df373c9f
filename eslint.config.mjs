// One lint config for the workspace. The dependency rule (docs/architecture.md "The dependency rule") is
// enforced here: libs/domain imports nothing of ours and no framework; libs/crypto only libs/domain; only
// libs/crypto imports openpgp; apps never import each other.
import nx from '@nx/eslint-plugin';

const frameworks = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'bullmq',
  'ioredis',
  'express',
  'nunjucks',
  'openpgp',
  'pino',
  'nestjs-pino',
  'class-validator',
  'class-transformer',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', 'tmp', '.demo'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // Pure domain logic: nothing of ours, no framework, no I/O library, no crypto library.
            { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: [], bannedExternalImports: frameworks },
            // The only openpgp importer; may use domain types.
            {
              sourceTag: 'scope:crypto',
              onlyDependOnLibsWithTags: ['scope:domain'],
              bannedExternalImports: frameworks.filter((f) => f !== 'openpgp'),
            },
            // The HTTP API's shapes, shared by the API and the portal: types and constants, no framework.
            {
              sourceTag: 'scope:contract',
              onlyDependOnLibsWithTags: ['scope:domain'],
              bannedExternalImports: frameworks,
            },
            {
              sourceTag: 'scope:api',
              onlyDependOnLibsWithTags: ['scope:domain', 'scope:crypto', 'scope:contract'],
              bannedExternalImports: ['openpgp'],
            },
            // The portal reaches the API over HTTP only; it never decrypts anything itself.
            {
              sourceTag: 'scope:portal',
              onlyDependOnLibsWithTags: ['scope:domain', 'scope:contract'],
              bannedExternalImports: ['openpgp', 'typeorm', 'pg', 'bullmq'],
            },
            {
              sourceTag: 'scope:tests',
              onlyDependOnLibsWithTags: ['scope:domain', 'scope:crypto', 'scope:contract'],
            },
            {
              sourceTag: 'scope:tools',
              onlyDependOnLibsWithTags: ['scope:domain', 'scope:crypto', 'scope:contract'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests assert what they set up; a non-null assertion there is a statement of the fixture.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
