import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two more tables a reporter's action writes take their place at the batch's release (docs/architecture.md
 * "Placement"), as ReporterPlacement does for the others:
 *
 * - `author_keys`: the reporter's key is pinned when they first sign (`owner_kind` 'reporter', `owner_id`
 *   their case's id). Left where it was written, the row would sit between the staff keys pinned before
 *   and after it, in report order. It has no foreign key to its case, so it is moved on its own (by id),
 *   in the batch's random order like every other noted row. The table is append-only (a trigger refuses
 *   UPDATE and DELETE, to its owner too); its DELETE is now allowed only for the move: inside
 *   `nolan_release_placement`, which turns `nolan.placing` on for its pass, and only for a row noted in
 *   `held_placement`, which only the placement trigger (as the owner) writes. The API's role has no DELETE
 *   on the table at all, so the setting gives it nothing.
 * - `case_exclusions`: a reporter naming people after intake writes an exclusion for each to a case
 *   already in place; a case's rows move with the case, but this one was written alone.
 */
const TRACKED: readonly { table: string; key: readonly string[] }[] = [
  { table: 'author_keys', key: ['id'] },
  { table: 'case_exclusions', key: ['case_id', 'user_id'] },
];

/** ReporterPlacement's pass, as it was, with `nolan.placing` on while it runs. */
const releasePlacement = (
  placing: boolean,
) => `CREATE OR REPLACE FUNCTION nolan_release_placement(boundary timestamptz)
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    held record;
    moved integer := 0;
  BEGIN
    -- What this pass writes back is no reporter's doing, whatever the transaction held before.
    PERFORM set_config('nolan.release_at', '', true);
    ${
      placing
        ? `-- The append-only author_keys lets this pass (alone) take out and put back the rows it notes.
    PERFORM set_config('nolan.placing', 'on', true);`
        : ''
    }
    -- Rows that others refer to (a case) first, each with its own, then the rest; each in random order.
    FOR held IN
      SELECT h.id, h.rel, h.row_key FROM held_placement h
       WHERE h.tenant_id = nolan_current_tenant() AND h.release_at <= boundary
       ORDER BY EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = h.rel) DESC,
                gen_random_uuid()
    LOOP
      BEGIN
        moved := moved + nolan_move_row(held.rel, held.row_key);
        DELETE FROM held_placement WHERE id = held.id;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'nolan_release_placement: % left in place for the next pass: %', held.rel, SQLERRM;
      END;
    END LOOP;
    ${placing ? `PERFORM set_config('nolan.placing', '', true);` : ''}
    RETURN moved;
  END $$`;

export class PlacementOfKeysAndExclusions1763904850000 implements MigrationInterface {
  name = 'PlacementOfKeysAndExclusions1763904850000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, key } of TRACKED) {
      await q.query(`CREATE TRIGGER ${table}_held_placement AFTER INSERT OR UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION nolan_hold_placement(${key.map((k) => `'${k}'`).join(', ')})`);
    }
    await q.query(`CREATE FUNCTION nolan_refuse_author_key_change() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('nolan.placing', true) = 'on'
           AND EXISTS (SELECT 1 FROM held_placement h
                        WHERE h.rel = TG_RELID::regclass AND h.row_key = jsonb_build_object('id', OLD.id)) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`DROP TRIGGER author_keys_append_only ON author_keys`);
    await q.query(`CREATE TRIGGER author_keys_append_only BEFORE UPDATE OR DELETE ON author_keys
      FOR EACH ROW EXECUTE FUNCTION nolan_refuse_author_key_change()`);
    await q.query(releasePlacement(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(releasePlacement(false));
    await q.query(`DROP TRIGGER author_keys_append_only ON author_keys`);
    await q.query(`CREATE TRIGGER author_keys_append_only BEFORE UPDATE OR DELETE ON author_keys
      FOR EACH ROW EXECUTE FUNCTION nolan_refuse_audit_change()`);
    await q.query(`DROP FUNCTION nolan_refuse_author_key_change()`);
    for (const { table } of TRACKED) await q.query(`DROP TRIGGER ${table}_held_placement ON ${table}`);
  }
}
