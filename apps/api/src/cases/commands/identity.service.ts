/**
 * The reporter's identity, custodian-gated (docs/architecture.md "Encryption model" → "Identity"; issue #7).
 * Identity lives in the identity scope, granted at intake only to the case's overseer (the custodian)
 * and the escrow key. Who decides is the overseer by CaseAccessService.isOverseer (routing as it
 * stands), the same rule as for assignment and decisions; approving also needs their own identity
 * grant, which a re-routing cannot always give (409 NO_CUSTODIAN_GRANT names the escrow route). A handler who needs it files a motivated request; the custodian approves or
 * refuses with reasons; only on approval does the requester receive an identity grant, made by the
 * custodian from their own. The reporter is told that their identity was disclosed and why. Reasons
 * are encrypted to the internal scope; all of it is audited.
 */
import { Injectable } from '@nestjs/common';
import {
  createGrant,
  CryptoError,
  decryptWithScope,
  PublicKeyHandle,
  unlockPrivateKey,
  type UnlockedKey,
} from '@nolan/crypto';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { StaffUsersRepository } from '../../staff/staff-users.repository';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { CaseDoor, type OpenCase } from '../access/case-door';
import { escrowKeyHolder } from '../access/key-holders';
import { CaseAccessService } from '../access/case-access.service';
import { CaseGrantEntity } from '../store/case.entity';
import { CasesRepository } from '../store/cases.repository';
import { IdentityRequestEntity } from '../store/identity-request.entity';
import { unpackJson } from '../record/item-codec';
import { CaseRecorder } from '../record/case-recorder';
import { isGivenIdentity } from '../../reporter-time/identity-placeholder';

/** Why an overseer without the identity scope cannot approve a request, and what to do about it. */
export const NO_CUSTODIAN_GRANT =
  'You oversee this case but do not hold the reporter’s identity, so you cannot share it: it was not passed ' +
  'on to you when the case was re-routed to you, because whoever re-routed it did not hold it. The council’s ' +
  'escrow key holds every case’s identity: the monitoring officer’s recovery passphrase opens it, and ' +
  'POST /api/v1/cases/{reference}/identity/custody with that passphrase gives you the identity scope, after ' +
  'which you can approve. You can refuse this request now.';

@Injectable()
export class IdentityService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly recorder: CaseRecorder,
    private readonly users: StaffUsersRepository,
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
    private readonly tenants: TenantsRepository,
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

  /** The requests on a case, with their reasons, for anyone who holds the case. */
  async list(staff: AuthenticatedStaff, reference: string) {
    return this.door.open(staff, reference, {}, async ({ m, found, key }) => {
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
      if (approve) await this.mustStillBeEligible(opened, request.requesterId);
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

  /**
   * The escrow route to custody: the case's overseer who lacks the identity scope (see
   * NO_CUSTODIAN_GRANT) unlocks the council's escrow key with its recovery passphrase, and the case is
   * re-routed from the escrow's grants, so whoever routing names receives every scope they miss — the
   * overseer the identity scope. Every grant is audited by CaseAccessService (keysFrom: 'escrow'); the escrow key is only
   * held for this request. 400 for a wrong passphrase, 403 for anyone but the overseer, 409 for an
   * overseer who already holds the identity.
   */
  async takeCustody(staff: AuthenticatedStaff, reference: string, recoveryPassphrase: string) {
    const tenant = await this.tenants.findById(staff.session.tenantId);
    if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    // Who may ask is settled before the passphrase is tried: otherwise anyone signed in could use this
    // route to test guesses at the council's recovery passphrase (and to spend its Argon2 cost).
    await this.door.open(staff, reference, {}, (opened) => this.mustTakeCustody(opened));
    let escrow: UnlockedKey;
    try {
      escrow = await unlockPrivateKey(tenant.escrowPrivateKeyEncrypted, recoveryPassphrase);
    } catch (error) {
      if (error instanceof CryptoError && error.code === 'WRONG_PASSPHRASE')
        throw new AppError('INVALID_INPUT', ["recoveryPassphrase is not this council's recovery passphrase"]);
      throw error;
    }
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found, actor: session } = opened;
      await this.mustTakeCustody(opened);
      const outcome = await this.access.change(m, {
        tenantId: session.tenantId,
        caseId: found.id,
        actor: { type: 'staff', id: session.userId },
        keys: escrowKeyHolder(escrow),
        reason: 'rerouted',
        reroute: true,
      });
      return { custodian: true, passedTo: outcome.newGrantees.length };
    });
  }

  /**
   * 409 unless `userId` may be given access to the case now (CaseAccessService.whyIneligible), and still
   * holds it: an identity grant to someone who lost the case would give them its most sensitive part.
   */
  private async mustStillBeEligible(opened: OpenCase, userId: string): Promise<void> {
    const { m, found } = opened;
    const input = await this.access.routingInput(m, found.id, opened.keys);
    if (!input)
      throw new AppError('CONFLICT', 'Only someone who can read the report can share the identity.');
    const refusal = await this.access.whyIneligible(m, input, userId, 'staff');
    const holdsCase = await this.door.holdsCase(m, userId, found.id);
    if (refusal || !holdsCase)
      throw new AppError(
        'CONFLICT',
        `The identity cannot be shared with the person who asked: ${
          refusal?.message ?? 'they no longer hold this case.'
        } Refuse the request instead.`,
      );
  }

  /** 403 unless the caller oversees the opened case, 409 if they already hold its identity scope. */
  private async mustTakeCustody(opened: OpenCase): Promise<void> {
    const { m, found, actor } = opened;
    if (!(await this.access.isOverseer(m, found.id, actor, opened.keys)))
      throw new AppError(
        'FORBIDDEN',
        'Only the case’s overseer (the monitoring officer, or whoever a conflict route put in their place) can take custody of the reporter’s identity.',
      );
    if (await opened.holds('identity'))
      throw new AppError('CONFLICT', 'You already hold the reporter’s identity for this case.');
    await this.mustStillBeEligible(opened, actor.userId);
  }

  /** The reporter's identity, for those holding the identity scope; 404 for everyone else. */
  async reveal(staff: AuthenticatedStaff, reference: string) {
    return this.door.open(staff, reference, {}, async ({ m, found, key }) => {
      const scopeKey = await key('identity');
      if (!scopeKey)
        throw new AppError('NOT_FOUND', 'The reporter’s identity is not available to you for this case.');
      const records = [];
      for (const item of await this.cases.items(m, found.id, 'identity')) {
        records.push(
          unpackJson<Record<string, string>>(
            await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey),
          ),
        );
      }
      const given = records.filter(isGivenIdentity); // docs/architecture.md "Reporter time": one is always there
      await this.recorder.trail(
        m,
        found.id,
        { origin: 'staff', staffId: staff.session.userId },
        'case.content_decrypted',
        { scope: 'identity', items: given.length },
      );
      return { anonymous: given.length === 0, identity: given.length ? Object.assign({}, ...given) : null };
    });
  }
}
