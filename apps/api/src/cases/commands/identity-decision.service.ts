/**
 * The reporter's identity, custodian-gated (docs/architecture.md "Encryption model" → "Identity"; issue #7).
 * Identity lives in the identity scope, granted at intake only to the case's overseer (the custodian)
 * and the escrow key. Who decides is the overseer by CaseAccessService.isOverseer (routing as it
 * stands), the same rule as for assignment and decisions; approving also needs their own identity
 * grant, which a re-routing cannot always give (409 NO_CUSTODIAN_GRANT names the escrow route). A handler who needs it files a motivated request; the custodian approves or
 * refuses with reasons (this file: the decision); only on approval does the requester receive an
 * identity grant, made by the custodian from their own, and only if the requester is still eligible at
 * that moment (access/eligibility.ts). The reporter is told that their identity was disclosed and why.
 * Reasons are encrypted to the internal scope; all of it is audited. Filing a request is
 * identity-request.service.ts, the escrow route to custody identity-custody.service.ts, and the reads
 * (the requests, the identity itself) are in reads/.
 */
import { Injectable } from '@nestjs/common';
import { createGrant, PublicKeyHandle, type UnlockedKey } from '@nolan/crypto';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { StaffUsersRepository } from '../../staff/staff-users.repository';
import { CaseAccessService } from '../access/case-access.service';
import { CaseDoor } from '../access/case-door';
import { mustStillBeEligible } from '../access/eligibility';
import { CaseRecorder } from '../record/case-recorder';
import { CaseGrantEntity } from '../store/case.entity';
import { IdentityRequestEntity } from '../store/identity-request.entity';

/** Why an overseer without the identity scope cannot approve a request, and what to do about it. */
export const NO_CUSTODIAN_GRANT =
  'You oversee this case but do not hold the reporter’s identity, so you cannot share it: it was not passed ' +
  'on to you when the case was re-routed to you, because whoever re-routed it did not hold it. The council’s ' +
  'escrow key holds every case’s identity: the monitoring officer’s recovery passphrase opens it, and ' +
  'POST /api/v1/cases/{reference}/identity/custody with that passphrase gives you the identity scope, after ' +
  'which you can approve. You can refuse this request now.';

@Injectable()
export class IdentityDecisionService {
  constructor(
    private readonly recorder: CaseRecorder,
    private readonly users: StaffUsersRepository,
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
  ) {}

  /** The custodian's decision. On approval the requester gets the identity scope and the reporter is told why. */
  async decide(
    staff: AuthenticatedStaff,
    reference: string,
    requestId: string,
    approve: boolean,
    reason: string,
  ) {
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found, actor: session } = opened;
      if (!(await this.access.isOverseer(m, found.id, session, opened.keys))) {
        throw new AppError(
          'FORBIDDEN',
          'Only the custodian of the reporter’s identity (the monitoring officer, or whoever oversees this case) can decide.',
        );
      }
      const request = await m
        .getRepository(IdentityRequestEntity)
        .findOne({ where: { id: requestId, caseId: found.id } });
      if (!request) throw new AppError('NOT_FOUND', 'There is no such identity request on this case.');
      if (request.status !== 'pending')
        throw new AppError('CONFLICT', `This request was already ${request.status}.`);
      if (request.requesterId === session.userId)
        throw new AppError('CONFLICT', 'You cannot decide your own request.');
      // Sharing the identity re-grants it from the custodian's own grant. An overseer put in place by a
      // re-routing whose author never held the identity scope (e.g. a handler naming the monitoring
      // officer as involved) has none: they may refuse, but approving must wait for the escrow route.
      const identityKey = await opened.key('identity');
      if (approve && !identityKey) throw new AppError('CONFLICT', NO_CUSTODIAN_GRANT);
      // The request may be old: whoever asked must still be eligible now, at the moment the grant is
      // made (issue #15: an old identity request must not reopen the door to someone since recused or
      // named). One rule for every decision that grants access: CaseAccessService.whyIneligible.
      if (approve) await mustStillBeEligible(this.access, this.door, opened, request.requesterId);
      const today = new Date().toISOString().slice(0, 10);
      await m
        .getRepository(IdentityRequestEntity)
        .update(
          { id: request.id },
          { status: approve ? 'approved' : 'refused', decidedBy: session.userId, decidedOn: today },
        );
      const by = { origin: 'staff', staffId: session.userId } as const;
      if (approve) {
        const [requester] = (await this.users.roleHolders(m)).filter((h) => h.userId === request.requesterId);
        if (!requester) throw new AppError('CONFLICT', 'The person who asked no longer has an account.');
        await m.getRepository(CaseGrantEntity).insert({
          tenantId: session.tenantId,
          caseId: found.id,
          scope: 'identity',
          granteeKind: 'staff',
          granteeId: requester.userId,
          encryptedScopeKey: Buffer.from(
            await createGrant(identityKey as UnlockedKey, await PublicKeyHandle.parse(requester.publicKey)),
          ),
        });
        await this.recorder.trail(m, found.id, by, 'grant.created', {
          scope: 'identity',
          granteeId: requester.userId,
          via: 'identity_request',
        });
      }
      await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        {
          kind: 'identity_decided',
          by,
          body: { requestId, approved: approve, reason },
          details: { requestId, approved: approve },
          ...(approve
            ? {
                notice: `Your identity has been shared with one more person handling your concern, because: ${reason}`,
              }
            : {}),
        },
      );
      return { id: requestId, status: approve ? 'approved' : 'refused' };
    });
  }
}
