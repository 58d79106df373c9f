import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Items are signed by their authors' own keys (docs/architecture.md "Item signatures"; issue #15): the
 * reporter's key for the reporter's words, a member of staff's key for theirs, the council's system key
 * for the system's. A signature is checked against the author's public key as it was pinned when the
 * author first signed, never against a column the application's role can change (`staff_users.public_key`
 * it may update; a reporter key's row it may delete):
 *
 * - `author_keys`: each author's public keys, one row per key, each with `pin`, a detached signature by
 *   the council's system key (whose private half is sealed under a secret outside the database) over the
 *   council, the author and the key. The application's role may read and add rows, never change or remove
 *   one (and a trigger refuses it to the owner too): a row it adds has no pin that verifies, so it is
 *   ignored. A person's key replaced at account recovery gets a row of its own; the old row stays, so what
 *   they signed before still verifies.
 * - `case_items_signed_by_system`: the items signed before this change, all by the system key, listed
 *   once (read-only to the application's role); for those alone a system signature stands for any author.
 */
export class AuthorKeys1763904500000 implements MigrationInterface {
  name = 'AuthorKeys1763904500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE author_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      owner_kind text NOT NULL CHECK (owner_kind IN ('staff', 'reporter')),
      owner_id uuid NOT NULL,
      fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{40}$'),
      public_key bytea NOT NULL,
      pin bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('hour', now())
    )`);
    await q.query(`CREATE INDEX author_keys_owner_idx ON author_keys (owner_kind, owner_id)`);
    await isolateByTenant(q, 'author_keys');
    await q.query(`CREATE TRIGGER author_keys_append_only BEFORE UPDATE OR DELETE ON author_keys
      FOR EACH ROW EXECUTE FUNCTION nolan_refuse_audit_change()`);
    await q.query(`CREATE TRIGGER author_keys_no_truncate BEFORE TRUNCATE ON author_keys
      FOR EACH STATEMENT EXECUTE FUNCTION nolan_refuse_audit_change()`);
    await q.query(`GRANT SELECT, INSERT ON author_keys TO nolan_app_rw`);
    await q.query(`CREATE TABLE case_items_signed_by_system (id uuid PRIMARY KEY)`);
    await q.query(
      `INSERT INTO case_items_signed_by_system (id) SELECT id FROM case_items WHERE signature IS NOT NULL`,
    );
    await q.query(`GRANT SELECT ON case_items_signed_by_system TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_items_signed_by_system`);
    await q.query(`DROP TABLE author_keys`);
  }
}
