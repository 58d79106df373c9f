import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case is never kept unplaced for good, nor silently (docs/architecture.md "Placement"). The pass only
 * tries each case's lock (EveryWriterHoldsTheCase1763905100000), so shared holds that overlap (a long
 * transaction, a login holding the lock by hand, writes one after another) could leave a case's rows
 * where the reporter's action wrote them at every pass, and the noted rows would tell a later dump which
 * rows are the reporter's. So each noted row counts the passes that left it (`skips`), each such pass
 * raises a warning (the table and the count: never a case or a row), and a pass first takes, waiting, the
 * lock of one case left three passes or a minute past its release: a waiting exclusive request queues new
 * shared ones behind it, so the holds that were there end and no new one starts until the pass commits.
 * It waits at most half a second (`lock_timeout`), and at the start of the pass, when the pass holds no
 * case and not the audit trail's lock, so no writer can be waiting on it meanwhile.
 */
const CASE_LOCKS = 1763905100;
const STARVED_AFTER_SKIPS = 3;
const STARVED_AFTER = `interval '1 minute'`;

const releasePlacement = (
  waiting: boolean,
) => `CREATE OR REPLACE FUNCTION nolan_release_placement(boundary timestamptz)
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    held record;
    moved integer := 0;
    ${waiting ? 'starved text;' : ''}
  BEGIN
    -- What this pass writes back is no reporter's doing, whatever the transaction held before.
    PERFORM set_config('nolan.release_at', '', true);
    -- The append-only author_keys lets this pass (alone) take out and put back the rows it notes.
    PERFORM set_config('nolan.placing', 'on', true);
    ${
      waiting
        ? `-- One case passed over too long is waited for, first, while this pass holds nothing else.
    SELECT nolan_case_of(h.rel, h.row_key) INTO starved FROM held_placement h
     WHERE h.tenant_id = nolan_current_tenant() AND h.release_at <= boundary
       AND (h.skips >= ${STARVED_AFTER_SKIPS} OR h.release_at <= boundary - ${STARVED_AFTER})
     ORDER BY gen_random_uuid() LIMIT 1;
    IF starved IS NOT NULL THEN PERFORM nolan_place_case_waiting(starved); END IF;`
        : ''
    }
    -- Rows that others refer to (a case) first, each with its own, then the rest; each in random order.
    FOR held IN
      SELECT h.id, h.rel, h.row_key${waiting ? ', h.skips' : ''} FROM held_placement h
       WHERE h.tenant_id = nolan_current_tenant() AND h.release_at <= boundary
       ORDER BY EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = h.rel) DESC,
                gen_random_uuid()
    LOOP
      BEGIN
        -- A case a writer holds is left for the next pass; one this pass holds stays held until it commits.
        IF NOT nolan_place_case(nolan_case_of(held.rel, held.row_key)) THEN
          ${
            waiting
              ? `UPDATE held_placement SET skips = skips + 1 WHERE id = held.id;
          RAISE WARNING 'nolan_release_placement: a % row left for the next pass, its case held (passed over % times)',
            held.rel, held.skips + 1;`
              : ''
          }
          CONTINUE;
        END IF;
        moved := moved + nolan_move_row(held.rel, held.row_key);
        DELETE FROM held_placement WHERE id = held.id;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'nolan_release_placement: % left in place for the next pass: %', held.rel, SQLERRM;
      END;
    END LOOP;
    PERFORM set_config('nolan.placing', '', true);
    RETURN moved;
  END $$`;

export class PlacementWaitsForAStarvedCase1763905400000 implements MigrationInterface {
  name = 'PlacementWaitsForAStarvedCase1763905400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE held_placement ADD COLUMN skips integer NOT NULL DEFAULT 0`);
    // The case alone, waiting at most half a second; false if it timed out (or Postgres broke a deadlock).
    await q.query(`CREATE FUNCTION nolan_place_case_waiting(case_id text) RETURNS boolean
      LANGUAGE plpgsql SET search_path = public, pg_temp SET lock_timeout = '500ms' AS $$
      BEGIN
        IF case_id IS NULL THEN RETURN true; END IF;
        PERFORM pg_advisory_xact_lock(${CASE_LOCKS}, hashtext(case_id));
        RETURN true;
      EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
        RETURN false;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_place_case_waiting(text) FROM PUBLIC`);
    await q.query(releasePlacement(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(releasePlacement(false));
    await q.query(`DROP FUNCTION nolan_place_case_waiting(text)`);
    await q.query(`ALTER TABLE held_placement DROP COLUMN skips`);
  }
}
