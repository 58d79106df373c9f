import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hash, verify } from '@node-rs/argon2';
import type { Me, OpenPgpKeyRegistered, StaffSignIn, TotpEnrolment } from '@nolan/contract';
import { changePassphrase, CryptoError, PublicKeyHandle, unlockPrivateKey } from '@nolan/crypto';
import type Redis from 'ioredis';
import { authenticator } from 'otplib';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ItemSeal } from '../cases/record/item-seal';
import { SecretBox } from '../common/secret-box';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { inTenant } from '../database/tenant-transaction';
import { PASSWORD_HASH_OPTIONS } from '../staff/staff-provisioning';
import { AppError } from '../errors/app-error';
import { REDIS } from '../redis/redis.module';
import type { StaffUserEntity } from '../staff/staff-user.entity';
import { StaffUsersRepository } from '../staff/staff-users.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { type SessionScope, SessionStore, type StaffSession } from './session-store';
import { SignInThrottle } from './sign-in-throttle';

const WRONG_DETAILS = 'The e-mail address, password or code is not right.';

/** What the person is told at sign-in of what was done to their account; never who or why. */
const ACCOUNT_NOTICES: Readonly<Record<'two_factor_reset' | 'recovered', string>> = {
  two_factor_reset:
    'Your two-factor sign-in was reset. If you did not ask for this, tell the monitoring officer at once.',
  recovered:
    'Your account was recovered with a new password sent to you by e-mail. If you did not ask for this, tell the monitoring officer at once.',
};
/** Codes are accepted one step (30 s) either side, for clocks that drift. */
authenticator.options = { window: 1 };

/** 201 from staff sign-in: the contract's shape (docs/architecture.md "The contract"). */
export type SignInResult = StaffSignIn;

/**
 * Staff sign-in (password, then TOTP), sign-out, password change and two-factor enrolment. On
 * sign-in the user's private key is unlocked with their password and kept only sealed in the Redis
 * session (see SessionStore); a password change re-encrypts it.
 */
