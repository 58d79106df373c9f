import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case reference and the receipt's lookup key are checked across a parent and its held child by hand
 * (docs/architecture.md "Held tables"). The check took an advisory lock of the value for every row
 * inserted into either table, held to the end of the transaction: a transaction that writes many cases
 * or keys at once (a restore, a bulk load, the full-scale bench's seed of 20,000 cases for one council)
 * took one lock table entry per row and failed with "out of shared memory". Now only a held row (written
 * to a child, a few per reporter's transaction) takes the lock and looks in the parent; a row written to
 * a parent, whose own unique index covers the parent, only looks in the child, without a lock. Values
 * that can collide are random (a reference, an HMAC of a random receipt); if a parent's row and a held
 * row were written with the same one at the same moment, the held row would fail the parent's index at
 * its release and stay held, readable, with the pass's warning: nothing is lost.
 */
const UNIQUE_LOCKS = 1763906000;

export const uniqueWithHeld = (heldRowsOnly: boolean) => `CREATE OR REPLACE FUNCTION nolan_unique_with_held()
  RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
  DECLARE
    value text := to_jsonb(NEW) ->> TG_ARGV[1];
    self text := to_jsonb(NEW) ->> TG_ARGV[2];
    taken boolean;
  BEGIN
    IF value IS NULL THEN RETURN NEW; END IF;
    ${
      heldRowsOnly
        ? `IF TG_TABLE_NAME = TG_ARGV[0] THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY %I t WHERE t.tenant_id = $1 AND t.%I::text = $2 AND t.%I::text <> $3)',
                     TG_ARGV[0] || '_held', TG_ARGV[1], TG_ARGV[2])
        INTO taken USING NEW.tenant_id, value, self;
    ELSE
      PERFORM pg_advisory_xact_lock(${UNIQUE_LOCKS}, hashtext(TG_ARGV[0] || ':' || NEW.tenant_id || ':' || value));
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I t WHERE t.tenant_id = $1 AND t.%I::text = $2 AND t.%I::text <> $3)',
                     TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
        INTO taken USING NEW.tenant_id, value, self;
    END IF;`
        : `PERFORM pg_advisory_xact_lock(${UNIQUE_LOCKS}, hashtext(TG_ARGV[0] || ':' || NEW.tenant_id || ':' || value));
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I t WHERE t.tenant_id = $1 AND t.%I::text = $2 AND t.%I::text <> $3)',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
      INTO taken USING NEW.tenant_id, value, self;`
    }
    IF taken THEN
      RAISE EXCEPTION 'duplicate key value violates unique constraint "%"', TG_ARGV[3]
        USING ERRCODE = 'unique_violation', CONSTRAINT = TG_ARGV[3], TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NEW;
  END $$`;

export class UniqueWithHeldLocksHeldRowsOnly1763906450000 implements MigrationInterface {
  name = 'UniqueWithHeldLocksHeldRowsOnly1763906450000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(uniqueWithHeld(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(uniqueWithHeld(false));
  }
}
