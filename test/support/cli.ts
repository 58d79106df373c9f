import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_ENV } from './test-env';

const root = join(__dirname, '..', '..');

/** Runs an operator command from source (apps/api/src/cli.ts) in the test environment. */
export function cli(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...TEST_ENV, SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
