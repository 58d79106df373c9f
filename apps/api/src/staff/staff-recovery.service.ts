/**
 * A forgotten password, recovered through the tenant escrow (docs/architecture.md "Encryption model"): the
 * user's private key is locked under the password they lost, so it cannot be saved. Instead the
 * monitoring officer, with the council's recovery passphrase, unlocks the escrow key (a grantee of
 * every case scope), and every scope the user held is granted afresh to a new key pair under a
 * temporary password. Their two-factor set-up stays; their sessions end. All of it is audited.
 *
 * The temporary password goes to the person, by e-mail, never to whoever runs the recovery (issue #15): it
 * opens only a session that chooses their own password, after their own two-factor code. If the e-mail
 * cannot be sent nothing changes (503), so a recovery never leaves an account under a password nobody has.
 * The oversight roles see the recovery (GET /oversight/changes), and the person is told at sign-in.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hash } from '@node-rs/argon2';
import {
  CryptoError,
  generateStaffKeyPair,
  PublicKeyHandle,
  regrant,
  unlockPrivateKey,
  type UnlockedKey,
} from '@nolan/crypto';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SessionStore, type StaffSession } from '../auth/session-store';
import { ItemSeal } from '../cases/record/item-seal';
import { CasesRepository } from '../cases/store/cases.repository';
import { inTenant } from '../database/tenant-transaction';
import { MailService } from '../notifications/mail.service';
import { AppError } from '../errors/app-error';
import { TenantsRepository } from '../tenants/tenants.repository';
import { PASSWORD_HASH_OPTIONS, typeableSecret } from './staff-provisioning';
import { StaffUsersRepository } from './staff-users.repository';
import { holdCases } from '../reporter-time/case-hold';

@Injectable()
export class StaffRecoveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly users: StaffUsersRepository,
    private readonly cases: CasesRepository,
    private readonly sessions: SessionStore,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly seal: ItemSeal,
  ) {}

  private readonly logger = new Logger(StaffRecoveryService.name);

  async recover(actor: StaffSession, userId: string, recoveryPassphrase: string) {
    if (!actor.roles.includes('monitoring_officer')) {
      throw new AppError('FORBIDDEN', 'Only the monitoring officer can recover an account.');
    }
    const tenant = await this.tenants.findById(actor.tenantId);
    if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    let escrow: UnlockedKey;
    try {
      escrow = await unlockPrivateKey(tenant.escrowPrivateKeyEncrypted, recoveryPassphrase);
    } catch (error) {
      if (error instanceof CryptoError && error.code === 'WRONG_PASSPHRASE') {
        throw new AppError('INVALID_INPUT', "recoveryPassphrase is not this council's recovery passphrase");
      }
      throw error;
    }
    const temporaryPassword = typeableSecret(5);
    const result = await inTenant(this.dataSource, actor.tenantId, async (m) => {
      const user = await this.users.findById(m, userId);
      if (!user) throw new AppError('NOT_FOUND', 'There is no such user in this council.');
      const keys = await generateStaffKeyPair({
        name: user.displayName,
        email: user.email,
        passphrase: temporaryPassword,
      });
      const newKey = await PublicKeyHandle.parse(keys.publicKey);
      // Hashed here, before any write, like the grants below: the audit trail waits only for writes.
      const passwordHash = await hash(temporaryPassword, PASSWORD_HASH_OPTIONS);
      // Every case whose grant is replaced is held before the first write (docs/architecture.md
      // "Placement"): a grant the placement pass is moving is waited for. Each case in id order, or, for
      // someone holding many (the monitoring officer holds nearly every case), the council, with one
      // lock: the pass moves none of its rows until this commits, and the transaction stays whole.
      const grants = await this.cases.staffGrants(m, user.id);
      await holdCases(
        m,
        grants.map((grant) => grant.caseId),
      );
      // The new key is pinned here, where it is made (item-seal.ts); the old one stays pinned, so what
      // the person signed before still verifies.
      await this.seal.pinNew(m, actor.tenantId, { kind: 'staff', id: user.id }, newKey);
      // Every grant is re-made for the new key first, then written: the cryptography (most of a
      // recovery's time) runs before the first audit entry takes the council's trail lock, so the
      // council's other audited writes wait only for the writes.
      const remade: { grant: (typeof grants)[number]; encrypted: Uint8Array }[] = [];
      let lost = 0;
      for (const grant of grants) {
        const escrowGrant = await this.cases.escrowGrant(m, grant.caseId, grant.scope);
        if (!escrowGrant) {
          lost += 1;
          continue;
        }
        remade.push({
          grant,
          encrypted: await regrant(new Uint8Array(escrowGrant.encryptedScopeKey), escrow, newKey),
        });
      }
      let regranted = 0;
      for (const { grant, encrypted } of remade) {
        await this.cases.replaceGrant(m, grant, encrypted);
        await this.audit.append(m, {
          actor: { type: 'staff', id: actor.userId },
          action: 'grant.created',
          caseId: grant.caseId,
          details: { scope: grant.scope, granteeId: user.id, via: 'escrow_recovery' },
        });
        regranted += 1;
      }
      await this.users.update(m, user.id, {
        passwordHash,
        publicKey: keys.publicKey,
        privateKeyEncrypted: keys.encryptedPrivateKey,
        keyFingerprint: keys.fingerprint,
        passwordChangedAt: null,
        passwordMustChange: true,
        accountNotice: 'recovered',
        accountNoticeAt: new Date(),
      });
      await this.audit.append(m, {
        actor: { type: 'staff', id: actor.userId },
        action: 'config.changed',
        details: { setting: 'staff_key_recovered', userId: user.id, regranted, lost },
      });
      // Last, inside the transaction: if the mail cannot go, the recovery rolls back.
      await this.mail.sendTemporaryPassword(user.email, temporaryPassword).catch((error: unknown) => {
        this.logger.warn({ err: error, userId: user.id }, 'Could not e-mail a recovered password');
        throw new AppError(
          'SERVICE_BUSY',
          'The new password could not be e-mailed to the person, so nothing was changed. Try again shortly.',
          60,
        );
      });
      return { userId: user.id, regranted, lost };
    });
    await this.sessions.destroyAllFor(userId);
    return { ...result, delivered: 'e-mail' as const };
  }
}
