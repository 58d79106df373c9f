/**
 * One place sets a transaction's tenant (apps/api/src/database/tenant-transaction.ts `setTenant`, which
 * `inTenant` uses): it keeps the note of the tenant that the audit trail and the system key's read use
 * instead of asking Postgres (docs/performance.md "Intake's statements"). A tenant set anywhere else in
 * the application would leave that note older than the setting, so this suite fails on any other place
 * in apps/ or libs/ that sets `nolan.tenant_id`, the migrations aside (they run before any note exists).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const SETS_TENANT = /set_config\(\s*'nolan\.tenant_id'|\bSET\s+(LOCAL\s+)?(SESSION\s+)?"?nolan\.tenant_id/i;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('where the tenant is set', () => {
  it('only setTenant (and the migrations) set nolan.tenant_id in the application', () => {
    const setters = ['apps', 'libs']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((file) => SETS_TENANT.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
      .filter((file) => !file.startsWith('apps/api/src/database/migrations/'));
    expect(setters).toEqual(['apps/api/src/database/tenant-transaction.ts']);
  });

  it('would notice a second place', () => {
    expect(SETS_TENANT.test("await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [id]);")).toBe(
      true,
    );
    expect(SETS_TENANT.test('SET LOCAL nolan.tenant_id = 42')).toBe(true);
    expect(SETS_TENANT.test("current_setting('nolan.tenant_id', true)")).toBe(false);
  });
});
