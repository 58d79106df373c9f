/**
 * Reporter time (docs/architecture.md "Reporter time"). The lower layers ask this service whether what
 * they write was caused by a reporter, and when it may become visible:
 * - a transaction that a reporter's action opened is marked with `reporterCaused(manager, reporterTime)` (one line at
 *   the top of the work; a transaction-local Postgres setting, so it ends with the transaction and can
 *   never leak into a pooled connection's next use);
 * - the audit trail holds every entry written in such a transaction (and every entry whose actor is a
 *   reporter) until the batch boundary, and the outbox stamps its rows with that boundary as their
 *   release time, so notices, `sent_at`, SLA scheduling and jobs all carry the batch's time.
 * The clock is injected (`Clock`), so tests move time instead of waiting an hour.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transactionOf } from '../database/tenant-transaction';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Clock } from '../sla/clock';
import { batchRelease, DEFAULT_BATCH_MINUTES, isBatchMinutes } from '@nolan/domain';
import { holdCase } from './case-hold';

const ORIGIN_SETTING = 'nolan.origin';
/** The transaction's origin setting, for a caller that reads it with something else (`holds`' `origin`). */
export const ORIGIN_SQL = `current_setting('${ORIGIN_SETTING}', true)`;
const RELEASE_SETTING = 'nolan.release_at';

/**
 * Marks the caller's transaction as caused by a reporter's action: everything the audit trail and the
 * outbox write in it is held until the batch boundary. The one-line flag for intake, the reporter's
 * routes and CaseRecorder with origin 'reporter', called before the transaction's first write. With
 * batching on it also notes the batch's release at once (`ReporterTime.releaseAt`), so that every row
 * the transaction goes on to write, not only those after its first audit entry or outbox row, is put
 * back in place at the release (docs/architecture.md "Placement"). Given the case it writes to (a
 * reporter's action after intake), it holds that case first, so the placement pass never moves its rows
 * under the transaction (`holdCase`).
 */
export async function reporterCaused(
  manager: EntityManager,
  time: ReporterTime | undefined,
  onCase?: string,
): Promise<void> {
  // A transaction on a case already in place holds it before its first write (case-hold.ts).
  if (onCase) await holdCase(manager, onCase);
  const runner = transactionOf(manager);
  if (runner && marked.has(runner)) {
    if (time?.batching) await time.releaseAt(manager);
    return;
  }
  if (!time?.batching) {
    await manager.query(`SELECT set_config('${ORIGIN_SETTING}', 'reporter', true)`);
    if (runner) marked.set(runner, { release: null });
    return;
  }
  // The mark and what `releaseAt` reads, in one round trip (docs/performance.md "Intake's statements").
  const [read]: ReleaseRead[] = await manager.query(
    `SELECT set_config('${ORIGIN_SETTING}', 'reporter', true) AS origin, ${RELEASE_READ_SQL}`,
  );
  if (runner) marked.set(runner, { release: null });
  await time.noteRelease(manager, read);
}

/** The council's batch in minutes, as stored (tenants.reporter_batch_minutes). */
const BATCH_MINUTES_SQL = `SELECT reporter_batch_minutes FROM tenants WHERE id = nolan_current_tenant()`;

/** The stored batch if it is one Nolan offers; the default if it is missing or not. */
function batchMinutesOf(stored: number | null | undefined): number {
  const minutes = stored ?? DEFAULT_BATCH_MINUTES;
  return isBatchMinutes(minutes) ? minutes : DEFAULT_BATCH_MINUTES;
}

/** What `releaseAt` reads: the release already noted in the transaction, and the council's batch. */
const RELEASE_READ_SQL = `nullif(current_setting('${RELEASE_SETTING}', true), '') AS at, (${BATCH_MINUTES_SQL}) AS minutes`;

interface ReleaseRead {
  at: string | null;
  minutes: number | null;
}