@Injectable()
export class AuthService {
  private readonly totpBox: SecretBox;
  /** Verified against when the address is unknown, so both paths cost the same Argon2 work. */
  private readonly dummyHash: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly tenants: TenantsRepository,
    private readonly users: StaffUsersRepository,
    private readonly sessions: SessionStore,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
    private readonly seal: ItemSeal,
  ) {
    this.totpBox = new SecretBox(config.sessionSecret, 'totp');
    this.dummyHash = hash('no such user: constant-time filler', PASSWORD_HASH_OPTIONS);
  }

  async signIn(
    slug: string,
    input: { email: string; password: string; totp?: string },
  ): Promise<SignInResult> {
    const tenant = await this.tenants.requireBySlug(slug);
    const email = input.email.trim().toLowerCase();
    await this.throttle.assertNotLocked(tenant.id, email);

    const user = await inTenant(this.dataSource, tenant.id, (m) => this.users.findByEmail(m, email));
    const passwordOk = await verify(user?.passwordHash ?? (await this.dummyHash), input.password);
    if (!user || !passwordOk)
      return this.fail(tenant.id, email, user?.id ?? null, user ? 'wrong_password' : 'unknown_address');

    let scope: SessionScope = 'full';
    if (user.totpEnrolledAt) {
      if (!input.totp || !(await this.acceptTotp(user, input.totp))) {
        return this.fail(tenant.id, email, user.id, input.totp ? 'wrong_code' : 'missing_code');
      }
      // A password someone else handed over (a recovery) opens nothing but choosing one's own.
      if (user.passwordMustChange) scope = 'password_change';
    } else {
      // Enrolment then needs the person's own new password too when this one was handed over (issue #15).
      scope = 'totp_enrolment';
    }
    await this.throttle.clear(tenant.id, email);

    const privateKey = await unlockPrivateKey(user.privateKeyEncrypted, input.password);
    await inTenant(this.dataSource, tenant.id, async (m) => {
      await this.audit.append(m, {
        actor: { type: 'staff', id: user.id },
        action: 'auth.sign_in',
        details: { scope },
      });
      // A person whose key was made before keys were pinned where they are made gets it pinned now, once,
      // having proven they hold it (item-seal.ts `pinFirst`); anyone already pinned keeps their pins.
      await this.seal.pinFirst(m, tenant.id, { kind: 'staff', id: user.id }, privateKey.publicKey());
    });
    const token = await this.sessions.create(
      { tenantId: tenant.id, userId: user.id, roles: user.roles, scope },
      privateKey.serialize(),
    );
    // An administrator may have deactivated the account or changed its roles while the password was being
    // checked: that change ends the person's sessions once it has committed, which may have been before
    // this one existed. Reading the account again now closes the gap: a change committed by now is seen
    // here, and one committed later ends this session too.
    const now = await inTenant(this.dataSource, tenant.id, (m) => this.users.findById(m, user.id));
    if (
      !now ||
      now.deactivatedAt !== null ||
      [...now.roles].sort().join() !== [...user.roles].sort().join()
    ) {
      await this.sessions.destroyAllFor(user.id);
      return this.fail(tenant.id, email, user.id, 'account_changed');
    }
    return {
      token,
      scope,
      expiresInSeconds: this.config.sessionIdleSeconds,
      user: { id: user.id, name: user.displayName, email: user.email, roles: user.roles },
    };
  }

  async signOut(session: StaffSession): Promise<void> {
    await this.sessions.destroy(session.sessionId, session.userId);
  }

  async me(session: StaffSession): Promise<Me> {
    const user = await this.requireUser(session);
    return {
      id: user.id,
      name: user.displayName,
      email: user.email,
      roles: user.roles,
      totpEnrolled: user.totpEnrolledAt !== null,
      externalKeyFingerprint: user.externalKeyFingerprint,
      sessionScope: session.scope,
      passwordMustChange: user.passwordMustChange,
      accountNotice:
        user.accountNotice && user.accountNoticeAt
          ? {
              kind: user.accountNotice,
              at: user.accountNoticeAt.toISOString(),
              message: ACCOUNT_NOTICES[user.accountNotice],
            }
          : null,
    };
  }

  async acknowledgeNotice(session: StaffSession): Promise<void> {
    await inTenant(this.dataSource, session.tenantId, (m) =>
      this.users.update(m, session.userId, { accountNotice: null, accountNoticeAt: null }),
    );
  }

  /** Re-encrypts the private key under the new password; every other session of the user ends. */
  async changePassword(session: StaffSession, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.requireUser(session);
    if (!(await verify(user.passwordHash, currentPassword))) {
      throw new AppError('INVALID_INPUT', 'currentPassword is not your current password');
    }
    if (newPassword === currentPassword)
      throw new AppError('INVALID_INPUT', 'newPassword must differ from your current password');
    const privateKeyEncrypted = await changePassphrase(
      user.privateKeyEncrypted,
      currentPassword,
      newPassword,
    );
    const passwordHash = await hash(newPassword, PASSWORD_HASH_OPTIONS);
    await inTenant(this.dataSource, session.tenantId, (m) =>
      this.users.update(m, user.id, {
        privateKeyEncrypted,
        passwordHash,
        passwordChangedAt: new Date(),
        passwordMustChange: false,
      }),
    );
    await this.sessions.destroyAllFor(user.id, session.sessionId);
    if (session.scope === 'password_change')
      await this.sessions.upgrade(session, user.totpEnrolledAt ? 'full' : 'totp_enrolment');
  }

  /** Starts (or restarts) two-factor enrolment: a new secret, shown once, not active until confirmed. */
  async startTotpEnrolment(session: StaffSession): Promise<TotpEnrolment> {
    const user = await this.requireUser(session);
    if (user.totpEnrolledAt)
      throw new AppError('CONFLICT', 'Two-factor sign-in is already set up. Ask an operator to reset it.');
    const secret = authenticator.generateSecret(20);
    await inTenant(this.dataSource, session.tenantId, (m) =>
      this.users.update(m, user.id, { totpSecretSealed: this.totpBox.seal(secret) }),
    );
    return { secret, otpauthUrl: authenticator.keyuri(user.email, 'Nolan', secret) };
  }

  /**
   * Confirms enrolment with a code from the app; the session becomes a full one. When the password was
   * handed over (an administrator's temporary one) or two-factor sign-in was reset, enrolment needs the
   * person's own new password as well (issue #15): whoever knew the old one never gets a working account.
   */
  async confirmTotpEnrolment(
    session: StaffSession,
    code: string,
    passwords: { currentPassword?: string; newPassword?: string } = {},
  ): Promise<void> {
    const user = await this.requireUser(session);
    if (user.totpEnrolledAt) throw new AppError('CONFLICT', 'Two-factor sign-in is already set up.');
    if (!user.totpSecretSealed) throw new AppError('CONFLICT', 'Start two-factor enrolment first.');
    if (user.passwordMustChange) {
      if (!passwords.currentPassword || !passwords.newPassword)
        throw new AppError(
          'INVALID_INPUT',
          'newPassword: choose your own password (with currentPassword, the one you signed in with) to set up two-factor sign-in',
        );
      // Checked before the code is used up, so a mistyped password does not cost the person a code.
      if (!(await verify(user.passwordHash, passwords.currentPassword)))
        throw new AppError('INVALID_INPUT', 'currentPassword is not your current password');
      if (passwords.newPassword === passwords.currentPassword)
        throw new AppError('INVALID_INPUT', 'newPassword must differ from your current password');
    }
    if (!(await this.acceptTotp(user, code)))
      throw new AppError('INVALID_INPUT', 'totp is not the current code from your authenticator app');
    if (user.passwordMustChange && passwords.currentPassword && passwords.newPassword)
      await this.changePassword(session, passwords.currentPassword, passwords.newPassword);
    await inTenant(this.dataSource, session.tenantId, (m) =>
      this.users.update(m, user.id, { totpEnrolledAt: new Date() }),
    );
    await this.sessions.upgrade(session);
  }

  /** Registers the user's own OpenPGP public key for exports. */
  async registerExternalKey(session: StaffSession, armoredPublicKey: string): Promise<OpenPgpKeyRegistered> {
    let key: PublicKeyHandle;
    try {
      key = await PublicKeyHandle.parse(armoredPublicKey.trim());
    } catch (error) {
      if (error instanceof CryptoError)
        throw new AppError('INVALID_INPUT', 'armoredPublicKey is not an OpenPGP public key we can use');
      throw error;
    }
    await inTenant(this.dataSource, session.tenantId, (m) =>
      this.users.update(m, session.userId, {
        externalPublicKey: armoredPublicKey.trim(),
        externalKeyFingerprint: key.fingerprint,
      }),
    );
    return { fingerprint: key.fingerprint };
  }

  private async requireUser(session: StaffSession): Promise<StaffUserEntity> {
    const user = await inTenant(this.dataSource, session.tenantId, (m) =>
      this.users.findById(m, session.userId),
    );
    if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    return user;
  }

  /** A valid code, not used before (a code seen once is refused for the rest of its window). */
  private async acceptTotp(user: StaffUserEntity, code: string): Promise<boolean> {
    if (!user.totpSecretSealed || !authenticator.check(code, this.totpBox.open(user.totpSecretSealed)))
      return false;
    const fresh = await this.redis.set(
      `${this.config.redisPrefix}:totp-used:${user.id}:${code}`,
      '1',
      'EX',
      120,
      'NX',
    );
    return fresh === 'OK';
  }

  /** Records the failure (audit trail and lock-out count), then refuses with the one generic answer. */
  private async fail(tenantId: string, email: string, userId: string | null, reason: string): Promise<never> {
    await inTenant(this.dataSource, tenantId, (m) =>
      this.audit.append(m, {
        actor: { type: 'staff', id: userId },
        action: 'auth.sign_in_failed',
        details: { reason },
      }),
    );
    await this.throttle.recordFailure(tenantId, email);
    throw new AppError('INVALID_CREDENTIALS', WRONG_DETAILS);
  }
}
