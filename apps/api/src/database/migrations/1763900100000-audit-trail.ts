import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (docs/architecture.md "The audit trail"; the chain is explained in apps/api/src/audit/
 * audit-chain.ts): `audit_entries`, hash-chained per tenant, and `audit_checkpoints`, recorded heads
 * that reveal deletion of the newest entries. Both are tenant tables under the same row-level policy
 * as the foundation's, and append-only twice over: the app role is granted only SELECT and INSERT, and
 * a trigger refuses UPDATE, DELETE and TRUNCATE even from the owner, so nobody edits the trail by
 * accident. Someone with superuser access can still get round the trigger (that is what the chain and
 * `audit:verify` are for).
 */
export class AuditTrail1763900100000 implements MigrationInterface {
  name = 'AuditTrail1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE audit_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      seq bigint NOT NULL CHECK (seq >= 1),
      occurred_at timestamptz NOT NULL,
      actor_type text NOT NULL CHECK (actor_type IN ('staff', 'reporter', 'system', 'operator')),
      actor_id uuid CHECK (actor_id IS NULL OR actor_type = 'staff'),
      action text NOT NULL CHECK (action ~ '^[a-z][a-z_]*(\\.[a-z][a-z_]*)+$'),
      case_id uuid,
      details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
      prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
      UNIQUE (tenant_id, seq)
    )`);
    await q.query(`CREATE INDEX audit_entries_tenant_case_idx ON audit_entries (tenant_id, case_id, seq)
      WHERE case_id IS NOT NULL`);
    await q.query(`CREATE TABLE audit_checkpoints (
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      seq bigint NOT NULL CHECK (seq >= 1),
      hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, seq)
    )`);
    await q.query(`CREATE FUNCTION nolan_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_entries', 'audit_checkpoints']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION nolan_refuse_audit_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION nolan_refuse_audit_change()`);
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = nolan_current_tenant()) WITH CHECK (tenant_id = nolan_current_tenant())`);
      await q.query(`GRANT SELECT, INSERT ON ${table} TO nolan_app_rw`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP TABLE audit_entries`);
    await q.query(`DROP FUNCTION nolan_refuse_audit_change()`);
  }
}
