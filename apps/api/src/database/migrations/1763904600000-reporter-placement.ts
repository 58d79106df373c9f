import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Where a reporter's rows sit in a table (docs/architecture.md "Reporter time", "Placement"): a dump
 * lists each table's rows in physical order, which follows insertion, so a reporter's case and items
 * written at once would sit between the staff rows written before and after them. Every row inserted or
 * updated in a transaction that holds its work for a batch (ReporterTime.releaseAt sets
 * `nolan.release_at`) is noted in `held_placement` by a trigger on each table a reporter's action writes;
 * at the boundary `nolan_release_placement` moves each noted row (a case with every row that refers to
 * it) out and back in, in random order, so its physical place is taken at the batch's release, after the
 * hour's staff rows. Both functions run as the tables' owner: the API's role has no DELETE on cases or
 * the outbox, and needs none on `held_placement`.
 */
const TRACKED: readonly { table: string; key: readonly string[] }[] = [
  { table: 'cases', key: ['id'] },
  { table: 'case_items', key: ['id'] },
  { table: 'case_grants', key: ['id'] },
  { table: 'case_scope_keys', key: ['case_id', 'scope'] },
  { table: 'reporter_keys', key: ['case_id'] },
  { table: 'outbox', key: ['id'] },
];

export class ReporterPlacement1763904600000 implements MigrationInterface {
  name = 'ReporterPlacement1763904600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE held_placement (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      rel regclass NOT NULL,
      row_key jsonb NOT NULL,
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      release_at timestamptz NOT NULL
    )`);
    await isolateByTenant(q, 'held_placement');
    // Readable by the API's role like every tenant table (under row-level security); written only by the
    // functions below, as the owner.
    await q.query(`GRANT SELECT ON held_placement TO nolan_app_rw`);
    await q.query(`CREATE INDEX held_placement_release_idx ON held_placement (tenant_id, release_at)`);

    await q.query(`CREATE FUNCTION nolan_hold_placement() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        release timestamptz := nullif(current_setting('nolan.release_at', true), '')::timestamptz;
      BEGIN
        IF release IS NULL THEN RETURN NULL; END IF;
        INSERT INTO held_placement (rel, row_key, tenant_id, release_at)
        SELECT TG_RELID::regclass, jsonb_object_agg(k, to_jsonb(NEW) -> k), NEW.tenant_id, release
          FROM unnest(TG_ARGV) AS k;
        RETURN NULL;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_hold_placement() FROM PUBLIC`);
    for (const { table, key } of TRACKED) {
      await q.query(`CREATE TRIGGER ${table}_held_placement AFTER INSERT OR UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION nolan_hold_placement(${key.map((k) => `'${k}'`).join(', ')})`);
    }

    // One row out and back in, with every row of another table that refers to it (a case's items,
    // grants, keys, reads…), which would otherwise go with it (ON DELETE CASCADE) or stop it.
    await q.query(`CREATE FUNCTION nolan_move_row(target regclass, row_key jsonb) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        match text;
        parent jsonb;
        child record;
        snapshots jsonb[] := '{}';
        child_tables regclass[] := '{}';
        snapshot jsonb;
        i integer;
      BEGIN
        SELECT string_agg(format('t.%1$I = (jsonb_populate_record(NULL::%2$s, $1)).%1$I', k, target), ' AND ')
          INTO match FROM jsonb_object_keys(row_key) AS k;
        EXECUTE format('SELECT to_jsonb(t) FROM %s t WHERE %s FOR UPDATE', target, match) INTO parent USING row_key;
        IF parent IS NULL THEN RETURN 0; END IF;
        FOR child IN
          SELECT c.conrelid::regclass AS rel,
                 string_agg(
                   (SELECT string_agg(format('c.%I = (jsonb_populate_record(NULL::%s, $1)).%I',
                                             ca.attname, target, pa.attname), ' AND ')
                      FROM unnest(c.conkey, c.confkey) AS pair(ck, pk)
                      JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = pair.ck
                      JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = pair.pk),
                   ' OR ') AS cond
            FROM pg_constraint c
           WHERE c.contype = 'f' AND c.confrelid = target
           GROUP BY c.conrelid
        LOOP
          -- One level only: a row of a child table that others referred to could not be put back whole.
          IF EXISTS (SELECT 1 FROM pg_constraint g WHERE g.contype = 'f' AND g.confrelid = child.rel) THEN
            RAISE EXCEPTION 'nolan_move_row: % is referred to by another table', child.rel;
          END IF;
          EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY gen_random_uuid()), ''[]'') FROM %s c WHERE %s',
                         child.rel, child.cond)
            INTO snapshot USING parent;
          EXECUTE format('DELETE FROM %s c WHERE %s', child.rel, child.cond) USING parent;
          child_tables := array_append(child_tables, child.rel);
          snapshots := array_append(snapshots, snapshot);
        END LOOP;
        EXECUTE format('DELETE FROM %s t WHERE %s', target, match) USING row_key;
        EXECUTE format('INSERT INTO %s OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::%s, $1)',
                       target, target) USING parent;
        FOR i IN 1 .. coalesce(array_length(child_tables, 1), 0) LOOP
          EXECUTE format('INSERT INTO %s OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_recordset(NULL::%s, $1)',
                         child_tables[i], child_tables[i]) USING snapshots[i];
        END LOOP;
        RETURN 1;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_move_row(regclass, jsonb) FROM PUBLIC`);

    // Called in each council's release transaction; a row that cannot be moved stays noted (and where it
    // is) for the next pass, without stopping the others or the audit release after it.
    await q.query(`CREATE FUNCTION nolan_release_placement(boundary timestamptz) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        held record;
        moved integer := 0;
      BEGIN
        -- What this pass writes back is no reporter's doing, whatever the transaction held before.
        PERFORM set_config('nolan.release_at', '', true);
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
        RETURN moved;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_release_placement(timestamptz) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_release_placement(timestamptz) TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION nolan_release_placement(timestamptz)`);
    await q.query(`DROP FUNCTION nolan_move_row(regclass, jsonb)`);
    for (const { table } of TRACKED) await q.query(`DROP TRIGGER ${table}_held_placement ON ${table}`);
    await q.query(`DROP FUNCTION nolan_hold_placement()`);
    await q.query(`DROP TABLE held_placement`);
  }
}
