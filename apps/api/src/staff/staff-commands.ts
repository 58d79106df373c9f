/**
 * Operator commands for tenants and staff (run through cli.ts as the tables' owner is NOT needed: they
 * use the application role, so row-level security applies to operators too). Each returns the lines
 * to print; secrets appear in them once and are never stored readable.
 */
import { isStaffRole, STAFF_ROLES } from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { TenantEntity } from '../tenants/tenant.entity';
import { createStaffUser, createTenant, resetTotp } from './staff-provisioning';

/**
 * `--name value` pairs from argv, every one of `allowed` required: one error names every unknown,
 * empty or missing option.
 */
export function parseFlags(args: readonly string[], allowed: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i] ?? '';
    const value = args[i + 1];
    if (!name.startsWith('--') || !allowed.includes(name.slice(2))) {
      throw new Error(`unknown option "${name}"; options: ${allowed.map((a) => `--${a}`).join(', ')}`);
    }
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    flags[name.slice(2)] = value;
  }
  const missing = allowed.filter((name) => !flags[name]).map((name) => `--${name}`);
  if (missing.length)
    throw new Error(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`);
  return flags;
}

async function tenantBySlug(dataSource: DataSource, slug: string): Promise<TenantEntity> {
  const tenant = await dataSource.getRepository(TenantEntity).findOne({ where: { slug } });
  if (!tenant) throw new Error(`no tenant with slug "${slug}"`);
  return tenant;
}

/** With the export signing secret, the tenant's export signing key is made with it (else on first use). */
export async function tenantCreate(
  dataSource: DataSource,
  args: readonly string[],
  exportSigningSecret?: string,
): Promise<string[]> {
  const flags = parseFlags(args, ['slug', 'name']);
  const { tenant, escrowRecoveryPassphrase, signingKeyFingerprint } = await dataSource.transaction((m) =>
    createTenant(m, { slug: flags.slug as string, name: flags.name as string, exportSigningSecret }),
  );
  return [
    `tenant "${tenant.name}" created (slug ${tenant.slug})`,
    `escrow recovery passphrase (shown once; store it offline, e.g. in the monitoring officer's safe): ${escrowRecoveryPassphrase}`,
    ...(signingKeyFingerprint
      ? [
          `export signing key ${signingKeyFingerprint.toUpperCase()} (published at /api/v1/tenants/${tenant.slug}/signing-key)`,
        ]
      : []),
  ];
}

export async function userCreate(
  dataSource: DataSource,
  sessionSecret: string,
  args: readonly string[],
): Promise<string[]> {
  const flags = parseFlags(args, ['tenant', 'email', 'name', 'roles']);
  const roles = (flags.roles as string).split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !isStaffRole(r));
  if (unknown.length)
    throw new Error(`unknown role(s) ${unknown.join(', ')}; roles: ${STAFF_ROLES.join(', ')}`);
  const tenant = await tenantBySlug(dataSource, flags.tenant as string);
  const created = await dataSource.transaction((m) =>
    createStaffUser(m, sessionSecret, {
      tenantId: tenant.id,
      email: flags.email as string,
      name: flags.name as string,
      roles,
      passwordMustChange: true,
    }),
  );
  return [
    `user ${created.user.email} created in ${tenant.slug} with roles ${created.user.roles.join(', ')}`,
    `temporary password (shown once): ${created.password}`,
    'at first sign-in they choose their own password, then set up two-factor sign-in with an authenticator app',
  ];
}

export async function userResetTwoFactor(
  dataSource: DataSource,
  args: readonly string[],
  auditKey: string,
): Promise<string[]> {
  const flags = parseFlags(args, ['tenant', 'email']);
  const tenant = await tenantBySlug(dataSource, flags.tenant as string);
  const email = flags.email as string;
  const done = await dataSource.transaction(async (m) => {
    if (!(await resetTotp(m, tenant.id, email))) return false;
    // In front of the oversight roles like an administrator's reset (issue #15); the person is told at sign-in.
    const [user] = (await m.query(`SELECT id FROM staff_users WHERE email = $1`, [
      email.trim().toLowerCase(),
    ])) as {
      id: string;
    }[];
    await new AuditService(new AuditRepository(), auditKey).append(m, {
      actor: { type: 'operator' },
      action: 'config.changed',
      details: { setting: 'staff_user.two_factor_reset_by_operator', userId: user?.id ?? null },
    });
    return true;
  });
  if (!done) throw new Error(`no user ${email} in ${tenant.slug}`);
  return [`two-factor sign-in reset for ${email}; they set it up again at their next sign-in`];
}
