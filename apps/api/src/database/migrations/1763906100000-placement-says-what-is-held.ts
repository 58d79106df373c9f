import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The placement pass's warning says what kept a row from its place (docs/architecture.md "Placement"):
 * its case, held by a writer of that case, or its council, held by a writer of many cases (staff key
 * recovery: `nolan_hold_council`, ManyCaseWritersHoldTheCouncil1763905700000), which keeps every reporter
 * row of the council where it is for as long as it runs. The warning said "its case held" for both, so an
 * operator looking for a stuck writer looked for the wrong one. `nolan_place_case` tries the council first
 * and keeps it once it has it, so after a refusal the pass asks once more for the council, at once: if it
 * has it (or now gets it), the case was held; if not, the council is. Still the table and the count only,
 * never a case or a row. Otherwise nolan_release_placement is as PlacementWaitsForAStarvedCase1763905400000
 * made it.
 */
const COUNCIL_LOCKS = 1763905700;
const STARVED_AFTER_SKIPS = 3;
const STARVED_AFTER = `interval '1 minute'`;

const releasePlacement = (
  says: boolean,
) => `CREATE OR REPLACE FUNCTION nolan_release_placement(boundary timestamptz)
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    held record;
    moved integer := 0;
    starved text;
    council uuid := nolan_current_tenant();
  BEGIN
    -- What this pass writes back is no reporter's doing, whatever the transaction held before.
    PERFORM set_config('nolan.release_at', '', true);
    -- The append-only author_keys lets this pass (alone) take out and put back the rows it notes.
    PERFORM set_config('nolan.placing', 'on', true);
    -- One case passed over too long is waited for, first, while this pass holds nothing else.
    SELECT nolan_case_of(h.rel, h.row_key) INTO starved FROM held_placement h
     WHERE h.tenant_id = nolan_current_tenant() AND h.release_at <= boundary
       AND (h.skips >= ${STARVED_AFTER_SKIPS} OR h.release_at <= boundary - ${STARVED_AFTER})
     ORDER BY gen_random_uuid() LIMIT 1;
    IF starved IS NOT NULL THEN PERFORM nolan_place_case_waiting(starved); END IF;
    -- Rows that others refer to (a case) first, each with its own, then the rest; each in random order.
    FOR held IN
      SELECT h.id, h.rel, h.row_key, h.skips FROM held_placement h
       WHERE h.tenant_id = nolan_current_tenant() AND h.release_at <= boundary
       ORDER BY EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = h.rel) DESC,
                gen_random_uuid()
    LOOP
      BEGIN
        -- A case a writer holds is left for the next pass; one this pass holds stays held until it commits.
        IF NOT nolan_place_case(nolan_case_of(held.rel, held.row_key)) THEN
          UPDATE held_placement SET skips = skips + 1 WHERE id = held.id;
          ${
            says
              ? `IF council IS NULL OR NOT pg_try_advisory_xact_lock(${COUNCIL_LOCKS}, hashtext(council::text)) THEN
            RAISE WARNING 'nolan_release_placement: a % row left for the next pass, its council held by a writer of many cases (passed over % times)',
              held.rel, held.skips + 1;
          ELSE
            RAISE WARNING 'nolan_release_placement: a % row left for the next pass, its case held (passed over % times)',
              held.rel, held.skips + 1;
          END IF;`
              : `RAISE WARNING 'nolan_release_placement: a % row left for the next pass, its case held (passed over % times)',
            held.rel, held.skips + 1;`
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

export class PlacementSaysWhatIsHeld1763906100000 implements MigrationInterface {
  name = 'PlacementSaysWhatIsHeld1763906100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(releasePlacement(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(releasePlacement(false));
  }
}
