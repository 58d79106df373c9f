import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch's rows are kept out of the staff tables until its release (docs/architecture.md "Placement",
 * "Held tables"). Until now a reporter's rows were written among the hour's staff rows and moved out and
 * back in at the boundary, so a copy of the database taken before the boundary still bounded the action
 * by its neighbours' times. Each table a reporter's action writes now has a child that inherits it
 * (`cases_held () INHERITS (cases)`, and so on for the eight), with the parent's indexes, row-level
 * security and grants (a child inherits none of them) and no foreign keys:
 *
 * - a `BEFORE INSERT` trigger on the parent (`nolan_hold_row`, run as the caller, so the child's own
 *   policy and grants apply) writes a row inserted in a transaction holding work for a batch
 *   (`nolan.release_at` set) into the child and returns nothing; so does a row that refers to a case still
 *   held (a staff member's key recovery replacing a grant on it): it goes with its case. Every query
 *   naming the parent reads and updates the child's rows too, and `COPY` (so pg_dump) lists a parent's
 *   own rows only;
 * - the child's `AFTER INSERT` trigger notes the row in `held_placement` under its parent's name, as the
 *   placement trigger noted it before (the skips, the starvation rule and `placementOverdue` unchanged);
 * - the release pass (`nolan_release_placement`, unchanged, holding each case as before) moves each noted
 *   row with `nolan_move_row`, which now moves a row found in the child into its parent and deletes it
 *   from the child, cases first: the foreign keys are checked then, and a row that fails stays in the
 *   child, still readable, for the next pass. A noted row of the parent (a placed row a reporter's later
 *   action updated) is moved out and back in as before (`nolan_move_placed_row`, touching the parents'
 *   own rows only);
 * - uniqueness across parent and child is enforced by hand for the keys that matter (a unique index
 *   covers one table): the case reference and the receipt's lookup key, under a lock of their value, and a
 *   case's exclusion of a person, whose writers all ask for nothing if it is there already.
 */
export const HELD: readonly { table: string; key: readonly string[]; ofCase: boolean }[] = [
  { table: 'cases', key: ['id'], ofCase: false },
  { table: 'case_items', key: ['id'], ofCase: true },
  { table: 'case_grants', key: ['id'], ofCase: true },
  { table: 'case_scope_keys', key: ['case_id', 'scope'], ofCase: true },
  { table: 'reporter_keys', key: ['case_id'], ofCase: true },
  { table: 'outbox', key: ['id'], ofCase: false },
  { table: 'author_keys', key: ['id'], ofCase: false },
  { table: 'case_exclusions', key: ['case_id', 'user_id'], ofCase: true },
];

/** Unique across parent and child: the table, the unique column beside the council, the row's key. */
export const UNIQUE_BY_HAND: readonly { table: string; column: string; key: string; constraint: string }[] = [
  { table: 'cases', column: 'reference', key: 'id', constraint: 'cases_tenant_id_reference_key' },
  {
    table: 'reporter_keys',
    column: 'lookup_key',
    key: 'case_id',
    constraint: 'reporter_keys_tenant_id_lookup_key_key',
  },
];

/** The first nolan_hold_row (1763906000000-held-child-tables.ts); a later migration's down() puts it back. */
export const holdRowV1 = (create = 'CREATE') => `${create} FUNCTION nolan_hold_row() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
  DECLARE
    release text := nullif(current_setting('nolan.release_at', true), '');
  BEGIN
    -- The release pass puts rows into the parents: never back into a child.
    IF current_setting('nolan.placing', true) = 'on' THEN RETURN NEW; END IF;
    IF release IS NULL THEN
      -- TG_ARGV[0] = 'case': a row of a case that is still held goes with it (its foreign key could
      -- not be met in the parent until the case is placed).
      IF TG_NARGS = 0 THEN RETURN NEW; END IF;
      IF NOT EXISTS (SELECT 1 FROM ONLY cases_held h WHERE h.id = NEW.case_id) THEN RETURN NEW; END IF;
    END IF;
    EXECUTE format('INSERT INTO %I.%I SELECT ($1).*', TG_TABLE_SCHEMA, TG_TABLE_NAME || '_held') USING NEW;
    RETURN NULL;
  END $$`;

/** The first nolan_note_held_row; a later migration's down() puts it back. */
export const noteHeldRowV1 = (create = 'CREATE') => `${create} FUNCTION nolan_note_held_row() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    release timestamptz := nullif(current_setting('nolan.release_at', true), '')::timestamptz;
    parent regclass := TG_ARGV[0]::regclass;
  BEGIN
    IF release IS NULL THEN
      SELECT min(h.release_at) INTO release FROM held_placement h
       WHERE h.rel = 'cases'::regclass AND h.row_key = jsonb_build_object('id', to_jsonb(NEW) ->> 'case_id');
    END IF;
    INSERT INTO held_placement (rel, row_key, tenant_id, release_at)
    SELECT parent, jsonb_object_agg(k, to_jsonb(NEW) -> k), NEW.tenant_id, coalesce(release, now())
      FROM unnest(TG_ARGV[1:]) AS k;
    RETURN NULL;
  END $$`;

/** Locks of a unique value being written, in a key space of their own. */
const UNIQUE_LOCKS = 1763906000;

/**
 * One row out and back in with every row of another table that refers to it, as ReporterPlacement made
 * `nolan_move_row`; `only`: touching the tables' own rows, never a held child's (those are placed by their
 * own notes).
 */
const moveRow = (name: string, only: boolean) => {
  const o = only ? 'ONLY ' : '';
  return `CREATE OR REPLACE FUNCTION ${name}(target regclass, row_key jsonb) RETURNS integer
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
        EXECUTE format('SELECT to_jsonb(t) FROM ${o}%s t WHERE %s FOR UPDATE', target, match) INTO parent USING row_key;
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
          EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY gen_random_uuid()), ''[]'') FROM ${o}%s c WHERE %s',
                         child.rel, child.cond)
            INTO snapshot USING parent;
          EXECUTE format('DELETE FROM ${o}%s c WHERE %s', child.rel, child.cond) USING parent;
          child_tables := array_append(child_tables, child.rel);
          snapshots := array_append(snapshots, snapshot);
        END LOOP;
        EXECUTE format('DELETE FROM ${o}%s t WHERE %s', target, match) USING row_key;
        EXECUTE format('INSERT INTO %s OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::%s, $1)',
                       target, target) USING parent;
        FOR i IN 1 .. coalesce(array_length(child_tables, 1), 0) LOOP
          EXECUTE format('INSERT INTO %s OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_recordset(NULL::%s, $1)',
                         child_tables[i], child_tables[i]) USING snapshots[i];
        END LOOP;
        RETURN 1;
      END $$`;
};

export class HeldChildTables1763906000000 implements MigrationInterface {
  name = 'HeldChildTables1763906000000';

  async up(q: QueryRunner): Promise<void> {
    // The parent's insert, sent to its held child while the transaction holds work for a batch (or the
    // row's case is still held). Run as the caller: the child's own policy and grants apply to the write.
    await q.query(holdRowV1());
    await q.query(`REVOKE ALL ON FUNCTION nolan_hold_row() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_hold_row() TO nolan_app_rw`);

    // A held child's row noted for the release under its parent's name (TG_ARGV[0]), with its key (the
    // other arguments), as nolan_hold_placement notes a parent's: by the batch's release, or, for a row
    // that went with its held case, that case's.
    await q.query(noteHeldRowV1());
    await q.query(`REVOKE ALL ON FUNCTION nolan_note_held_row() FROM PUBLIC`);

    // A unique value checked across the parent and its child (the parent's query reads both), under a
    // lock of the value so two writers of it cannot both find it free. TG_ARGV: the parent, the column,
    // the row's key, the constraint named in the error.
    await q.query(`CREATE FUNCTION nolan_unique_with_held() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        value text := to_jsonb(NEW) ->> TG_ARGV[1];
        self text := to_jsonb(NEW) ->> TG_ARGV[2];
        taken boolean;
      BEGIN
        IF value IS NULL THEN RETURN NEW; END IF;
        PERFORM pg_advisory_xact_lock(${UNIQUE_LOCKS}, hashtext(TG_ARGV[0] || ':' || NEW.tenant_id || ':' || value));
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I t WHERE t.tenant_id = $1 AND t.%I::text = $2 AND t.%I::text <> $3)',
                       TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
          INTO taken USING NEW.tenant_id, value, self;
        IF taken THEN
          RAISE EXCEPTION 'duplicate key value violates unique constraint "%"', TG_ARGV[3]
            USING ERRCODE = 'unique_violation', CONSTRAINT = TG_ARGV[3], TABLE = TG_TABLE_NAME;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_unique_with_held() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_unique_with_held() TO nolan_app_rw`);

    // A case's exclusion of a person is written only if it is not there, in the parent or the child:
    // its writers all ask for nothing otherwise (ON CONFLICT DO NOTHING, which sees one table).
    await q.query(`CREATE FUNCTION nolan_exclusion_once() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = NEW.case_id AND x.user_id = NEW.user_id) THEN
          RETURN NULL;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_exclusion_once() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_exclusion_once() TO nolan_app_rw`);

    // author_keys_held is append-only as its parent is, to its owner too: a row may be deleted only by the
    // release pass moving it to the parent (noted under the parent's name).
    await q.query(`CREATE FUNCTION nolan_refuse_held_author_key_change() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('nolan.placing', true) = 'on'
           AND EXISTS (SELECT 1 FROM held_placement h
                        WHERE h.rel = 'author_keys'::regclass AND h.row_key = jsonb_build_object('id', OLD.id)) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);

    for (const { table, key, ofCase } of HELD) {
      const child = `${table}_held`;
      await q.query(`CREATE TABLE ${child} () INHERITS (${table})`);
      // The parent's indexes (its unique ones unique within the child; across both, see UNIQUE_BY_HAND).
      const indexes: { name: string; def: string }[] = await q.query(
        `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
          WHERE x.indrelid = $1::regclass ORDER BY i.relname`,
        [table],
      );
      for (const { name, def } of indexes) {
        const on = ` ON public.${table} `;
        if (!def.includes(on)) throw new Error(`unexpected index definition: ${def}`);
        await q.query(
          def.replace(` INDEX ${name} `, ` INDEX ${name}_held `).replace(on, ` ON public.${child} `),
        );
      }
      // Its tenant isolation: row-level security, forced, with the parent's policies.
      await q.query(`ALTER TABLE ${child} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${child} FORCE ROW LEVEL SECURITY`);
      const policies: {
        name: string;
        permissive: string;
        roles: string[] | string;
        cmd: string;
        qual: string | null;
        check: string | null;
      }[] = await q.query(
        `SELECT policyname AS name, permissive, roles, cmd, qual, with_check AS check
           FROM pg_policies WHERE schemaname = 'public' AND tablename = $1 ORDER BY policyname`,
        [table],
      );
      for (const p of policies) {
        const roles = (
          Array.isArray(p.roles)
            ? p.roles
            : String(p.roles)
                .replace(/^\{|\}$/g, '')
                .split(',')
        )
          .map((r) => (r === 'public' ? 'PUBLIC' : `"${r}"`))
          .join(', ');
        await q.query(
          `CREATE POLICY ${p.name} ON ${child} AS ${p.permissive} FOR ${p.cmd} TO ${roles}` +
            (p.qual ? ` USING (${p.qual})` : '') +
            (p.check ? ` WITH CHECK (${p.check})` : ''),
        );
      }
      // Its grants: the parent's, to every role but the owner.
      const grants: { grantee: string; privilege: string }[] = await q.query(
        `SELECT a.grantee::regrole::text AS grantee, a.privilege_type AS privilege
           FROM pg_class c, aclexplode(c.relacl) a
          WHERE c.oid = $1::regclass AND a.grantee <> c.relowner AND a.grantee <> 0`,
        [table],
      );
      for (const g of grants) await q.query(`GRANT ${g.privilege} ON ${child} TO ${g.grantee}`);

      await q.query(`CREATE TRIGGER ${child}_noted AFTER INSERT ON ${child}
        FOR EACH ROW EXECUTE FUNCTION nolan_note_held_row(${[table, ...key].map((k) => `'${k}'`).join(', ')})`);
      // Named to come after the parent's other BEFORE INSERT triggers (Postgres fires them by name).
      await q.query(`CREATE TRIGGER ${table}_zz_held_row BEFORE INSERT ON ${table}
        FOR EACH ROW EXECUTE FUNCTION nolan_hold_row(${ofCase ? `'case'` : ''})`);
    }

    for (const { table, column, key, constraint } of UNIQUE_BY_HAND) {
      for (const on of [table, `${table}_held`]) {
        await q.query(`CREATE TRIGGER ${on}_unique_${column} BEFORE INSERT OR UPDATE OF ${column}, tenant_id ON ${on}
          FOR EACH ROW EXECUTE FUNCTION nolan_unique_with_held('${table}', '${column}', '${key}', '${constraint}')`);
      }
    }
    await q.query(`CREATE TRIGGER case_exclusions_once BEFORE INSERT ON case_exclusions
      FOR EACH ROW EXECUTE FUNCTION nolan_exclusion_once()`);
    await q.query(`CREATE TRIGGER author_keys_held_append_only BEFORE UPDATE OR DELETE ON author_keys_held
      FOR EACH ROW EXECUTE FUNCTION nolan_refuse_held_author_key_change()`);
    await q.query(`CREATE TRIGGER author_keys_held_no_truncate BEFORE TRUNCATE ON author_keys_held
      FOR EACH STATEMENT EXECUTE FUNCTION nolan_refuse_audit_change()`);

    // What the pass does with each noted row (every version of nolan_release_placement calls
    // nolan_move_row, so it is replaced here, in place, and the pass is left as it is): out of its held
    // child into the parent if it is there, else out and back in within the parent as before.
    await q.query(moveRow('nolan_move_placed_row', true));
    await q.query(`REVOKE ALL ON FUNCTION nolan_move_placed_row(regclass, jsonb) FROM PUBLIC`);
    await q.query(`CREATE OR REPLACE FUNCTION nolan_move_row(target regclass, row_key jsonb) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        child regclass := to_regclass(target::text || '_held');
        match text;
        found jsonb;
      BEGIN
        IF child IS NOT NULL THEN
          SELECT string_agg(format('t.%1$I = (jsonb_populate_record(NULL::%2$s, $1)).%1$I', k, target), ' AND ')
            INTO match FROM jsonb_object_keys(row_key) AS k;
          EXECUTE format('DELETE FROM ONLY %s t WHERE %s RETURNING to_jsonb(t)', child, match) INTO found USING row_key;
          IF found IS NOT NULL THEN
            -- Into the parent: its foreign keys are checked now, and a failure rolls the delete back.
            EXECUTE format('INSERT INTO %s OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::%s, $1)',
                           target, target) USING found;
            RETURN 1;
          END IF;
        END IF;
        RETURN nolan_move_placed_row(target, row_key);
      END $$`);

    // A released case placed by staff work that writes to it before the pass has (the case door, holding
    // the case, so no pass moves it meanwhile): its row only, now, after the release; its other held rows
    // wait for the pass, which finds the case's note gone. Only the council's own case; false if placed.
    await q.query(`CREATE FUNCTION nolan_place_held_case(case_id uuid) RETURNS boolean
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        found jsonb;
        was_placing text := current_setting('nolan.placing', true);
      BEGIN
        DELETE FROM ONLY cases_held c WHERE c.id = case_id AND c.tenant_id = nolan_current_tenant()
          RETURNING to_jsonb(c) INTO found;
        IF found IS NULL THEN RETURN false; END IF;
        PERFORM set_config('nolan.placing', 'on', true);
        INSERT INTO cases SELECT * FROM jsonb_populate_record(NULL::cases, found);
        PERFORM set_config('nolan.placing', coalesce(was_placing, ''), true);
        DELETE FROM held_placement h
         WHERE h.rel = 'cases'::regclass AND h.row_key = jsonb_build_object('id', case_id);
        RETURN true;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_place_held_case(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_place_held_case(uuid) TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(moveRow('nolan_move_row', false));
    await q.query(`DROP FUNCTION nolan_move_placed_row(regclass, jsonb)`);
    await q.query(`DROP FUNCTION nolan_place_held_case(uuid)`);
    await q.query(`DROP TRIGGER case_exclusions_once ON case_exclusions`);
    await q.query(`SELECT set_config('nolan.placing', 'on', true)`);
    for (const { table } of [...HELD].reverse()) {
      await q.query(`DROP TRIGGER ${table}_zz_held_row ON ${table}`);
      // Rows still held go to their parents as they are (their notes stay, and move them in place).
      await q.query(`INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM ONLY ${table}_held`);
      await q.query(`DROP TABLE ${table}_held`);
    }
    await q.query(`SELECT set_config('nolan.placing', '', true)`);
    for (const { table, column } of UNIQUE_BY_HAND)
      await q.query(`DROP TRIGGER ${table}_unique_${column} ON ${table}`);
    await q.query(`DROP FUNCTION nolan_refuse_held_author_key_change()`);
    await q.query(`DROP FUNCTION nolan_exclusion_once()`);
    await q.query(`DROP FUNCTION nolan_unique_with_held()`);
    await q.query(`DROP FUNCTION nolan_note_held_row()`);
    await q.query(`DROP FUNCTION nolan_hold_row()`);
  }
}
