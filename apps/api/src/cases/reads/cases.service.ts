import type { CaseListItem, CaseReport, CaseView } from '@nolan/contract';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { allowedTransitions, type CaseStatus, getCategory, isCategoryId, toLondonDate } from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { inTenant } from '../../database/tenant-transaction';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { readReportScope, type ReportContent } from '../record/case-content';
import type { CaseEntity } from '../store/case.entity';
import { type CaseListFilter, CasesRepository } from '../store/cases.repository';

export { NO_SUCH_CASE } from '../access/case-door';

export function mapCaseSummary(entity: CaseEntity): CaseListItem {
  return {
    reference: entity.reference,
    category: entity.category,
    categoryTitle: isCategoryId(entity.category) ? getCategory(entity.category).title : entity.category,
    status: entity.status,
    outcome: entity.outcome,
    receivedOn: toLondonDate(entity.receivedAt),
    acknowledgementDue: entity.acknowledgementDue,
    acknowledgedOn: entity.acknowledgedOn,
    feedbackDue: entity.feedbackDue,
    closedOn: entity.closedOn,
    /** The day of the latest reopening: the feedback clock runs from it (libs/domain sla.ts). */
    reopenedOn: entity.reopenedOn,
    assigneeId: entity.assigneeId,
    assignedOn: entity.assignedOn,
    ownershipConfirmedOn: entity.ownershipConfirmedOn,
    legalHold: entity.legalHold,
    /** The day feedback was last given to the reporter: it meets the feedback clock (FeedbackService). */
    feedbackGivenOn: entity.feedbackGivenOn,
  };
}

/**
 * The staff view of cases. A case exists for a user only while they hold a grant for it: anyone else
 * gets 404, never 403, so not even its existence leaks. Administrators configure the tenant and never
 * see a case, whatever grants a mistake might have given them. Every decryption is audited.
 */
@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CasesRepository,
    private readonly door: CaseDoor,
    private readonly audit: AuditService,
    private readonly recorder: CaseRecorder,
  ) {}

  async list(staff: AuthenticatedStaff, filter: CaseListFilter) {
    const { session } = staff;
    const [items, total] = session.roles.includes('administrator')
      ? [[], 0]
      : await inTenant(this.dataSource, session.tenantId, (m) =>
          this.cases.listGranted(m, session.userId, filter),
        );
    return { items: items.map(mapCaseSummary), total, limit: filter.limit, offset: filter.offset };
  }

  async get(staff: AuthenticatedStaff, reference: string): Promise<CaseView> {
    return this.door.open(staff, reference, {}, async ({ m, found, actor, key }) => {
      const scopeKey = await key('report');
      let content: ReportContent = { report: null, attachments: [], messages: [] };
      if (scopeKey) {
        content = await readReportScope(await this.cases.items(m, found.id, 'report'), scopeKey);
        await this.recorder.trail(
          m,
          found.id,
          { origin: 'staff', staffId: actor.userId },
          'case.content_decrypted',
          { scope: 'report', items: 1 + content.attachments.length + content.messages.length },
        );
      }
      return {
        ...mapCaseSummary(found),
        channel: found.channel,
        routing: found.routing,
        allowedTransitions: allowedTransitions(found.status as CaseStatus, actor.roles),
        ...content,
        report: content.report as CaseReport | null,
      };
    });
  }

  /**
   * The case's audit trail, for those who oversee cases (the monitoring officer, or whoever a
   * conflict route put in their place) and hold a grant for it; 404 for everyone else.
   */
  async trail(staff: AuthenticatedStaff, reference: string, page: { limit: number; offset: number }) {
    return this.door.open(staff, reference, { roles: 'oversight', unlock: false }, ({ m, found }) =>
      this.audit.listForCase(m, found.id, page),
    );
  }
}
