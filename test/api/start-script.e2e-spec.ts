import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['scripts/start.js'], {
    cwd: root,
    env: { ...process.env, NOLAN_DEMO_DIR: mkdtempSync(join(tmpdir(), 'nolan-start-')), ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('npm start', () => {
  it('fails fast with one line naming PostgreSQL when it cannot be reached', () => {
    const run = start({ MIGRATION_DATABASE_URL: 'postgres://postgres@127.0.0.1:5439/nolan' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^nolan: cannot reach PostgreSQL at 127\.0\.0\.1:5439 \(ECONNREFUSED\); start it or set/,
      ),
    ]);
  });

  it('fails fast with one line naming Redis when it cannot be reached', () => {
    const run = start({ REDIS_URL: 'redis://127.0.0.1:6390' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^nolan: cannot reach Redis at 127\.0\.0\.1:6390 \(ECONNREFUSED\); start it or set REDIS_URL/,
      ),
    ]);
  });
});
