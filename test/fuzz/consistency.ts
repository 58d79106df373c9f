/**
 * The fuzz suites' check for half-written rows (issue #17): a refused request changes no table (the audit
 * entries that record a refusal by design, a read it needed and a failed sign-in, are not counted), and
 * after a run every case of the fuzzed councils is whole — its three scope keys, a grant of each (the
 * escrow's among them), its report, its `case.created` audit entry and outbox row, and every item an
 * audit entry names (and every note, evidence or feedback item named by exactly one). Read as the
 * tables' owner (a superuser in the tests), so row-level security hides nothing.
 */
import { Client } from 'pg';
import { TEST_ENV } from '../support/test-env';

export class RowWatch {
  private constructor(
    private readonly client: Client,
    private readonly countSql: string,
  ) {}

  static async open(): Promise<RowWatch> {
    const client = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relname <> 'migrations'
        ORDER BY 1`,
    );
    // Two kinds of audit entry record a refused request by design, and are not counted: a read of a case
    // the request needed to answer (the portal re-renders a case page with the API's message), and a
    // failed sign-in. Every other audit entry is.
    const countOf = (table: string) =>
      table === 'audit_entries'
        ? `(SELECT count(*)::int FROM audit_entries WHERE action NOT IN ('case.content_decrypted', 'auth.sign_in_failed'))`
        : `(SELECT count(*)::int FROM "${table}")`;
    const countSql = `SELECT ${rows.map((r) => `${countOf(r.name)} AS "${r.name}"`).join(', ')}`;
    return new RowWatch(client, countSql);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  /** Rows per table, every table of the schema. */
  async counts(): Promise<Record<string, number>> {
    return (await this.client.query(this.countSql)).rows[0] as Record<string, number>;
  }

  /** The tables whose row counts differ between two `counts()`, as "table before→after". */
  static changed(before: Record<string, number>, after: Record<string, number>): string[] {
    return Object.keys(after)
      .filter((table) => before[table] !== after[table])
      .map((table) => `${table} ${before[table]}→${after[table]}`);
  }

  /** Every way a case of these councils is not whole; empty when all are. */
  async halfWritten(tenantIds: string[]): Promise<string[]> {
    const checks: [string, string][] = [
      [
        'a case without its three scope keys',
        `SELECT c.reference AS what FROM cases c WHERE c.tenant_id = ANY($1) AND c.destroyed_on IS NULL
           AND (SELECT count(*) FROM case_scope_keys k WHERE k.case_id = c.id) <> 3`,
      ],
      [
        'a scope key without an escrow grant',
        `SELECT c.reference || ' ' || k.scope AS what FROM case_scope_keys k JOIN cases c ON c.id = k.case_id
          WHERE c.tenant_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM case_grants g
            WHERE g.case_id = k.case_id AND g.scope = k.scope AND g.grantee_kind = 'escrow')`,
      ],
      [
        'a grant for a scope with no key',
        `SELECT c.reference || ' ' || g.scope AS what FROM case_grants g JOIN cases c ON c.id = g.case_id
          WHERE c.tenant_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM case_scope_keys k
            WHERE k.case_id = g.case_id AND k.scope = g.scope)`,
      ],
      [
        'a case without its report',
        `SELECT c.reference AS what FROM cases c WHERE c.tenant_id = ANY($1) AND c.destroyed_on IS NULL
           AND NOT EXISTS (SELECT 1 FROM case_items i WHERE i.case_id = c.id AND i.kind = 'report')`,
      ],
      [
        'a case without its case.created audit entry',
        `SELECT c.reference AS what FROM cases c WHERE c.tenant_id = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.case_id = c.id AND a.action = 'case.created')`,
      ],
      [
        'a case without its case.created outbox row',
        `SELECT c.reference AS what FROM cases c WHERE c.tenant_id = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_id = c.id AND o.event = 'case.created')`,
      ],
      [
        'an audit entry naming an item its case does not have',
        `SELECT a.action || ' ' || (a.details->>'itemId') AS what FROM audit_entries a
          WHERE a.tenant_id = ANY($1) AND a.details ? 'itemId' AND NOT EXISTS (SELECT 1 FROM case_items i
            WHERE i.id::text = a.details->>'itemId' AND i.case_id = a.case_id)
            AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = a.case_id AND c.destroyed_on IS NOT NULL)`,
      ],
      [
        'a note, evidence or feedback item not audited exactly once',
        `SELECT i.kind || ' ' || i.id AS what FROM case_items i
          WHERE i.tenant_id = ANY($1) AND i.kind IN ('note', 'evidence', 'feedback')
            AND (SELECT count(*) FROM audit_entries a WHERE a.case_id = i.case_id
                   AND a.action <> 'case.content_decrypted' AND a.details->>'itemId' = i.id::text) <> 1`,
      ],
    ];
    const problems: string[] = [];
    for (const [what, sql] of checks) {
      const { rows } = await this.client.query<{ what: string }>(sql, [tenantIds]);
      for (const row of rows) problems.push(`${what}: ${row.what}`);
    }
    return problems;
  }
}
