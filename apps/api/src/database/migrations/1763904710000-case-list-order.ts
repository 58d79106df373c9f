import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list at scale (docs/performance.md "The case list"): the list's own order, so a page of a
 * council's cases is read in deadline order and the read stops after the page instead of sorting every
 * case a person holds, alone and after the list's status, category and assignee filters (which also
 * find the cases a filtered total counts); and the cases not yet visible to staff (a reporter's batch not
 * yet released), so the unfiltered total can leave them out without reading every case. No new readable
 * data.
 */
export class CaseListOrder1763904710000 implements MigrationInterface {
  name = 'CaseListOrder1763904710000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_list_order_idx ON cases (tenant_id, acknowledgement_due, reference)`);
    for (const column of ['status', 'category', 'assignee_id'])
      await q.query(
        `CREATE INDEX cases_${column}_order_idx ON cases (tenant_id, ${column}, acknowledgement_due, reference)`,
      );
    await q.query(
      `CREATE INDEX cases_visible_from_idx ON cases (tenant_id, visible_from) WHERE visible_from IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_visible_from_idx`);
    for (const column of ['status', 'category', 'assignee_id'])
      await q.query(`DROP INDEX cases_${column}_order_idx`);
    await q.query(`DROP INDEX cases_list_order_idx`);
  }
}
