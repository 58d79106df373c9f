import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case door holds a case for work that writes only once it has admitted the caller
 * (docs/architecture.md "Placement", docs/case-core.md). In the query that finds the case it only tries
 * the hold, for a caller with no exclusion on the case (`nolan_try_hold_case`, never waiting): held at
 * once, the work goes on with what that query read; held by a placement pass at that moment, the door
 * waits for the pass (`nolan_hold_case`) and reads the case again, so the work sees the rows as put back
 * and any revocation or exclusion committed meanwhile. An excluded person never holds a case nor waits on
 * a pass, so their 404 never says that a reporter's batch is being placed there.
 */
const CASE_LOCKS = 1763905100;

export class DoorTriesTheHold1763905750000 implements MigrationInterface {
  name = 'DoorTriesTheHold1763905750000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION nolan_try_hold_case(case_id uuid) RETURNS boolean
      LANGUAGE sql SET search_path = public, pg_temp AS $$
        SELECT pg_try_advisory_xact_lock_shared(${CASE_LOCKS}, hashtext(case_id::text))
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_try_hold_case(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_try_hold_case(uuid) TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION nolan_try_hold_case(uuid)`);
  }
}
