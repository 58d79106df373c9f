/**
 * Operator commands for a council's export signing key (see tenant-signing-keys.ts for what the key is
 * and why the server holds it). Each returns the lines to print.
 *   tenant:signing-key --slug SLUG           the key's fingerprint, making it now if the council has none
 *   tenant:replace-signing-key --slug SLUG   a new key in place of the old one: after EXPORT_SIGNING_SECRET
 *                                            was lost (the old key no longer opens) or leaked with a dump
 * Replacing runs as the tables' owner (the application role may never delete a signing key), inside the
 * council's tenant for row-level security. Exports signed before still verify with the public key their
 * recipients saved; the command prints the old fingerprint so that can be said to them.
 */
import type { DataSource } from 'typeorm';
import { inTenant } from '../database/tenant-transaction';
import { parseFlags } from '../staff/staff-commands';
import { TenantEntity } from './tenant.entity';
import { TenantSigningKeyEntity } from './tenant-signing-key.entity';
import { ensureTenantSigningKey } from './tenant-signing-keys';

async function tenantFor(dataSource: DataSource, args: readonly string[]): Promise<TenantEntity> {
  const { slug } = parseFlags(args, ['slug']);
  const tenant = await dataSource.getRepository(TenantEntity).findOne({ where: { slug } });
  if (!tenant) throw new Error(`no tenant with slug "${slug}"`);
  return tenant;
}

const published = (tenant: TenantEntity) => `published at /api/v1/tenants/${tenant.slug}/signing-key`;

export async function signingKeyShow(
  dataSource: DataSource,
  args: readonly string[],
  exportSigningSecret: string,
): Promise<string[]> {
  const tenant = await tenantFor(dataSource, args);
  const key = await inTenant(dataSource, tenant.id, (m) =>
    ensureTenantSigningKey(m, tenant, exportSigningSecret),
  );
  return [
    `tenant ${tenant.slug}: export signing key ${key.fingerprint.toUpperCase()} (${published(tenant)})`,
  ];
}

/** `ownerDataSource` must connect as the tables' owner (MIGRATION_DATABASE_URL). */
export async function signingKeyReplace(
  ownerDataSource: DataSource,
  args: readonly string[],
  exportSigningSecret: string,
): Promise<string[]> {
  const tenant = await tenantFor(ownerDataSource, args);
  const { previous, current } = await inTenant(ownerDataSource, tenant.id, async (m) => {
    const old = await m.getRepository(TenantSigningKeyEntity).findOne({ where: { tenantId: tenant.id } });
    await m.getRepository(TenantSigningKeyEntity).delete({ tenantId: tenant.id });
    return {
      previous: old?.fingerprint ?? null,
      current: await ensureTenantSigningKey(m, tenant, exportSigningSecret),
    };
  });
  return [
    `tenant ${tenant.slug}: new export signing key ${current.fingerprint.toUpperCase()} (${published(tenant)})`,
    previous
      ? `the previous key ${previous.toUpperCase()} signs nothing more; exports it signed still verify with the copy their recipients imported`
      : 'there was no previous key',
  ];
}
