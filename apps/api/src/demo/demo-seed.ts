/**
 * The demo tenant (slug `demo`): a staff user for every role holder, each with a key pair locked
 * under their password and a TOTP secret, plus the tenant escrow key. Idempotent: a second run
 * changes nothing and says so. Passwords, TOTP secrets and the escrow recovery passphrase are shown
 * once and written to .demo/credentials.json (git-ignored) so scripts and testers can sign in.
 */
import type { StaffRole } from '@nolan/domain';
import { authenticator } from 'otplib';
import type { DataSource } from 'typeorm';
import { createStaffUser, createTenant } from '../staff/staff-provisioning';
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
  {
    email: 'chief-executive@demo.nolan.example',
    name: 'Chris Chief-Executive',
    roles: ['head_of_paid_service'],
  },
  { email: 'audit-chair@demo.nolan.example', name: 'Ali Audit-Chair', roles: ['audit_committee_chair'] },
];

export interface DemoCredentials {
  tenant: { slug: string; name: string; escrowRecoveryPassphrase: string };
  users: {
    email: string;
    name: string;
    roles: StaffRole[];
    password: string;
    totpSecret: string;
    otpauthUrl: string;
  }[];
}

export type SeedResult =
  { created: true; credentials: DemoCredentials } | { created: false; tenantId: string };

export async function seedDemoTenant(
  dataSource: DataSource,
  sessionSecret: string,
  /** When given, the demo council's export signing key is made with it (else on first use). */
  exportSigningSecret?: string,
): Promise<SeedResult> {
  const existing = await dataSource.getRepository(TenantEntity).findOne({ where: { slug: DEMO_SLUG } });
  if (existing) return { created: false, tenantId: existing.id };

  // One transaction: the demo tenant appears with all its users, or not at all (so a failed first
  // start never leaves a tenant whose sign-in details nobody has).
  const { escrowRecoveryPassphrase, users } = await dataSource.transaction(async (manager) => {
    const { tenant, escrowRecoveryPassphrase } = await createTenant(manager, {
      slug: DEMO_SLUG,
      name: DEMO_TENANT_NAME,
      exportSigningSecret,
    });
    const users: DemoCredentials['users'] = [];
    for (const demo of DEMO_USERS) {
      const created = await createStaffUser(manager, sessionSecret, {
        tenantId: tenant.id,
        ...demo,
        enrolTotp: true,
      });
      const totpSecret = created.totpSecret as string;
      users.push({
        ...demo,
        password: created.password,
        totpSecret,
        otpauthUrl: authenticator.keyuri(demo.email, `Nolan (${DEMO_SLUG})`, totpSecret),
      });
    }
    return { escrowRecoveryPassphrase, users };
  });
  return {
    created: true,
    credentials: { tenant: { slug: DEMO_SLUG, name: DEMO_TENANT_NAME, escrowRecoveryPassphrase }, users },
  };
}
