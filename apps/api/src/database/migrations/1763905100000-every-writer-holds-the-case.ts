import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One lock for a case between the placement pass and everyone who writes to it (docs/architecture.md
 * "Placement"). The pass takes a case's rows out and puts them back; a row written meanwhile against one
 * of them (a reporter's message to a case being moved, its receipt replaced) would fail its foreign key,
 * or update nothing. So every writer of a case holds it first (`nolan_hold_case`, shared: writers never
 * wait for one another), and the pass moves a noted row only if it can hold the row's case alone
 * (`pg_try_advisory_xact_lock`, never waiting): a writer then waits for the pass to commit and writes
 * against the rows as put back, and a case a writer holds is left, where it is, for the next pass. A
 * transaction-level advisory lock in a key space of its own (two 32-bit keys; the audit trail's lock
 * uses one 64-bit key), so it names no row version and survives the move.
 */
const CASE_LOCKS = 1763905100;

/** The pass as PlacementOfKeysAndExclusions left it, and now holding each row's case before moving it. */
const releasePlacement = (
  holding: boolean,
) => `CREATE OR REPLACE FUNCTION nolan_release_placement(boundary timestamptz)
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    held record;
    moved integer := 0;
  BEGIN
    -- What this pass writes back is no reporter's doing, whatever the transaction held before.
    PERFORM set_config('nolan.release_at', '', true);
    -- The append-only author_keys lets this pass (alone) take out and put back the rows it notes.
    PERFORM set_config('nolan.placing', 'on', true);
    -- Rows that others refer to (a case) first, each with its own, then the rest; each in random order.
    FOR held IN
      SELECT h.id, h.rel, h.row_key FROM held_placement h
       WHERE h.tenant_id = nolan_current_tenant() AND h.release_at <= boundary
       ORDER BY EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = h.rel) DESC,
                gen_random_uuid()
    LOOP
      BEGIN
        ${
          holding
            ? `-- A case a writer holds is left for the next pass; one this pass holds stays held until it commits.
        IF NOT nolan_place_case(nolan_case_of(held.rel, held.row_key)) THEN
          CONTINUE;
        END IF;`
            : ''
        }
        moved := moved + nolan_move_row(held.rel, held.row_key);
        DELETE FROM held_placement WHERE id = held.id;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'nolan_release_placement: % left in place for the next pass: %', held.rel, SQLERRM;
      END;
    END LOOP;
    PERFORM set_config('nolan.placing', '', true);
    RETURN moved;
  END $$`;

export class EveryWriterHoldsTheCase1763905100000 implements MigrationInterface {
  name = 'EveryWriterHoldsTheCase1763905100000';

  async up(q: QueryRunner): Promise<void> {
    // Taken by every writer of a case before its first write (holdCase in reporter-time/case-hold.ts).
    await q.query(`CREATE FUNCTION nolan_hold_case(case_id uuid) RETURNS void
      LANGUAGE sql SET search_path = public, pg_temp AS $$
        SELECT pg_advisory_xact_lock_shared(${CASE_LOCKS}, hashtext(case_id::text))
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_hold_case(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_hold_case(uuid) TO nolan_app_rw`);

    // The pass's side: the case alone, at once or not at all (a row of no case needs no lock).
    await q.query(`CREATE FUNCTION nolan_place_case(case_id text) RETURNS boolean
      LANGUAGE sql SET search_path = public, pg_temp AS $$
        SELECT case_id IS NULL OR pg_try_advisory_xact_lock(${CASE_LOCKS}, hashtext(case_id))
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_place_case(text) FROM PUBLIC`);

    // The case a noted row belongs to: a case's own id, its rows' case_id, an outbox row's aggregate and
    // a reporter's author key's owner (their case).
    await q.query(`CREATE FUNCTION nolan_case_of(target regclass, row_key jsonb) RETURNS text
      LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
      DECLARE
        match text;
        found jsonb;
      BEGIN
        IF target = 'cases'::regclass THEN RETURN row_key ->> 'id'; END IF;
        IF row_key ? 'case_id' THEN RETURN row_key ->> 'case_id'; END IF;
        SELECT string_agg(format('t.%1$I = (jsonb_populate_record(NULL::%2$s, $1)).%1$I', k, target), ' AND ')
          INTO match FROM jsonb_object_keys(row_key) AS k;
        EXECUTE format('SELECT to_jsonb(t) FROM %s t WHERE %s', target, match) INTO found USING row_key;
        RETURN coalesce(found ->> 'case_id', found ->> 'aggregate_id', found ->> 'owner_id');
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_case_of(regclass, jsonb) FROM PUBLIC`);

    await q.query(releasePlacement(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(releasePlacement(false));
    await q.query(`DROP FUNCTION nolan_case_of(regclass, jsonb)`);
    await q.query(`DROP FUNCTION nolan_place_case(text)`);
    await q.query(`DROP FUNCTION nolan_hold_case(uuid)`);
  }
}
