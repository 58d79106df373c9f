import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants and staff users, with row-level security on every tenant table (docs/architecture.md
 * "Row-level security"). The API and workers connect as a login role that is a member of `nolan_app_rw`: not
 * a superuser, not the owner, so the policies bind it. The tenant is set per transaction with
 * `set_config('nolan.tenant_id', …, true)`; without it a tenant table returns nothing.
 */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nolan_app_rw') THEN
        CREATE ROLE nolan_app_rw NOLOGIN;
      END IF;
    END $$`);
    await q.query(`CREATE FUNCTION nolan_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT nullif(current_setting('nolan.tenant_id', true), '')::uuid $$`);
    await q.query(`CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      escrow_public_key text NOT NULL,
      escrow_private_key_encrypted text NOT NULL,
      escrow_fingerprint text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE staff_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
      display_name text NOT NULL,
      roles text[] NOT NULL CHECK (roles <@ ARRAY['administrator','monitoring_officer','deputy_monitoring_officer',
        'investigator','s151_officer','safeguarding_lead','head_of_paid_service','audit_committee_chair']::text[]),
      password_hash text NOT NULL,
      totp_secret_sealed text,
      public_key text NOT NULL,
      private_key_encrypted text NOT NULL,
      key_fingerprint text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, email)
    )`);
    await q.query(`CREATE INDEX staff_users_tenant_id_idx ON staff_users (tenant_id)`);
    await q.query(`ALTER TABLE staff_users ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE staff_users FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON staff_users
      USING (tenant_id = nolan_current_tenant()) WITH CHECK (tenant_id = nolan_current_tenant())`);
    await q.query(`GRANT USAGE ON SCHEMA public TO nolan_app_rw`);
    await q.query(`GRANT SELECT, INSERT ON tenants TO nolan_app_rw`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON staff_users TO nolan_app_rw`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_current_tenant() TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_users`);
    await q.query(`DROP TABLE tenants`);
    await q.query(`DROP FUNCTION nolan_current_tenant()`);
  }
}
