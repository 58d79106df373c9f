/**
 * Issue #13 "One recorder": the migration that gave audit entries their item ids back-fills the entries
 * older writers left without them, by the order matching the timeline used to do, and leaves the hash
 * chain as it was (docs/case-core.md "The recorder"). Older entries are written here as those writers
 * wrote them — items first, then entries naming none — and the migration's back-fill is run again over
 * them, as the owner, exactly as it ran on every existing database.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditRepository } from '../../apps/api/src/audit/audit.repository';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { AuditItemIds1763902100000 } from '../../apps/api/src/database/migrations/1763902100000-audit-item-ids';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

describe('back-filling audit entries with their item ids', () => {
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let handler: TestUser;
  const audit = new AuditService(new AuditRepository());

  beforeAll(async () => {
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('backfill');
    handler = await fixtures.user(tenant.id, ['s151_officer']);
  });
  afterAll(async () => {
    await fixtures?.close();
  });

  const inTenant = <T>(work: (m: EntityManager) => Promise<T>) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return work(m);
    });

  it('names each older entry’s items, the first response with its acknowledgement, and keeps the chain intact', async () => {
    const created = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [handler.id],
      report: { answers: { whatHappened: 'Old report' } },
    });
    const ids = await inTenant(async (m) => {
      const item = async (scope: string, kind: string, author: 'reporter' | 'staff') => {
        const [row] = await m.query(
          `INSERT INTO case_items (tenant_id, case_id, scope, kind, author_kind, author_id, ciphertext)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [
            tenant.id,
            created.id,
            scope,
            kind,
            author,
            author === 'staff' ? handler.id : null,
            randomBytes(32),
          ],
        );
        return row.id as string;
      };
      const [report] = await m.query(`SELECT id FROM case_items WHERE case_id = $1 AND kind = 'report'`, [
        created.id,
      ]);
      // As the older writers did: the creation, an acknowledgement with its first response, a reply.
      await audit.append(m, {
        actor: { type: 'reporter' },
        action: 'case.created',
        caseId: created.id,
        details: { channel: 'web', routing: 'routed', attachments: 0 },
      });
      const transition = await item('internal', 'transition', 'staff');
      const firstResponse = await item('report', 'message', 'staff');
      await audit.append(m, {
        actor: { type: 'staff', id: handler.id },
        action: 'case.transitioned',
        caseId: created.id,
        details: { from: 'received', to: 'acknowledged', outcome: null },
      });
      const reply = await item('report', 'message', 'staff');
      await audit.append(m, {
        actor: { type: 'staff', id: handler.id },
        action: 'case.message_added',
        caseId: created.id,
        details: { author: 'staff', attachments: 0 },
      });
      return { report: report.id as string, transition, firstResponse, reply };
    });

    const owner = createDataSource(TEST_ENV.MIGRATION_DATABASE_URL);
    await owner.initialize();
    try {
      const runner = owner.createQueryRunner();
      await runner.startTransaction();
      await new AuditItemIds1763902100000().up(runner);
      await runner.commitTransaction();
      await runner.release();
    } finally {
      await owner.destroy();
    }

    const named = await inTenant((m) =>
      m.query(`SELECT action, item_ids FROM audit_entries WHERE case_id = $1 ORDER BY seq`, [created.id]),
    );
    expect(named).toEqual([
      { action: 'case.created', item_ids: [ids.report] },
      { action: 'case.transitioned', item_ids: [ids.transition, ids.firstResponse] },
      { action: 'case.message_added', item_ids: [ids.reply] },
    ]);
    // The column is outside the chain: every hash still holds, and the trail still refuses edits.
    expect(await inTenant((m) => audit.verify(m))).toEqual(expect.objectContaining({ intact: true }));
    await expect(
      inTenant((m) => m.query(`UPDATE audit_entries SET item_ids = NULL WHERE case_id = $1`, [created.id])),
    ).rejects.toThrow();
  });
});
