/**
 * Moving a case through the investigation lifecycle (issue #7; DESIGN.md "Investigation lifecycle").
 * The domain's state machine decides; this service records the result with who, when and why: the
 * status and dates in the readable metadata, the transition's own data (first response, plan,
 * findings, recommendations, reasons) encrypted to the internal scope, the first response also sent
 * to the reporter, an audit entry and an outbox event — all in one transaction.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  allowedTransitions,
  applyTransition,
  CASE_STATUSES,
  type CaseStatus,
  computeSlaDates,
  getCategory,
  isCategoryId,
  type StaffRole,
  toLondonDate,
  type TransitionCommand,
} from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedStaff } from '../auth/staff-auth.guard';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { OutboxRepository } from '../outbox/outbox.repository';
import { CaseEntity } from './case.entity';
import { CaseStoreService } from './case-store.service';
import { CasesRepository } from './cases.repository';
import { mapCaseSummary, NO_SUCH_CASE } from './cases.service';
import { packJson } from './item-codec';
import { ReporterMessages } from './reporter-messages';

@Injectable()
export class TransitionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CasesRepository,
    private readonly caseStore: CaseStoreService,
    private readonly outbox: OutboxRepository,
    private readonly reporterMessages: ReporterMessages,
    private readonly audit: AuditService,
  ) {}

  async transition(staff: AuthenticatedStaff, reference: string, body: unknown) {
    const { session } = staff;
    if (session.roles.includes('administrator')) throw new AppError('NOT_FOUND', NO_SUCH_CASE);
    const to = (body as { to?: unknown } | null)?.to;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof to !== 'string' ||
      !CASE_STATUSES.includes(to as CaseStatus)
    ) {
      throw new AppError('INVALID_INPUT', [`to must be one of: ${CASE_STATUSES.join(', ')}`]);
    }
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const found = await this.cases.findGrantedByReference(m, session.userId, reference);
      if (!found) throw new AppError('NOT_FOUND', NO_SUCH_CASE);
      const command = body as TransitionCommand;
      const result = applyTransition(found.status as CaseStatus, command, session.roles as StaffRole[]);
      if (!result.ok) {
        if (result.code === 'illegal_transition') throw new AppError('CONFLICT', result.reason);
        if (result.code === 'not_permitted') throw new AppError('FORBIDDEN', result.reason);
        throw new AppError('INVALID_INPUT', [result.reason]);
      }
      const today = toLondonDate(new Date());
      const changes: Partial<CaseEntity> = { status: result.to, outcome: result.outcome };
      if (result.to === 'acknowledged') {
        const clock = isCategoryId(found.category) ? getCategory(found.category).clock : 'standard';
        const sla = computeSlaDates({
          receivedOn: toLondonDate(found.receivedAt),
          acknowledgedOn: today,
          clock,
        });
        Object.assign(changes, { acknowledgedOn: today, feedbackDue: sla.feedbackDue });
      }
      if (result.to === 'closed') changes.closedOn = today;
      if (result.to === 'reopened') Object.assign(changes, { closedOn: null, outcome: null });
      await m.getRepository(CaseEntity).update({ id: found.id }, changes);

      const author = { kind: 'staff' as const, id: session.userId };
      const base = { tenantId: session.tenantId, caseId: found.id, author };
      await this.caseStore.addItem(
        m,
        { ...base, scope: 'internal', kind: 'transition' },
        packJson({ from: result.from, to: result.to, outcome: result.outcome, on: today, data: command }),
      );
      if (command.to === 'acknowledged') {
        const { proposedHandling, estimatedTimescale, supportAvailable } = command.firstResponse;
        const text = `We have received your concern.\n\nWhat we will do: ${proposedHandling}\n\nHow long it should take: ${estimatedTimescale}\n\nSupport available to you: ${supportAvailable}`;
        await this.reporterMessages.send(
          m,
          { tenantId: session.tenantId, caseId: found.id, staffId: session.userId },
          text,
        );
      }
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'case.transitioned',
        caseId: found.id,
        details: { from: result.from, to: result.to, outcome: result.outcome },
      });
      await this.outbox.add(m, {
        tenantId: session.tenantId,
        event: 'case.transitioned',
        aggregateId: found.id,
        payload: { from: result.from, to: result.to },
      });
      const updated = await m.getRepository(CaseEntity).findOneOrFail({ where: { id: found.id } });
      return {
        ...mapCaseSummary(updated),
        allowedTransitions: allowedTransitions(result.to, session.roles as StaffRole[]),
      };
    });
  }
}
