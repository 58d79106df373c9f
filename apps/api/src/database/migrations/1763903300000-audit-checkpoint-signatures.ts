import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is keyed (issue #15, path 7): entries are HMAC-SHA256 under AUDIT_KEY, which lives in the
 * environment, never in the database (apps/api/src/audit/audit-chain.ts). Checkpoints carry a signature
 * under the same key, so someone with the database alone can neither rewrite the chain nor forge a
 * checkpoint that agrees with a rewritten one. Checkpoints written before this change have none.
 */
export class AuditCheckpointSignatures1763903300000 implements MigrationInterface {
  name = 'AuditCheckpointSignatures1763903300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_checkpoints ADD COLUMN signature text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_checkpoints DROP COLUMN signature`);
  }
}
