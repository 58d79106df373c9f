import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * The encrypted case store (docs/architecture.md "Encryption model"). What stays readable is the workflow's
 * metadata: reference, category, status, dates and deadlines, outcome. Everything a person wrote lives
 * in case_items as OpenPGP ciphertext to one of the case's scope keys; each scope's private key exists
 * only inside case_grants, encrypted to a grantee. No column records the exact moment of submission:
 * received_at is truncated to the hour (the SLA clocks need the day).
 */
export class CaseStore1763900300000 implements MigrationInterface {
  name = 'CaseStore1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      reference text NOT NULL CHECK (reference ~ '^NLN-[A-Z0-9]{4}-[A-Z0-9]{4}$'),
      category text NOT NULL,
      status text NOT NULL DEFAULT 'received',
      outcome text,
      received_at timestamptz NOT NULL CHECK (received_at = date_trunc('hour', received_at)),
      acknowledgement_due date NOT NULL,
      feedback_due date NOT NULL,
      UNIQUE (tenant_id, reference)
    )`);
    await q.query(`CREATE TABLE case_scope_keys (
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope IN ('report', 'internal', 'identity')),
      public_key bytea NOT NULL,
      PRIMARY KEY (case_id, scope)
    )`);
    await q.query(`CREATE TABLE case_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope IN ('report', 'internal', 'identity')),
      grantee_kind text NOT NULL CHECK (grantee_kind IN ('staff', 'escrow', 'reporter')),
      grantee_id uuid REFERENCES staff_users(id),
      encrypted_scope_key bytea NOT NULL,
      granted_at timestamptz NOT NULL DEFAULT date_trunc('hour', now()),
      CHECK ((grantee_kind = 'staff') = (grantee_id IS NOT NULL))
    )`);
    await q.query(`CREATE UNIQUE INDEX case_grants_one_per_grantee ON case_grants
      (case_id, scope, grantee_kind, coalesce(grantee_id, '00000000-0000-0000-0000-000000000000'::uuid))`);
    await q.query(`CREATE INDEX case_grants_grantee_idx ON case_grants (tenant_id, grantee_id)`);
    await q.query(`CREATE TABLE case_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope IN ('report', 'internal', 'identity')),
      kind text NOT NULL,
      ciphertext bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('hour', now())
    )`);
    await q.query(`CREATE INDEX case_items_case_idx ON case_items (case_id, created_at)`);
    for (const table of ['cases', 'case_scope_keys', 'case_grants', 'case_items'])
      await isolateByTenant(q, table);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON cases TO nolan_app_rw`);
    await q.query(`GRANT SELECT, INSERT ON case_scope_keys, case_items TO nolan_app_rw`);
    await q.query(`GRANT SELECT, INSERT, DELETE ON case_grants TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_items, case_grants, case_scope_keys, cases`);
  }
}
