/**
 * A handler's motivated request to see the reporter's identity (issue #7; docs/architecture.md
 * "Encryption model" → "Identity"). The request and its reason are recorded (the reason encrypted to
 * the internal scope); the custodian decides in identity-decision.service.ts.
 */
import { Injectable } from '@nestjs/common';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { IdentityRequestEntity } from '../store/identity-request.entity';

@Injectable()
export class IdentityRequestService {
  constructor(
    private readonly recorder: CaseRecorder,
    private readonly door: CaseDoor,
  ) {}

  async request(staff: AuthenticatedStaff, reference: string, reason: string) {
    return this.door.open(
      staff,
      reference,
      { unlock: false },
      async ({ m, found, actor: session, holds }) => {
        if (await holds('identity')) {
          throw new AppError('CONFLICT', 'You can already see the reporter’s identity for this case.');
        }
        const pending = await m
          .getRepository(IdentityRequestEntity)
          .findOne({ where: { caseId: found.id, requesterId: session.userId, status: 'pending' } });
        if (pending) throw new AppError('CONFLICT', 'You already have a request waiting for a decision.');
        const saved = await m
          .getRepository(IdentityRequestEntity)
          .save(
            m
              .getRepository(IdentityRequestEntity)
              .create({ tenantId: session.tenantId, caseId: found.id, requesterId: session.userId }),
          );
        await this.recorder.record(
          m,
          { tenantId: session.tenantId, caseId: found.id },
          {
            kind: 'identity_requested',
            by: { origin: 'staff', staffId: session.userId },
            body: { requestId: saved.id, reason },
            details: { requestId: saved.id },
          },
        );
        return { id: saved.id, status: saved.status };
      },
    );
  }
}
