import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Requests to see a reporter's identity (issue #7; docs/regulatory.md EU-11/EU-12): a handler asks with
 * reasons, the custodian (the monitoring officer, or whoever oversees the case instead) approves or
 * refuses with reasons. The reasons are case content and live encrypted in case_items.
 */
export class IdentityRequests1763900700000 implements MigrationInterface {
  name = 'IdentityRequests1763900700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE identity_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      requester_id uuid NOT NULL REFERENCES staff_users(id),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
      decided_by uuid REFERENCES staff_users(id),
      requested_on date NOT NULL DEFAULT current_date,
      decided_on date,
      CHECK ((status = 'pending') = (decided_by IS NULL))
    )`);
    await q.query(
      `CREATE UNIQUE INDEX identity_requests_one_pending ON identity_requests (case_id, requester_id) WHERE status = 'pending'`,
    );
    await isolateByTenant(q, 'identity_requests');
    await q.query(`GRANT SELECT, INSERT, UPDATE ON identity_requests TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity_requests`);
  }
}
