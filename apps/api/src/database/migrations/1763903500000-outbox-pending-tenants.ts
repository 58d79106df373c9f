import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which councils have outbox events waiting, without a transaction per council (docs/performance.md
 * "Routing latency"): the relay used to open one for every tenant on every pass, a thousand transactions
 * every two seconds at national scale even with nothing to send. The function runs as the tables' owner
 * and returns tenant ids only — never an event, a case or a payload — which the API's role already knows
 * (it opens every tenant's transaction itself). The relay then reads each such council's rows in that
 * council's own transaction, under row-level security, as before.
 */
export class OutboxPendingTenants1763903500000 implements MigrationInterface {
  name = 'OutboxPendingTenants1763903500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION nolan_outbox_pending_tenants() RETURNS SETOF uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT DISTINCT tenant_id FROM outbox WHERE sent_at IS NULL $$`);
    await q.query(`REVOKE ALL ON FUNCTION nolan_outbox_pending_tenants() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION nolan_outbox_pending_tenants() TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION nolan_outbox_pending_tenants()`);
  }
}
