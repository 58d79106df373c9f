/**
 * The dependency rule (docs/architecture.md "The dependency rule") is a lint error, not a convention: this
 * suite feeds the workspace's own ESLint config imports that break it and checks each one is refused.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const eslintBin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** ESLint in its own process (its flat config is an ES module, which Jest's VM cannot import). */
async function lintAs(file: string, code: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    [eslintBin, '--stdin', '--stdin-filename', file, '--format', 'json'],
    {
      cwd: root,
      input: code,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('refuses a framework import in libs/domain', async () => {
    const messages = await lintAs(
      'libs/domain/src/lib/bad.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    );
    expect(messages.join('\n')).toMatch(/@nestjs\/common/);
  });

  it('refuses an import of our own libraries in libs/domain', async () => {
    const messages = await lintAs(
      'libs/domain/src/lib/bad.ts',
      "import { CryptoError } from '@nolan/crypto';\nexport const x = CryptoError;\n",
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it('refuses openpgp anywhere but libs/crypto', async () => {
    const code = "import * as openpgp from 'openpgp';\nexport const x = openpgp;\n";
    expect((await lintAs('apps/api/src/bad.ts', code)).join('\n')).toMatch(/openpgp/);
    expect((await lintAs('libs/domain/src/lib/bad.ts', code)).join('\n')).toMatch(/openpgp/);
    expect(await lintAs('libs/crypto/src/lib/fine.ts', code)).toEqual([]);
  });

  it('refuses an app importing another app', async () => {
    const messages = await lintAs(
      'apps/portal/src/bad.ts',
      "import { AppModule } from '../../api/src/app/app.module';\nexport const x = AppModule;\n",
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it('accepts the domain library from an app', async () => {
    expect(
      await lintAs(
        'apps/api/src/fine.ts',
        "import { CATEGORIES } from '@nolan/domain';\nexport const x = CATEGORIES;\n",
      ),
    ).toEqual([]);
  });
});
