/**
 * The retention sweep (issue #6; docs/architecture.md "Retention and crypto-shredding"): closed cases past
 * their retention period, without a legal hold, are destroyed by crypto-shredding — their encrypted content,
 * every scope key and every grant (staff, escrow, reporter) are deleted, so nobody can read them again, not
 * even with the escrow passphrase. The case row stays, as the anonymous statistics row (category, outcome,
 * dates), and the audit trail records the fact. Periods come from libs/domain's retention rules with the
 * council's own overrides (tenant-retention.ts), read in the same transaction as the candidates.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CaseOutcome,
  type CategoryId,
  compareLocalDates,
  type LocalDate,
  retainUntil,
} from '@nolan/domain';
import { type DataSource, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CaseEntity } from '../cases/store/case.entity';
import { inTenant } from '../database/tenant-transaction';
import { TenantEntity } from '../tenants/tenant.entity';
import { tenantRetention } from '../tenants/tenant-retention';
import { holdCase } from '../reporter-time/case-hold';

// Everything of a case but its statistics row. (notifications hold only outbox and user ids.)
const CONTENT_TABLES = [
  'case_items',
  'case_grants',
  'case_scope_keys',
  'reporter_keys',
  'identity_requests',
  'sla_events',
];

@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Destroys every case due for destruction on `today`; returns how many. */
  async sweep(today: LocalDate): Promise<number> {
    let destroyed = 0;
    for (const tenant of await this.dataSource.getRepository(TenantEntity).find({ select: { id: true } })) {
      const { candidates, retention } = await inTenant(this.dataSource, tenant.id, async (m) => ({
        retention: await tenantRetention(m),
        candidates: await m
          .getRepository(CaseEntity)
          .find({ where: { status: 'closed', legalHold: false, destroyedOn: IsNull() } }),
      }));
      if (!retention.valid) continue;
      for (const c of candidates) {
        if (c.destroyedOn || !c.closedOn) continue;
        const keepUntil = retainUntil(
          c.category as CategoryId,
          c.outcome as CaseOutcome | null,
          c.closedOn,
          retention.policy,
        );
        if (compareLocalDates(today, keepUntil) <= 0) continue;
        await inTenant(this.dataSource, tenant.id, async (m) => {
          // A writer of the case: held before anything (docs/architecture.md "Placement").
          await holdCase(m, c.id);
          // Re-read under lock and decide again: a legal hold set, a reopening or a longer period saved
          // since the candidates were read all win. Only a case still closed and past its period now goes.
          const [row] = await m.query(
            `SELECT status, outcome, to_char(closed_on, 'YYYY-MM-DD') AS closed_on, legal_hold, destroyed_on
               FROM cases WHERE id = $1 FOR UPDATE`,
            [c.id],
          );
          if (!row || row.status !== 'closed' || !row.closed_on || row.legal_hold || row.destroyed_on) return;
          const now = await tenantRetention(m);
          if (!now.valid) return;
          const until = retainUntil(
            c.category as CategoryId,
            row.outcome as CaseOutcome | null,
            row.closed_on,
            now.policy,
          );
          if (compareLocalDates(today, until) <= 0) return;
          for (const table of CONTENT_TABLES)
            await m.query(`DELETE FROM ${table} WHERE case_id = $1`, [c.id]);
          await m.getRepository(CaseEntity).update({ id: c.id }, { destroyedOn: today });
          await this.audit.append(m, {
            actor: { type: 'system' },
            action: 'case.destroyed',
            caseId: c.id,
            details: {
              category: c.category,
              outcome: row.outcome,
              closedOn: row.closed_on,
              keptUntil: until,
            },
          });
          destroyed += 1;
        });
      }
    }
    return destroyed;
  }
}
