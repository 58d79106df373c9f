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

/** One pass of its own for `tenantId` up to `boundary`, committed: what it moved and the warnings it raised. */
export async function onePlacementPass(
  tenantId: string,
  boundary: Date,
): Promise<{ moved: number; warnings: string[] }> {
  const pass = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
  const warnings: string[] = [];
  pass.on('notice', (notice) => warnings.push(notice.message ?? ''));
  await pass.connect();
  try {
    await pass.query('BEGIN');
    await pass.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await pass.query<{ moved: number }>(`SELECT nolan_release_placement($1) AS moved`, [
      boundary,
    ]);
    await pass.query('COMMIT');
    return { moved: rows[0]!.moved, warnings };
  } finally {
    await pass.end();
  }
}

/**
 * Runs `work` while a pass of its own, for `tenantId` up to `boundary`, holds the cases it moved (not yet
 * committed), and commits the pass once `work` is done, whatever it did.
 */
export async function whilePlacementPassHolds<T>(
  tenantId: string,
  boundary: Date,
  work: () => Promise<T>,
): Promise<T> {
  const pass = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
  await pass.connect();
  try {
    await pass.query('BEGIN');
    await pass.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
    await pass.query(`SELECT nolan_release_placement($1)`, [boundary]);
    return await work();
  } finally {
    await pass.query('COMMIT');
    await pass.end();
  }
}

/** What `answer` settles to within 1.5 s, or 'still waiting'. */
export function answeredAtOnce<T>(answer: Promise<T>): Promise<T | 'still waiting'> {
  return Promise.race([
    answer,
    new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 1500)),
  ]);
}
