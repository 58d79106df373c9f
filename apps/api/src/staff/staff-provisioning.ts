/**
 * Creating tenants and staff users, shared by the operator CLI, the demo seed and the tests. A tenant
 * gets an escrow key locked under a recovery passphrase that is returned once and never stored; a
 * user gets an Argon2id password hash, a key pair locked under the password and, optionally, a TOTP
 * secret sealed under SESSION_SECRET. Each takes the caller's transaction, so a set-up of several
 * steps (the demo tenant with all its users) commits whole or not at all.
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { generateStaffKeyPair } from '@nolan/crypto';
import { isStaffRole, type StaffRole } from '@nolan/domain';
import { authenticator } from 'otplib';
import type { EntityManager } from 'typeorm';
import { SecretBox } from '../common/secret-box';
import { setTenant as setTenantOfTransaction } from '../database/tenant-transaction';
import { TenantEntity } from '../tenants/tenant.entity';
import { ensureTenantSigningKey } from '../tenants/tenant-signing-keys';
import { StaffUserEntity } from './staff-user.entity';

/**
 * Argon2id (the library's default algorithm; a test checks the stored hash says so) with the OWASP
 * password storage cheat sheet's parameters: 19 MiB, 2 passes.
 */
export const PASSWORD_HASH_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
export const MIN_PASSWORD_LENGTH = 12;

/** A random secret that is easy to read out and type: groups of 4 characters without look-alikes. */
export function typeableSecret(groups: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols: 5 bits each, no modulo bias
  const chars = Array.from(randomBytes(groups * 4), (b) => alphabet[b % alphabet.length]);
  return Array.from({ length: groups }, (_, i) => chars.slice(i * 4, i * 4 + 4).join('')).join('-');
}

export interface NewTenant {
  tenant: TenantEntity;
  /** Shown once to the operator; never stored. */
  escrowRecoveryPassphrase: string;
  /** The export signing key's fingerprint, when it was made with the tenant. */
  signingKeyFingerprint?: string;
}

/**
 * With `exportSigningSecret` (EXPORT_SIGNING_SECRET), the tenant's export signing key is made in the same
 * transaction; without it, it is made the first time an export or the published key needs it.
 */
export async function createTenant(
  manager: EntityManager,
  input: { slug: string; name: string; exportSigningSecret?: string },
): Promise<NewTenant> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) {
    throw new Error('slug must be 2–63 lower-case letters, digits or hyphens');
  }
  const escrowRecoveryPassphrase = typeableSecret(8);
  const escrow = await generateStaffKeyPair({
    name: `${input.name} escrow`,
    email: `escrow@${input.slug}.nolan.invalid`,
    passphrase: escrowRecoveryPassphrase,
  });
  const repository = manager.getRepository(TenantEntity);
  if (await repository.findOne({ where: { slug: input.slug } }))
    throw new Error(`a tenant "${input.slug}" already exists`);
  const tenant = await repository.save(
    repository.create({
      slug: input.slug,
      name: input.name,
      escrowPublicKey: escrow.publicKey,
      escrowPrivateKeyEncrypted: escrow.encryptedPrivateKey,
      escrowFingerprint: escrow.fingerprint,
    }),
  );
  if (input.exportSigningSecret === undefined) return { tenant, escrowRecoveryPassphrase };
  const signingKey = await ensureTenantSigningKey(manager, tenant, input.exportSigningSecret);
  return { tenant, escrowRecoveryPassphrase, signingKeyFingerprint: signingKey.fingerprint };
}

export interface NewStaffUser {
  user: StaffUserEntity;
  password: string;
  /** Present when the user was enrolled in two-factor sign-in at creation. */
  totpSecret?: string;
}

export async function createStaffUser(
  manager: EntityManager,
  sessionSecret: string,
  input: {
    tenantId: string;
    email: string;
    name: string;
    roles: readonly string[];
    password?: string;
    enrolTotp?: boolean;
    /** The password is being handed to the person by someone else: they must choose their own first. */
    passwordMustChange?: boolean;
  },
): Promise<NewStaffUser> {
  const email = input.email.trim().toLowerCase();
  const roles = [...new Set(input.roles)];
  const unknown = roles.filter((r) => !isStaffRole(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new Error(
      `roles must be one or more staff roles${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  }
  const password = input.password ?? typeableSecret(5);
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new Error(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const keys = await generateStaffKeyPair({ name: input.name, email, passphrase: password });
  const totpSecret = input.enrolTotp ? authenticator.generateSecret(20) : undefined;
  await setTenant(manager, input.tenantId);
  const repository = manager.getRepository(StaffUserEntity);
  if (await repository.findOne({ where: { email } }))
    throw new Error(`a user ${email} already exists in this tenant`);
  const user = await repository.save(
    repository.create({
      tenantId: input.tenantId,
      email,
      displayName: input.name,
      roles: roles as StaffRole[],
      // The operator's CLI sets a council's first holders, confirmed (issue #15); an administrator's
      // request moves its roles to pending_roles afterwards (AdminUsersService).
      rolesConfirmedAt: new Date(),
      passwordMustChange: input.passwordMustChange ?? false,
      passwordHash: await hash(password, PASSWORD_HASH_OPTIONS),
      totpSecretSealed: totpSecret ? new SecretBox(sessionSecret, 'totp').seal(totpSecret) : null,
      totpEnrolledAt: totpSecret ? new Date() : null,
      publicKey: keys.publicKey,
      privateKeyEncrypted: keys.encryptedPrivateKey,
      keyFingerprint: keys.fingerprint,
    }),
  );
  return { user, password, totpSecret };
}

/** Clears a user's two-factor set-up (lost phone): they enrol again at their next sign-in. */
export async function resetTotp(manager: EntityManager, tenantId: string, email: string): Promise<boolean> {
  await setTenant(manager, tenantId);
  const result = await manager.getRepository(StaffUserEntity).update(
    { email: email.trim().toLowerCase() },
    {
      totpSecretSealed: null,
      totpEnrolledAt: null,
      // Shown to the person at their next sign-in (issue #15): a reset they did not ask for is a warning.
      // Setting it up again needs the person's own new password: whoever asked for the reset may know the
      // old one (issue #15).
      passwordMustChange: true,
      accountNotice: 'two_factor_reset',
      accountNoticeAt: new Date(),
    },
  );
  return (result.affected ?? 0) > 0;
}

/** Row-level security: the tenant for the rest of the caller's transaction. */
async function setTenant(manager: EntityManager, tenantId: string): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('staff provisioning must run in a transaction');
  await setTenantOfTransaction(manager, tenantId);
}