/**
 * What a reporter-caused transaction has already been told, so that the recorder, the audit trail and
 * the outbox, which each ask for every row they write, do not ask Postgres again (docs/performance.md
 * "What serialised intake"). Kept only for a transaction marked by `reporterCaused` (keyed by its query
 * runner, which a transaction alone uses, so it ends with it): the mark itself is never undone in a
 * transaction, and the release it notes is noted once and kept ("Once noted, the transaction keeps its
 * boundary"). Anything else still asks Postgres.
 *
 * Only at the transaction's own level, never inside a savepoint (a nested `transaction`): a rollback to
 * the savepoint undoes the settings noted in it, which a memo could not follow, so nested work always
 * asks Postgres and notes nothing here.
 */
const marked = new WeakMap<object, { release: Date | null }>();

@Injectable()
export class ReporterTime {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** False only in test suites that predate batching (REPORTER_BATCHING=off, refused outside tests). */
  get batching(): boolean {
    return this.config.reporterBatching;
  }

  now(): Date {
    return this.clock.now();
  }

  /**
   * Whether the caller's transaction was marked by `reporterCaused`. `origin`: the transaction's setting
   * as the caller already read it in a statement of its own (`ORIGIN_SQL`), so as not to ask again.
   */
  async isReporterCaused(manager: EntityManager, origin?: string | null): Promise<boolean> {
    if (marked.has(transactionOf(manager) ?? {})) return true;
    if (origin !== undefined) return origin === 'reporter';
    const rows: { origin: string | null }[] = await manager.query(
      `SELECT current_setting('${ORIGIN_SETTING}', true) AS origin`,
    );
    return rows[0]?.origin === 'reporter';
  }

  /** The council's batch in minutes (tenants.reporter_batch_minutes; the default if unreadable). */
  async batchMinutes(manager: EntityManager): Promise<number> {
    const rows: { minutes: number | null }[] = await manager.query(
      `SELECT (${BATCH_MINUTES_SQL}) AS minutes`,
    );
    return batchMinutesOf(rows[0]?.minutes);
  }

  /**
   * When something a reporter caused now may become visible: the current tenant's next boundary. Also
   * noted in the transaction (`nolan.release_at`, transaction-local), so that every row it goes on to
   * insert or update in a table a reporter's action writes is put back in place at that boundary
   * (migration ReporterPlacement: its physical place in a dump is then the release's, not the action's).
   */
  async releaseAt(manager: EntityManager): Promise<Date> {
    // Once noted, the transaction keeps its boundary: one that crosses a boundary while it runs must not
    // give its case one release time and its items the next.
    const memo = marked.get(transactionOf(manager) ?? {});
    if (memo?.release) return memo.release;
    // The noted release and the council's batch in one statement (the batch is used only if none is).
    const [read]: ReleaseRead[] = await manager.query(`SELECT ${RELEASE_READ_SQL}`);
    return this.noteRelease(manager, read);
  }

  /**
   * `releaseAt` from what it reads (`RELEASE_READ_SQL`), read by the caller: the release already noted in
   * the transaction, or the next boundary of the council's batch, noted now.
   */
  async noteRelease(manager: EntityManager, read: ReleaseRead | undefined): Promise<Date> {
    const memo = marked.get(transactionOf(manager) ?? {});
    if (read?.at) {
      const at = new Date(read.at);
      if (memo) memo.release = at;
      return at;
    }
    const release = batchRelease(this.now(), batchMinutesOf(read?.minutes));
    await manager.query(`SELECT set_config('${RELEASE_SETTING}', $1, true)`, [release.toISOString()]);
    if (memo) memo.release = release;
    return release;
  }

  /**
   * Whether what the caller writes now must be held for the batch: batching is on and the transaction
   * is reporter-caused (or the caller already knows the actor is a reporter).
   */
  async holds(manager: EntityManager, actorIsReporter = false, origin?: string | null): Promise<boolean> {
    if (!this.batching) return false;
    return actorIsReporter || (await this.isReporterCaused(manager, origin));
  }
}
