import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Anonymous intake (issue #5): the reporter's key pair, locked under their receipt and found by an
 * HMAC of it (so a database dump alone cannot be searched for a receipt without the server pepper);
 * the transactional outbox the workers relay; how a report arrived and whether routing found anyone;
 * who wrote each item (staff by id; a reporter never by anything).
 */
export class Intake1763900400000 implements MigrationInterface {
  name = 'Intake1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporter_keys (
      case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      lookup_key text NOT NULL,
      public_key bytea NOT NULL,
      locked_private_key bytea NOT NULL,
      salt bytea NOT NULL,
      UNIQUE (tenant_id, lookup_key)
    )`);
    await q.query(`CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      event text NOT NULL,
      aggregate_id uuid NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT date_trunc('hour', now()),
      sent_at timestamptz
    )`);
    await q.query(`CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL`);
    await q.query(`ALTER TABLE cases
      ADD COLUMN channel text NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'phone', 'in_person', 'post', 'email')),
      ADD COLUMN routing text NOT NULL DEFAULT 'routed' CHECK (routing IN ('routed', 'no_eligible_recipient'))`);
    // Items are ordered by insertion, not by time: created_at is only kept to the hour.
    await q.query(`ALTER TABLE case_items ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
    await q.query(`CREATE INDEX case_items_case_seq_idx ON case_items (case_id, seq)`);
    await q.query(`ALTER TABLE case_items
      ADD COLUMN author_kind text CHECK (author_kind IN ('reporter', 'staff', 'system')),
      ADD COLUMN author_id uuid REFERENCES staff_users(id),
      ADD CONSTRAINT case_items_reporter_anonymous CHECK (author_kind IS DISTINCT FROM 'reporter' OR author_id IS NULL)`);
    for (const table of ['reporter_keys', 'outbox']) await isolateByTenant(q, table);
    await q.query(`GRANT SELECT, INSERT ON reporter_keys TO nolan_app_rw`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON outbox TO nolan_app_rw`);
    await q.query(`GRANT USAGE ON SEQUENCE outbox_id_seq TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE case_items DROP CONSTRAINT case_items_reporter_anonymous, DROP COLUMN author_id, DROP COLUMN author_kind, DROP COLUMN seq`,
    );
    await q.query(`ALTER TABLE cases DROP COLUMN routing, DROP COLUMN channel`);
    await q.query(`DROP TABLE outbox, reporter_keys`);
  }
}
