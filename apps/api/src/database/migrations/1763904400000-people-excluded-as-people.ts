import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateByTenant } from './tenant-isolation';

/**
 * Exclusions and overseers (issue #15; docs/architecture.md "Exclusions and the conflict set"):
 *
 * - `case_exclusions` gains the kind `named_in_report`: the people who held each role the reporter ticked
 *   on the form, recorded at intake by id, so they stay excluded whatever their later roles and a later
 *   holder of the role is not excluded by holding it. The table stays append-only for the app role.
 * - `cases.people_frozen`: whether the case's intake namings are recorded as people. A migration cannot
 *   read the roles a report names (they are encrypted in it), so existing cases start false and keep the
 *   old rule (holders of a named role are ruled out when each check runs) until the first command that
 *   opens their report records the current holders, once (CaseAccessService.routingInput); new cases
 *   are true from intake.
 * - `case_naming_requests`: a naming after intake waits for the case's overseer (or, when it names the
 *   overseer, whoever would oversee the case with it in effect) to confirm it. The people it names are
 *   frozen when it is made; the reason is case content, encrypted in case_items.
 * - `case_closure_requests`: closing a case short of the overseer's own decision needs the overseer's
 *   agreement; a handler asks, the overseer agrees or refuses, and the closing uses the agreement once.
 * - `tenant_oversight_settings`: the role the council designates as its fallback overseer, set by the
 *   monitoring officer (not by administrators, whose routing settings live apart).
 */
export class PeopleExcludedAsPeople1763904400000 implements MigrationInterface {
  name = 'PeopleExcludedAsPeople1763904400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_exclusions DROP CONSTRAINT case_exclusions_kind_check`);
    await q.query(`ALTER TABLE case_exclusions ADD CONSTRAINT case_exclusions_kind_check
      CHECK (kind IN ('recused', 'named_as_involved', 'named_in_report'))`);
    await q.query(`ALTER TABLE cases ADD COLUMN people_frozen boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE cases ALTER COLUMN people_frozen SET DEFAULT true`);

    await q.query(`CREATE TABLE case_naming_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      requester_id uuid NOT NULL REFERENCES staff_users(id),
      people uuid[] NOT NULL,
      role text,
      decider_id uuid REFERENCES staff_users(id),
      decider_given_case boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
      decided_by uuid REFERENCES staff_users(id),
      requested_on date NOT NULL DEFAULT current_date,
      decided_on date,
      CHECK ((status = 'pending') = (decided_by IS NULL))
    )`);
    await isolateByTenant(q, 'case_naming_requests');
    await q.query(`CREATE INDEX case_naming_requests_case_idx ON case_naming_requests (case_id)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON case_naming_requests TO nolan_app_rw`);

    await q.query(`CREATE TABLE case_closure_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      requester_id uuid NOT NULL REFERENCES staff_users(id),
      outcome text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'agreed', 'refused', 'used')),
      decided_by uuid REFERENCES staff_users(id),
      requested_on date NOT NULL DEFAULT current_date,
      decided_on date,
      CHECK ((status = 'pending') = (decided_by IS NULL))
    )`);
    await isolateByTenant(q, 'case_closure_requests');
    await q.query(`CREATE INDEX case_closure_requests_case_idx ON case_closure_requests (case_id)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON case_closure_requests TO nolan_app_rw`);

    await q.query(`CREATE TABLE tenant_oversight_settings (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
      fallback_overseer_role text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES staff_users(id)
    )`);
    await isolateByTenant(q, 'tenant_oversight_settings');
    await q.query(`GRANT SELECT, INSERT, UPDATE ON tenant_oversight_settings TO nolan_app_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_oversight_settings`);
    await q.query(`DROP TABLE case_closure_requests`);
    await q.query(`DROP TABLE case_naming_requests`);
    await q.query(`ALTER TABLE cases DROP COLUMN people_frozen`);
    await q.query(`DELETE FROM case_exclusions WHERE kind = 'named_in_report'`);
    await q.query(`ALTER TABLE case_exclusions DROP CONSTRAINT case_exclusions_kind_check`);
    await q.query(`ALTER TABLE case_exclusions ADD CONSTRAINT case_exclusions_kind_check
      CHECK (kind IN ('recused', 'named_as_involved'))`);
  }
}
