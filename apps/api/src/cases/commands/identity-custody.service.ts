/**
 * Custody of the reporter's identity by the escrow route (issue #7; docs/architecture.md "Encryption
 * model" → "Identity"): an overseer whom a re-routing left without the identity scope (see
 * NO_CUSTODIAN_GRANT in identity-decision.service.ts) takes it from the council's escrow key. The
 * overseer's own eligibility is re-checked as it takes effect (access/eligibility.ts).
 */
import { Injectable } from '@nestjs/common';
import { CryptoError, unlockPrivateKey, type UnlockedKey } from '@nolan/crypto';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { CaseAccessService } from '../access/case-access.service';
import { CaseDoor, type OpenCase } from '../access/case-door';
import { mustStillBeEligible } from '../access/eligibility';
import { escrowKeyHolder } from '../access/key-holders';

@Injectable()
export class IdentityCustodyService {
  constructor(
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
    private readonly tenants: TenantsRepository,
  ) {}

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
    await mustStillBeEligible(this.access, this.door, opened, actor.userId);
  }
}
