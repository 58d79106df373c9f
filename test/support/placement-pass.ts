/**
 * A batch release's placement pass held open (docs/architecture.md "Placement"): for the suites that
 * show a write made while the pass has moved a council's noted rows and not yet committed.
 */
import { Client } from 'pg';
import type request from 'supertest';
import { TEST_ENV } from './test-env';

/** Runs `write` while a pass of its own, for `tenantId` up to `boundary`, has moved rows and not committed. */
export async function duringPlacementPass(
  tenantId: string,
  boundary: Date,
  write: () => Promise<request.Response>,
): Promise<request.Response> {
  const pass = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
  await pass.connect();
  try {
    await pass.query('BEGIN');
    await pass.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await pass.query<{ moved: number }>(`SELECT nolan_release_placement($1) AS moved`, [
      boundary,
    ]);
    expect(rows[0]!.moved).toBeGreaterThan(0);
    const written = write();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await pass.query('COMMIT');
    return await written;
  } finally {
    await pass.end();
  }
}
