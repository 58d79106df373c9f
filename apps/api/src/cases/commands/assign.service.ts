/**
 * Assignment (issue #7 "Assignment"). The case's overseer — the monitoring officer, or whoever a conflict route put in their place
 * (whoever routing names as overseer for the case as it stands: CaseAccessService.isOverseer) —
 * assigns it to a handler and transfers it to another. Assigning re-grants the report and internal scopes from the overseer's own grants
 * (CaseAccessService), so the assignee can read it at once; the assignee may not be anyone the case's
 * conflict set rules out (docs/regulatory.md §3).
 *
 * On transfer the previous assignee loses every grant, identity included, unless routing itself still
 * gives them the case (they are among its routed owners, notified or overseer — e.g. the section 151
 * officer on a fraud case, or the overseer who had assigned it to themselves): access that came only
 * from the assignment ends with it (docs/regulatory.md §3: reassignment by the monitoring officer revokes
 * the previous assignee's access at once), access that routing gives does not.
 *
 * The assignee's eligibility is re-checked as the assignment takes effect
 * (CaseAccessService.whyNotHandler → whyIneligible; docs/case-core.md "Eligibility at the moment access
 * is given"). Confirming ownership and legal hold are their own use cases (confirm-ownership.service.ts,
 * legal-hold.service.ts). Everything is audited.
 */
import { Injectable } from '@nestjs/common';
import { ownershipConfirmationDue, routeCase, toLondonDate } from '@nolan/domain';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor, type OpenCase } from '../access/case-door';
import { AppError } from '../../errors/app-error';
import { CaseAccessService } from '../access/case-access.service';
import { CaseEntity } from '../store/case.entity';
import { CaseRecorder } from '../record/case-recorder';

const OVERSEER_ONLY =
  'Only the case’s overseer (the monitoring officer, or whoever a conflict route put in their place) can do this.';

export function mapAssignment(c: CaseEntity) {
  return {
    reference: c.reference,
    assigneeId: c.assigneeId,
    assignedOn: c.assignedOn,
    ownershipDue: c.assignedOn && !c.ownershipConfirmedOn ? ownershipConfirmationDue(c.assignedOn) : null,
    ownershipConfirmedOn: c.ownershipConfirmedOn,
    legalHold: c.legalHold,
  };
}

@Injectable()
export class AssignService {
  constructor(
    private readonly recorder: CaseRecorder,
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
  ) {}

  /** Assigns the case to `assigneeId`, or transfers it there from its current assignee. */
  async assign(staff: AuthenticatedStaff, reference: string, assigneeId: string) {
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found, actor: session, keys } = opened;
      await mustOversee(this.access, opened);
      if (found.status === 'closed')
        throw new AppError('CONFLICT', 'A closed case cannot be assigned; reopen it first.');
      if (found.assigneeId === assigneeId)
        throw new AppError('CONFLICT', 'The case is already assigned to this person.');
      const input = await this.access.routingInput(m, found.id, keys);
      if (!input) throw new AppError('CONFLICT', 'Only someone who can read the report can assign the case.');
      const refusal = await this.access.whyNotHandler(m, input, assigneeId);
      // A field error is a list, like every 400 from validation; a conflict is one sentence.
      if (refusal)
        throw new AppError(
          refusal.code,
          refusal.code === 'INVALID_INPUT' ? [refusal.message] : refusal.message,
        );

      const previous = found.assigneeId;
      const reason = previous ? 'transferred' : 'assigned';
      const routed = routeCase(input);
      const routedIds =
        routed.kind === 'routed'
          ? new Set([...routed.owners, ...routed.notify, routed.overseer].map((r) => r.userId))
          : new Set<string>();
      const outcome = await this.access.change(m, {
        tenantId: session.tenantId,
        caseId: found.id,
        actor: { type: 'staff', id: session.userId },
        keys,
        reason,
        grant: [assigneeId],
        revoke: previous && !routedIds.has(previous) ? [previous] : [],
        assigneeId,
      });
      const today = toLondonDate(new Date());
      await m
        .getRepository(CaseEntity)
        .update({ id: found.id }, { assigneeId, assignedOn: today, ownershipConfirmedOn: null });
      await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        {
          kind: 'assigned',
          by: { origin: 'staff', staffId: session.userId },
          body: { assigneeId, previousAssigneeId: previous, reason, on: today },
          details: { assigneeId, previousAssigneeId: previous, reason },
          signal: { assigneeId, reason },
        },
      );
      const updated = await m.getRepository(CaseEntity).findOneOrFail({ where: { id: found.id } });
      return {
        ...mapAssignment(updated),
        reason,
        previousAssigneeId: previous,
        previousAssigneeKeepsAccess: previous ? !outcome.revoked.includes(previous) : null,
      };
    });
  }
}

/**
 * 403 unless the caller oversees the opened case (CaseAccessService.isOverseer: routing as it
 * stands); the door has already answered 404 to anyone who holds no grant on it.
 */
export async function mustOversee(
  access: CaseAccessService,
  { m, found, actor, keys }: OpenCase,
): Promise<void> {
  if (!(await access.isOverseer(m, found.id, actor, keys))) throw new AppError('FORBIDDEN', OVERSEER_ONLY);
}
