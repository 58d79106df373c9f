/**
 * The demo tenant (slug `demo`): a staff user for every role holder, each with a key pair locked
 * under their password and a TOTP secret, plus the tenant escrow key. Idempotent: a second run
 * changes nothing and says so. Passwords, TOTP secrets and the escrow recovery passphrase are shown
 * once and written to .demo/credentials.json (git-ignored) so scripts and testers can sign in.
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { generateStaffKeyPair } from '@nolan/crypto';
import type { StaffRole } from '@nolan/domain';
import { authenticator } from 'otplib';
import type { DataSource } from 'typeorm';
import { SecretBox } from '../common/secret-box';
import { inTenant } from '../database/tenant-transaction';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { TenantEntity } from '../tenants/tenant.entity';

export const DEMO_SLUG = 'demo';
export const DEMO_TENANT_NAME = 'Demo Borough Council';

export const DEMO_USERS: readonly { email: string; name: string; roles: StaffRole[] }[] = [
  { email: 'admin@demo.nolan.example', name: 'Alex Administrator', roles: ['administrator'] },
  { email: 'mo@demo.nolan.example', name: 'Morgan Monitoring-Officer', roles: ['monitoring_officer'] },
  { email: 'deputy-mo@demo.nolan.example', name: 'Dana Deputy', roles: ['deputy_monitoring_officer'] },
  { email: 'investigator@demo.nolan.example', name: 'Ivy Investigator', roles: ['investigator'] },
  { email: 's151@demo.nolan.example', name: 'Sam Section-151', roles: ['s151_officer'] },
  { email: 'safeguarding@demo.nolan.example', name: 'Sasha Safeguarding', roles: ['safeguarding_lead'] },
  { email: 'chief-executive@demo.nolan.example', name: 'Chris Chief-Executive', roles: ['head_of_paid_service'] },
  { email: 'audit-chair@demo.nolan.example', name: 'Ali Audit-Chair', roles: ['audit_committee_chair'] },
];

/**
 * Argon2id (the library's default algorithm; a test checks the stored hash says so) with the OWASP
 * password storage cheat sheet's parameters: 19 MiB, 2 passes.
 */
export const PASSWORD_HASH_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export interface DemoCredentials {
  tenant: { slug: string; name: string; escrowRecoveryPassphrase: string };
  users: { email: string; name: string; roles: StaffRole[]; password: string; totpSecret: string; otpauthUrl: string }[];
}

export type SeedResult = { created: true; credentials: DemoCredentials } | { created: false; tenantId: string };

/** A random secret that is easy to type: groups of 4 base32 characters. */
function typeableSecret(groups: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(groups * 4);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return Array.from({ length: groups }, (_, i) => chars.slice(i * 4, i * 4 + 4).join('')).join('-');
}

export async function seedDemoTenant(dataSource: DataSource, sessionSecret: string): Promise<SeedResult> {
  const existing = await dataSource.getRepository(TenantEntity).findOne({ where: { slug: DEMO_SLUG } });
  if (existing) return { created: false, tenantId: existing.id };

  const totpBox = new SecretBox(sessionSecret, 'totp');
  const escrowRecoveryPassphrase = typeableSecret(8);
  const escrow = await generateStaffKeyPair({
    name: `${DEMO_TENANT_NAME} escrow`,
    email: 'escrow@demo.nolan.example',
    passphrase: escrowRecoveryPassphrase,
  });
  const users: DemoCredentials['users'] = [];
  const prepared: Partial<StaffUserEntity>[] = [];
  for (const user of DEMO_USERS) {
    const password = typeableSecret(5);
    const totpSecret = authenticator.generateSecret(20);
    const keys = await generateStaffKeyPair({ name: user.name, email: user.email, passphrase: password });
    prepared.push({
      email: user.email,
      displayName: user.name,
      roles: user.roles,
      passwordHash: await hash(password, PASSWORD_HASH_OPTIONS),
      totpSecretSealed: totpBox.seal(totpSecret),
      publicKey: keys.publicKey,
      privateKeyEncrypted: keys.encryptedPrivateKey,
      keyFingerprint: keys.fingerprint,
    });
    users.push({
      ...user,
      password,
      totpSecret,
      otpauthUrl: authenticator.keyuri(user.email, `Nolan (${DEMO_SLUG})`, totpSecret),
    });
  }

  const tenant = await dataSource.transaction(async (manager) => {
    // A concurrent start may have won the race: the unique slug makes the second insert a no-op.
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(TenantEntity)
      .values({
        slug: DEMO_SLUG,
        name: DEMO_TENANT_NAME,
        escrowPublicKey: escrow.publicKey,
        escrowPrivateKeyEncrypted: escrow.encryptedPrivateKey,
        escrowFingerprint: escrow.fingerprint,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    return inserted.raw[0] as { id: string } | undefined;
  });
  if (!tenant) {
    const winner = await dataSource.getRepository(TenantEntity).findOneOrFail({ where: { slug: DEMO_SLUG } });
    return { created: false, tenantId: winner.id };
  }
  await inTenant(dataSource, tenant.id, (manager) =>
    manager.getRepository(StaffUserEntity).insert(prepared.map((u) => ({ ...u, tenantId: tenant.id }))),
  );
  return {
    created: true,
    credentials: { tenant: { slug: DEMO_SLUG, name: DEMO_TENANT_NAME, escrowRecoveryPassphrase }, users },
  };
}
