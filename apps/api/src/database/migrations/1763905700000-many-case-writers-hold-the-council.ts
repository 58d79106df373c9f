import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A writer of many cases holds their council, not each case (docs/architecture.md "Placement"). Staff key
 * recovery replaces a person's grant on every case they hold, in one transaction: for the monitoring
 * officer that is nearly every case of the council, and one advisory lock per case would need tens of
 * thousands of entries in Postgres's shared lock table (max_locks_per_transaction × max_connections, 6,400
 * by default), failing with "out of shared memory" and starving every other session's locks meanwhile.
 * So such a writer holds one lock for the council (`nolan_hold_council`, shared: two of them never wait
 * for each other), in a key space of its own, and the one function that decides whether the placement
 * pass may move a noted row, `nolan_place_case`, now takes that council's lock alone, at once, before the
 * row's case: a pass never moves a row while a many-case writer of its council is open (the rows are left,
 * each counting the pass that left it, as for a held case), and a many-case writer that comes while the
 * pass holds the council waits for the pass to commit. The pass waiting for a starved case
 * (PlacementWaitsForAStarvedCase1763905400000) waits for the council first, at most half a second each.
 */
const CASE_LOCKS = 1763905100;
const COUNCIL_LOCKS = 1763905700;

/** The pass's side of a case, as EveryWriterHoldsTheCase1763905100000 made it, or with the council first. */
const placeCase = (council: boolean) =>
  council
    ? `CREATE OR REPLACE FUNCTION nolan_place_case(case_id text) RETURNS boolean
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        council uuid := nolan_current_tenant();
      BEGIN
        -- A row of no case needs no lock.
        IF case_id IS NULL THEN RETURN true; END IF;
        -- No many-case writer of the council is open (this pass keeps the council until it commits) ...
        IF council IS NULL OR NOT pg_try_advisory_xact_lock(${COUNCIL_LOCKS}, hashtext(council::text)) THEN
          RETURN false;
        END IF;
        -- ... and the case alone.
        RETURN pg_try_advisory_xact_lock(${CASE_LOCKS}, hashtext(case_id));
      END $$`
    : `CREATE OR REPLACE FUNCTION nolan_place_case(case_id text) RETURNS boolean
      LANGUAGE sql SET search_path = public, pg_temp AS $$
        SELECT case_id IS NULL OR pg_try_advisory_xact_lock(${CASE_LOCKS}, hashtext(case_id))
      $$`;

/** The same, waiting at most half a second for each lock, as PlacementWaitsForAStarvedCase made it. */
const placeCaseWaiting = (
  council: boolean,
) => `CREATE OR REPLACE FUNCTION nolan_place_case_waiting(case_id text)
      RETURNS boolean LANGUAGE plpgsql SET search_path = public, pg_temp SET lock_timeout = '500ms' AS $$
      ${council ? 'DECLARE\n        council uuid := nolan_current_tenant();' : ''}
      BEGIN
        IF case_id IS NULL THEN RETURN true; END IF;
        ${
          council
            ? `IF council IS NULL THEN RETURN false; END IF;
        PERFORM pg_advisory_xact_lock(${COUNCIL_LOCKS}, hashtext(council::text));`
            : ''
        }
        PERFORM pg_advisory_xact_lock(${CASE_LOCKS}, hashtext(case_id));
        RETURN true;
      EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
        RETURN false;
      END $$`;

export class ManyCaseWritersHoldTheCouncil1763905700000 implements MigrationInterface {
  name = 'ManyCaseWritersHoldTheCouncil1763905700000';

  async up(q: QueryRunner): Promise<void> {
    // Taken by a writer of more cases than it holds one by one (holdCases in reporter-time/case-hold.ts),
    // before its first write; the council is the transaction's own (row-level security's setting).
    await q.query(`CREATE FUNCTION nolan_hold_council() RETURNS void
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        council uuid := nolan_current_tenant();
      BEGIN
        IF council IS NULL THEN
          RAISE EXCEPTION 'nolan_hold_council: no council set for this transaction';
        END IF;
        PERFORM pg_advisory_xact_lock_shared(${COUNCIL_LOCKS}, hashtext(council::text));
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_hold_council() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_hold_council() TO nolan_app_rw`);
    // Replaced in place (its grants kept): nolan_release_placement calls it for every noted row.
    await q.query(placeCase(true));
    await q.query(placeCaseWaiting(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(placeCaseWaiting(false));
    await q.query(placeCase(false));
    await q.query(`DROP FUNCTION nolan_hold_council()`);
  }
}
