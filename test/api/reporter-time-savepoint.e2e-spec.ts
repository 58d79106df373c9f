/**
 * Reporter time's memo of a transaction's mark and release (apps/api/src/reporter-time/reporter-time.ts,
 * docs/performance.md "What serialised intake") follows only the transaction's own level: a rollback to
 * a savepoint undoes the settings noted in it, so work inside a savepoint must ask Postgres, or a
 * transaction would go on believing itself reporter-caused (or placed at a release) that Postgres no
 * longer holds, and the rows it wrote next would not be held or placed (docs/architecture.md "Reporter
 * time").
 */
import type { DataSource, QueryRunner } from 'typeorm';
import type { AppConfig } from '../../apps/api/src/config/config';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { ReporterTime, reporterCaused } from '../../apps/api/src/reporter-time/reporter-time';
import { Clock } from '../../apps/api/src/sla/clock';
import { TEST_ENV } from '../support/test-env';

class FixedClock extends Clock {
  now(): Date {
    return new Date('2026-03-02T10:17:00Z');
  }
}

describe('reporter time in a savepoint', () => {
  let app: DataSource;
  let runner: QueryRunner;
  const time = new ReporterTime({ reporterBatching: true } as AppConfig, new FixedClock());
  const setting = async (name: string) =>
    (
      (await runner.query(`SELECT nullif(current_setting($1, true), '') AS v`, [name])) as {
        v: string | null;
      }[]
    )[0]?.v ?? null;

  beforeAll(async () => {
    app = createDataSource(TEST_ENV.DATABASE_URL);
    await app.initialize();
  });
  beforeEach(async () => {
    runner = app.createQueryRunner();
    await runner.startTransaction();
  });
  afterEach(async () => {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  });
  afterAll(async () => {
    await app.destroy();
  });

  it('forgets a mark made in a savepoint that is rolled back', async () => {
    await runner.startTransaction(); // a savepoint
    await reporterCaused(runner.manager, undefined);
    expect(await time.isReporterCaused(runner.manager)).toBe(true);
    await runner.rollbackTransaction(); // to the savepoint: the mark is gone in Postgres
    expect(await setting('nolan.origin')).toBeNull();
    expect(await time.isReporterCaused(runner.manager)).toBe(false);
  });

  it('notes the release again after a savepoint that noted it is rolled back', async () => {
    await reporterCaused(runner.manager, undefined); // the transaction's own mark, kept
    await runner.startTransaction();
    const release = await time.releaseAt(runner.manager);
    await runner.rollbackTransaction();
    expect(await setting('nolan.release_at')).toBeNull();
    // Asked again at the transaction's level, it notes the release in Postgres, where placement reads it.
    expect((await time.releaseAt(runner.manager)).toISOString()).toBe(release.toISOString());
    expect(await setting('nolan.release_at')).toBe(release.toISOString());
    expect(await time.isReporterCaused(runner.manager)).toBe(true);
  });
});
