/**
 * The identity requests on a case, with their reasons and decisions (issue #7), for anyone who holds
 * the case: a read. Filing and deciding are commands/identity-request.service.ts and
 * commands/identity-decision.service.ts.
 */
import { Injectable } from '@nestjs/common';
import { decryptWithScope } from '@nolan/crypto';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor } from '../access/case-door';
import { unpackJson } from '../record/item-codec';
import { CasesRepository } from '../store/cases.repository';
import { IdentityRequestEntity } from '../store/identity-request.entity';

@Injectable()
export class IdentityRequestsService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly door: CaseDoor,
  ) {}

  /** The requests on a case, with their reasons, for anyone who holds the case. */
  async list(staff: AuthenticatedStaff, reference: string) {
    return this.door.open(staff, reference, { reads: true }, async ({ m, found, key }) => {
      const requests = await m
        .getRepository(IdentityRequestEntity)
        .find({ where: { caseId: found.id }, order: { requestedOn: 'ASC' } });
      const reasons = new Map<string, { reason?: string; decisionReason?: string }>();
      const scopeKey = await key('internal');
      if (scopeKey) {
        for (const item of await this.cases.items(m, found.id, 'internal')) {
          if (item.kind !== 'identity_request' && item.kind !== 'identity_decision') continue;
          const body = unpackJson<{ requestId: string; reason: string }>(
            await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey),
          );
          const entry = reasons.get(body.requestId) ?? {};
          if (item.kind === 'identity_request') entry.reason = body.reason;
          else entry.decisionReason = body.reason;
          reasons.set(body.requestId, entry);
        }
      }
      return requests.map((r) => ({
        id: r.id,
        requesterId: r.requesterId,
        status: r.status,
        requestedOn: r.requestedOn,
        decidedBy: r.decidedBy,
        decidedOn: r.decidedOn,
        reason: reasons.get(r.id)?.reason ?? null,
        decisionReason: reasons.get(r.id)?.decisionReason ?? null,
      }));
    });
  }
}
