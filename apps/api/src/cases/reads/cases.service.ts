import type { CaseListItem, CaseReport, CaseView } from '@nolan/contract';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  allowedTransitions,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  CATEGORIES,
  type CaseStatus,
  type DeadlineFilter,
  deadlineThresholds,
  getCategory,
  isCategoryId,
  type LocalDate,
  type SlaPolicy,
  slaClocks,
  toLondonDate,
} from '@nolan/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { inTenant } from '../../database/tenant-transaction';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { readReportScope, type ReportContent } from '../record/case-content';
import { ItemSeal } from '../record/item-seal';
import type { CaseEntity } from '../store/case.entity';
import { type CaseListFilter, CasesRepository } from '../store/cases.repository';
import { CaseReadsRepository } from '../store/case-reads.repository';
import { nextCaseListCursor, parseCaseListCursor } from './case-list-cursor';

/** `{ next }` when a page after this one may hold cases, else nothing (a page's shape as before). */
function nextPage(found: readonly CaseEntity[], limit: number): { next?: string } {
  const next = nextCaseListCursor(found, limit);
  return next ? { next } : {};
}
import { AppError } from '../../errors/app-error';
import { tenantSlaPolicy } from '../../tenants/tenant-sla';

export { NO_SUCH_CASE } from '../access/case-door';

export type CaseListQuery = Omit<CaseListFilter, 'search' | 'deadline' | 'after'> & {
  q?: string;
  deadline?: DeadlineFilter;
  /** A cursor (reads/case-list-cursor.ts): the `next` of the page before. */
  after?: string;
};

/**
 * The search box over metadata only (issue #19): each word must match the start of the reference, a
 * word in the category's title or the status's label, or part of the assignee's name. Titles and
 * labels live in libs/domain, so they are matched here and the query compares ids.
 */
export function searchWords(q: string) {
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6)
    .map((word) => ({
      word,
      categories: CATEGORIES.filter((c) => c.title.toLowerCase().includes(word)).map((c) => c.id),
      statuses: CASE_STATUSES.filter((st) => CASE_STATUS_LABELS[st].toLowerCase().includes(word)),
    }));
}

/** What a case's clocks are judged against: the council's SLA policy (tenantSlaPolicy) and today. */
export interface ClockContext {
  readonly policy: SlaPolicy;
  readonly today: LocalDate;
}

/** Today in London and the council's policy, read in the caller's tenant transaction. */
export async function clockContext(m: EntityManager): Promise<ClockContext> {
  return { policy: (await tenantSlaPolicy(m)).policy, today: toLondonDate(new Date()) };
}

export function mapCaseSummary(
  entity: CaseEntity,
  clocks: ClockContext,
  assigneeName: string | null = null,
): CaseListItem {
  const receivedOn = toLondonDate(entity.receivedAt);
  return {
    reference: entity.reference,
    category: entity.category,
    categoryTitle: isCategoryId(entity.category) ? getCategory(entity.category).title : entity.category,
    status: entity.status,
    outcome: entity.outcome,
    receivedOn,
    acknowledgementDue: entity.acknowledgementDue,
    acknowledgedOn: entity.acknowledgedOn,
    feedbackDue: entity.feedbackDue,
    closedOn: entity.closedOn,
    /** The day of the latest reopening: the feedback clock runs from it (libs/domain sla.ts). */
    reopenedOn: entity.reopenedOn,
    assigneeId: entity.assigneeId,
    /** From the council's staff directory, so pages say who rather than "another handler". */
    assigneeName: entity.assigneeId ? assigneeName : null,
    assignedOn: entity.assignedOn,
    ownershipConfirmedOn: entity.ownershipConfirmedOn,
    legalHold: entity.legalHold,
    /** The day feedback was last given to the reporter: it meets the feedback clock (FeedbackService). */
    feedbackGivenOn: entity.feedbackGivenOn,
    /** The badges' states, decided here once (libs/domain sla-clocks.ts) under the council's policy. */
    clocks: slaClocks({ ...entity, receivedOn }, clocks.today, clocks.policy),
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
    private readonly reads: CaseReadsRepository,
    private readonly seal: ItemSeal,
  ) {}

  async list(staff: AuthenticatedStaff, query: CaseListQuery) {
    const { session } = staff;
    const { q, deadline, after, ...rest } = query;
    const filter: CaseListFilter = { ...rest, search: q ? searchWords(q) : undefined };
    if (after !== undefined) {
      const position = parseCaseListCursor(after);
      if (!position) throw new AppError('INVALID_INPUT', 'after must be the next of a page of the case list');
      filter.after = position;
    }
    // Administrators never see a case; nor does someone with no role in force (an account whose roles, or
    // whose reactivation, await confirmation), whatever grants they kept.
    if (session.roles.includes('administrator') || session.roles.length === 0)
      return { items: [], total: 0, limit: filter.limit, offset: filter.offset };
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      // The deadline filter and the badges both judge the clocks by the council's policy.
      const clocks = await clockContext(m);
      if (deadline) filter.deadline = deadlineThresholds(deadline, clocks.today, clocks.policy);
      const [found, total] = await this.cases.listGranted(m, session.userId, filter);
      // The "new message" flag is for the case's owner (issue #19).
      const owned = found.filter((c) => c.assigneeId === session.userId).map((c) => c.id);
      const names = await this.cases.staffNames(
        m,
        found.map((c) => c.assigneeId),
      );
      const unread = await this.reads.unread(m, session.userId, owned, this.cases.now());
      return {
        items: found.map((c) => ({
          ...mapCaseSummary(c, clocks, names.get(c.assigneeId ?? '') ?? null),
          newMessage: unread.has(c.id),
        })),
        total,
        limit: filter.limit,
        offset: filter.offset,
        // Where the next page starts, when this page is full: pass it as `after` (a deep page then costs
        // what the first costs).
        ...nextPage(found, filter.limit),
      };
    });
  }

  async get(staff: AuthenticatedStaff, reference: string): Promise<CaseView> {
    return this.door.open(staff, reference, {}, async ({ m, found, actor, key }) => {
      const scopeKey = await key('report');
      let content: ReportContent = { report: null, attachments: [], messages: [] };
      if (scopeKey) {
        const items = await this.cases.items(m, found.id, 'report');
        content = await readReportScope(items, scopeKey, this.seal.verify(m, items));
        await this.recorder.trail(
          m,
          found.id,
          { origin: 'staff', staffId: actor.userId },
          'case.content_decrypted',
          { scope: 'report', items: 1 + content.attachments.length + content.messages.length },
        );
      }
      const names = await this.cases.staffNames(m, [found.assigneeId]);
      // Whether the reporter wrote since the owner last saw the case; showing it now marks it seen (one
      // statement answers the first and writes the second).
      const { wasUnread } = await this.reads.markRead(
        m,
        actor.tenantId,
        found.id,
        actor.userId,
        this.cases.now(),
      );
      const newMessage = found.assigneeId === actor.userId && wasUnread;
      return {
        ...mapCaseSummary(found, await clockContext(m), names.get(found.assigneeId ?? '') ?? null),
        newMessage,
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
    return this.door.open(
      staff,
      reference,
      { roles: 'oversight', unlock: false, reads: true },
      ({ m, found }) => this.audit.listForCase(m, found.id, page),
    );
  }
}
