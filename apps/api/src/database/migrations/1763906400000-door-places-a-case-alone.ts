import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case door places a released case still in its held table only when it holds the case alone
 * (docs/architecture.md "Held tables"). Every writer holds a case shared, the door too, so the door's
 * move (a delete from `cases_held` and an insert into `cases`) could run while another writer — a
 * reporter naming people, whose re-routing updates the case's row — held it as well: that writer's update
 * then found the row gone and updated nothing, and the case kept an assignee the reporter had named. Now
 * the move first tries to hold the case alone, at once (never waiting, so two doors never wait on each
 * other): held by another writer, it is refused as a lock not obtained (55P03), which the API answers
 * with a 503 and Retry-After, and the pass or the next try places it once that writer is done.
 */
const CASE_LOCKS = 1763905100;

const placeHeldCase = (alone: boolean) => `CREATE OR REPLACE FUNCTION nolan_place_held_case(case_id uuid)
  RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    found jsonb;
    was_placing text := current_setting('nolan.placing', true);
  BEGIN
    ${
      alone
        ? `IF EXISTS (SELECT 1 FROM ONLY cases_held c WHERE c.id = case_id AND c.tenant_id = nolan_current_tenant())
       AND NOT pg_try_advisory_xact_lock(${CASE_LOCKS}, hashtext(case_id::text)) THEN
      RAISE EXCEPTION 'another writer holds the case' USING ERRCODE = '55P03';
    END IF;`
        : ''
    }
    DELETE FROM ONLY cases_held c WHERE c.id = case_id AND c.tenant_id = nolan_current_tenant()
      RETURNING to_jsonb(c) INTO found;
    IF found IS NULL THEN RETURN false; END IF;
    PERFORM set_config('nolan.placing', 'on', true);
    INSERT INTO cases SELECT * FROM jsonb_populate_record(NULL::cases, found);
    PERFORM set_config('nolan.placing', coalesce(was_placing, ''), true);
    DELETE FROM held_placement h
     WHERE h.rel = 'cases'::regclass AND h.row_key = jsonb_build_object('id', case_id);
    RETURN true;
  END $$`;

export class DoorPlacesACaseAlone1763906400000 implements MigrationInterface {
  name = 'DoorPlacesACaseAlone1763906400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(placeHeldCase(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(placeHeldCase(false));
  }
}
