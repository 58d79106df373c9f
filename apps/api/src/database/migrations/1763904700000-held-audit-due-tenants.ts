import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which councils have held audit entries, or a batch's rows to put in place (held_placement), due (docs/performance.md "Routing latency"), without a
 * transaction per council: the held-audit release (apps/api/src/workers/held-audit-release.ts) runs on
 * every 250 ms relay pass and used to open one for every tenant, a thousand transactions a pass at national
 * scale even with nothing held. Like `nolan_outbox_pending_tenants()` the function runs as the tables'
 * owner and returns tenant ids only — never an entry, a case or a time — which the worker's role already
 * knows; the release then reads each such council's entries in that council's own transaction, under
 * row-level security, as before. The boundary is passed in so the injected clock (ReporterTime) decides.
 */
export class HeldAuditDueTenants1763904700000 implements MigrationInterface {
  name = 'HeldAuditDueTenants1763904700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION nolan_held_audit_due_tenants(due timestamptz) RETURNS SETOF uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT tenant_id FROM audit_held WHERE release_at <= due
         UNION SELECT tenant_id FROM held_placement WHERE release_at <= due $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_held_audit_due_tenants(timestamptz) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_held_audit_due_tenants(timestamptz) TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION nolan_held_audit_due_tenants(timestamptz)`);
  }
}
