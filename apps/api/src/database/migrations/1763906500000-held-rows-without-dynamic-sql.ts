import type { MigrationInterface, QueryRunner } from 'typeorm';
import { HELD, holdRowV1, noteHeldRowV1, UNIQUE_BY_HAND } from './1763906000000-held-child-tables';
import { uniqueWithHeld } from './1763906450000-unique-with-held-locks-held-rows-only';

/**
 * The held tables' row triggers, the same rows written with less work (docs/performance.md "Held rows
 * without dynamic SQL"). Under 32 clients, most of Postgres's time for a report went to them: each of a
 * report's seventeen or so rows passed through `nolan_hold_row`, which built, parsed and planned its child's
 * `INSERT` again for every row (`EXECUTE format(…)`), and through `nolan_note_held_row`, which turned the
 * whole row, its ciphertext included, into JSON (`to_jsonb(NEW)`) to read one or two key columns from
 * it; `nolan_unique_with_held` did the same for the case reference and the receipt's lookup key.
 *
 * Now each names the columns it reads and the child it writes in static statements, one branch per held
 * table, generated from the same lists that made the triggers: PL/pgSQL prepares a static statement once
 * per connection and table (a trigger function is compiled for each table it serves) and caches its plan
 * after the first few rows. Every trigger on these functions is made from those lists, so a row no branch
 * names is refused rather than written some other way (and `test/api/held-tables.e2e-spec.ts`, which
 * writes a held row to each of the eight tables, would fail if a branch did not match). What is written,
 * where, and under which lock is unchanged, and so is every key in `held_placement`:
 * `jsonb_build_object('id', NEW.id)` is the same value as `jsonb_object_agg('id', to_jsonb(NEW) -> 'id')`.
 * (A row that follows its held case outside a batch still reads the case's id from the whole row, as
 * before: that path is rare and unchanged.)
 */

const key = (columns: readonly string[]) =>
  `jsonb_build_object(${columns.map((c) => `'${c}', NEW.${c}`).join(', ')})`;

/** The one dynamic statement of the first nolan_hold_row, replaced below. */
const DYNAMIC_INSERT =
  "EXECUTE format('INSERT INTO %I.%I SELECT ($1).*', TG_TABLE_SCHEMA, TG_TABLE_NAME || '_held') USING NEW;";

/** What a trigger function says of a row no branch of it names (none: every trigger is made from the lists). */
const refuse = (fn: string, list = 'HELD') =>
  `RAISE EXCEPTION '${fn}: no branch for %.% (its triggers are made from ${list})', TG_TABLE_SCHEMA, TG_TABLE_NAME;`;

/**
 * The parent's insert, sent to its held child: the first nolan_hold_row (the same guards) with its one
 * dynamic statement replaced by a static INSERT for each held table.
 */
const holdRow = (() => {
  const first = holdRowV1('CREATE OR REPLACE');
  if (!first.includes(DYNAMIC_INSERT)) throw new Error('nolan_hold_row: its dynamic INSERT was not found');
  return first.replace(
    DYNAMIC_INSERT,
    [
      `IF TG_TABLE_SCHEMA <> 'public' THEN`,
      `      ${refuse('nolan_hold_row')}`,
      ...HELD.map(
        ({ table }) =>
          `    ELSIF TG_TABLE_NAME = '${table}' THEN\n      INSERT INTO public.${table}_held SELECT NEW.*;`,
      ),
      `    ELSE`,
      `      ${refuse('nolan_hold_row')}`,
      `    END IF;`,
    ].join('\n'),
  );
})();

/** A held child's row noted for the release under its parent's name, its key read column by column. */
const noteHeldRow = `CREATE OR REPLACE FUNCTION nolan_note_held_row() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    release timestamptz := nullif(current_setting('nolan.release_at', true), '')::timestamptz;
    parent regclass := TG_ARGV[0]::regclass;
    noted_key jsonb;
  BEGIN
    IF release IS NULL THEN
      SELECT min(h.release_at) INTO release FROM held_placement h
       WHERE h.rel = 'cases'::regclass AND h.row_key = jsonb_build_object('id', to_jsonb(NEW) ->> 'case_id');
    END IF;
    IF false THEN
      NULL;
${[...new Map(HELD.map(({ key: columns }) => [columns.join(','), columns])).values()]
  .map(
    (columns) =>
      `    ELSIF TG_ARGV[1:] = ARRAY[${columns.map((c) => `'${c}'`).join(', ')}] THEN\n      noted_key := ${key(columns)};`,
  )
  .join('\n')}
    ELSE
      ${refuse('nolan_note_held_row')}
    END IF;
    INSERT INTO held_placement (rel, row_key, tenant_id, release_at)
    VALUES (parent, noted_key, NEW.tenant_id, coalesce(release, now()));
    RETURN NULL;
  END $$`;

/**
 * The case reference and the receipt's lookup key checked across a parent and its child, as in
 * 1763906450000 (a held row locks its value and looks in the parent; a parent's row looks in the child),
 * with the value and the row's key read as columns and each look-up a static statement.
 */
const UNIQUE_LOCKS = 1763906000;
const uniqueWithHeldStatic = `CREATE OR REPLACE FUNCTION nolan_unique_with_held()
  RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
  DECLARE
    value text;
    self text;
    taken boolean;
  BEGIN
    IF false THEN
      NULL;
${UNIQUE_BY_HAND.map(
  ({ table, column, key: self }) =>
    `    ELSIF TG_ARGV[0] = '${table}' AND TG_ARGV[1] = '${column}' AND TG_ARGV[2] = '${self}' THEN
      value := NEW.${column}::text;
      self := NEW.${self}::text;
      IF value IS NULL THEN RETURN NEW; END IF;
      IF TG_TABLE_NAME = '${table}' THEN
        SELECT EXISTS (SELECT 1 FROM ONLY ${table}_held t
                        WHERE t.tenant_id = NEW.tenant_id AND t.${column}::text = value AND t.${self}::text <> self)
          INTO taken;
      ELSE
        PERFORM pg_advisory_xact_lock(${UNIQUE_LOCKS}, hashtext(TG_ARGV[0] || ':' || NEW.tenant_id || ':' || value));
        SELECT EXISTS (SELECT 1 FROM ${table} t
                        WHERE t.tenant_id = NEW.tenant_id AND t.${column}::text = value AND t.${self}::text <> self)
          INTO taken;
      END IF;`,
).join('\n')}
    ELSE
      -- Never written unchecked.
      ${refuse('nolan_unique_with_held', 'UNIQUE_BY_HAND')}
    END IF;
    IF taken THEN
      RAISE EXCEPTION 'duplicate key value violates unique constraint "%"', TG_ARGV[3]
        USING ERRCODE = 'unique_violation', CONSTRAINT = TG_ARGV[3], TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NEW;
  END $$`;

export class HeldRowsWithoutDynamicSql1763906500000 implements MigrationInterface {
  name = 'HeldRowsWithoutDynamicSql1763906500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(holdRow);
    await q.query(noteHeldRow);
    await q.query(uniqueWithHeldStatic);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(holdRowV1('CREATE OR REPLACE'));
    await q.query(noteHeldRowV1('CREATE OR REPLACE'));
    await q.query(uniqueWithHeld(true));
  }
}
