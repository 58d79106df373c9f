/**
 * The assignee confirms they own the case (issue #6 "confirm ownership", POST /cases/:ref/ownership):
 * until then the "confirm ownership" clock runs from the day of the assignment (libs/domain
 * ownershipConfirmationDue), and the workers remind the assignee and escalate to the overseer if it
 * runs out. Audited through the recorder.
 */
import { Injectable } from '@nestjs/common';
import { toLondonDate } from '@nolan/domain';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { CaseEntity } from '../store/case.entity';
import { mapAssignment } from './assign.service';

@Injectable()
export class ConfirmOwnershipService {
  constructor(
    private readonly recorder: CaseRecorder,
    private readonly door: CaseDoor,
  ) {}

  /** The assignee confirms they own the case, which stops the "confirm ownership" clock. */
  async confirmOwnership(staff: AuthenticatedStaff, reference: string) {
    return this.door.open(staff, reference, { unlock: false }, async ({ m, found, actor: session }) => {
      if (found.assigneeId !== session.userId)
        throw new AppError('FORBIDDEN', 'Only the handler the case is assigned to can confirm they own it.');
      if (found.ownershipConfirmedOn)
        throw new AppError('CONFLICT', `You already confirmed ownership on ${found.ownershipConfirmedOn}.`);
      const today = toLondonDate(new Date());
      await m.getRepository(CaseEntity).update({ id: found.id }, { ownershipConfirmedOn: today });
      await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        {
          kind: 'ownership_confirmed',
          by: { origin: 'staff', staffId: session.userId },
          body: { assignedOn: found.assignedOn, on: today },
          details: { assignedOn: found.assignedOn },
        },
      );
      return mapAssignment({ ...found, ownershipConfirmedOn: today } as CaseEntity);
    });
  }
}
