/**
 * Legal hold (issue #6 "legal hold"): the case's overseer sets or clears it, with a reason encrypted to
 * the internal scope. Audited through the recorder.
 */
import { Injectable } from '@nestjs/common';
import { toLondonDate } from '@nolan/domain';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { CaseAccessService } from '../access/case-access.service';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { CaseEntity } from '../store/case.entity';
import { mapAssignment, mustOversee } from './assign.service';

@Injectable()
export class LegalHoldService {
  constructor(
    private readonly recorder: CaseRecorder,
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
  ) {}

  /** Sets (held = true) or clears a legal hold, with a reason kept encrypted in the case. */
  async legalHold(staff: AuthenticatedStaff, reference: string, held: boolean, reason: string) {
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found, actor: session } = opened;
      await mustOversee(this.access, opened);
      if (found.legalHold === held)
        throw new AppError(
          'CONFLICT',
          held ? 'The case is already on legal hold.' : 'The case is not on legal hold.',
        );
      await m.getRepository(CaseEntity).update({ id: found.id }, { legalHold: held });
      await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        {
          kind: held ? 'legal_hold_set' : 'legal_hold_cleared',
          by: { origin: 'staff', staffId: session.userId },
          body: { held, reason, on: toLondonDate(new Date()) },
        },
      );
      return mapAssignment({ ...found, legalHold: held } as CaseEntity);
    });
  }
}
