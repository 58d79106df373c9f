import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Each tenant's export signing key (issue #7 "Export"): the public key, published for recipients to
 * verify exports, and the private key sealed under a server-held secret that is not in the database.
 * Existing tenants get theirs on first use (tenant-signing-keys.ts), so this migration generates nothing.
 * Rows are never updated: the app role may only read and insert (a rotation would add a table of
 * retired keys rather than overwrite one that old exports were signed with).
 */
export class TenantSigningKeys1763901400000 implements MigrationInterface {
  name = 'TenantSigningKeys1763901400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenant_signing_keys (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
      fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{40}$'),
      public_key text NOT NULL,
      private_key_sealed text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await isolateByTenant(q, 'tenant_signing_keys');
    await q.query(`GRANT SELECT, INSERT ON tenant_signing_keys TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_signing_keys`);
  }
}
