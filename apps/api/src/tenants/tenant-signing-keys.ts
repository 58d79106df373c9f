/**
 * Each tenant's export signing key (issue #7 "Export"; docs/architecture.md "Exports"): every
 * case export is signed with it, and its public key is published at GET /tenants/:slug/signing-key so a
 * recipient can check, with GnuPG or any OpenPGP tool, that an export came from this council's Nolan and
 * was not altered.
 *
 * Why the private key is held by the server, sealed under EXPORT_SIGNING_SECRET (environment or the demo's
 * .demo/secrets.env, never the database), rather than under a person's passphrase like the escrow key:
 * an export must be signed whenever a handler asks for one, with nobody else present, and a signature
 * says "this came out of the system unaltered" — a statement about the system, not about a person (the
 * audit trail records who asked). The seal is AES-256-GCM under a key derived (HKDF) from the secret and
 * the tenant's id, so a sealed key copied onto another tenant's row does not open.
 *
 * What losing or leaking the secret means:
 * - Lost (or changed): no stored signing key opens, and exports fail with a logged server error until an
 *   operator runs `tenant:replace-signing-key` (signing-key-commands.ts). Exports already made still
 *   verify against the public key the recipient saved; their content was never under this secret.
 * - Leaked on its own: nothing (the sealed keys are in the database).
 * - Leaked with a database dump: someone can sign files that verify as this council's exports. They still
 *   cannot read any case (signing keys decrypt nothing). Remedy: a new secret, then every council's key
 *   replaced (tenant:replace-signing-key) and recipients told.
 *
 * Tenants created before this key existed get theirs the first time anything needs it (lazy and
 * race-safe: INSERT … ON CONFLICT DO NOTHING, then read what won), so no migration has to know the secret.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateSigningKeyPair, UnlockedKey } from '@nolan/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '../common/secret-box';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { inTenant, setTenant, tenantNotedFor } from '../database/tenant-transaction';
import { TenantSigningKeyEntity } from './tenant-signing-key.entity';

export interface PublishedSigningKey {
  fingerprint: string;
  /** ASCII-armored OpenPGP public key. */
  publicKey: string;
  createdAt: Date;
}

/** The seal for one tenant's key: the tenant id is part of the key derivation. */
function sealFor(secret: string, tenantId: string): SecretBox {
  return new SecretBox(secret, `export-signing-key/${tenantId}`);
}

/**
 * The tenant's signing key row, made now if the tenant has none. Runs in the caller's transaction and
 * sets the tenant for row-level security. Used at tenant creation and by the lazy path.
 */
export async function ensureTenantSigningKey(
  manager: EntityManager,
  tenant: { id: string; slug: string; name: string },
  exportSigningSecret: string,
): Promise<TenantSigningKeyEntity> {
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('the tenant signing key must be made in a transaction');
  // Already this tenant's transaction (inTenant): nothing to set.
  if (tenantNotedFor(manager) !== tenant.id) await setTenant(manager, tenant.id);
  const repository = manager.getRepository(TenantSigningKeyEntity);
  const existing = await repository.findOne({ where: { tenantId: tenant.id } });
  if (existing) return existing;
  const material = await generateSigningKeyPair({
    // Public: whoever verifies an export sees this name, so it names the council and nothing else.
    name: `${tenant.name} (Nolan case exports)`,
    email: `exports@${tenant.slug}.nolan.invalid`,
  });
  const sealed = sealFor(exportSigningSecret, tenant.id).seal(
    Buffer.from(material.privateKey).toString('base64'),
  );
  await manager
    .createQueryBuilder()
    .insert()
    .into(TenantSigningKeyEntity)
    .values({
      tenantId: tenant.id,
      fingerprint: material.fingerprint,
      publicKey: material.publicKey,
      privateKeySealed: sealed,
    })
    .orIgnore()
    .execute();
  // Another request may have made one first; theirs stands.
  return repository.findOneOrFail({ where: { tenantId: tenant.id } });
}

@Injectable()
export class TenantSigningKeys {
  private readonly logger = new Logger(TenantSigningKeys.name);
  /**
   * Opened keys by tenant and fingerprint: unsealing costs little, parsing a little more, and a key
   * never changes under a fingerprint. The secret is already in this process, so this adds no exposure.
   */
  private readonly opened = new Map<string, UnlockedKey>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The tenant's public signing key, made first if it has none. */
  async published(tenant: { id: string; slug: string; name: string }): Promise<PublishedSigningKey> {
    const row = await inTenant(this.dataSource, tenant.id, (m) =>
      ensureTenantSigningKey(m, tenant, this.config.exportSigningSecret),
    );
    return { fingerprint: row.fingerprint, publicKey: row.publicKey, createdAt: row.createdAt };
  }

  /** The opened private key to sign with, inside the caller's tenant transaction. */
  async signer(
    manager: EntityManager,
    tenant: { id: string; slug: string; name: string },
  ): Promise<UnlockedKey> {
    const row = await ensureTenantSigningKey(manager, tenant, this.config.exportSigningSecret);
    const cacheKey = `${row.tenantId}/${row.fingerprint}`;
    const known = this.opened.get(cacheKey);
    if (known) return known;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(
        sealFor(this.config.exportSigningSecret, row.tenantId).open(row.privateKeySealed),
        'base64',
      );
    } catch {
      // An operator problem, not the caller's: say what to check, without any key material.
      this.logger.error(
        { tenantId: row.tenantId, fingerprint: row.fingerprint },
        'EXPORT_SIGNING_SECRET does not open this tenant’s export signing key (was the secret changed?)',
      );
      throw new Error('The export signing key cannot be opened.');
    }
    const key = await UnlockedKey.fromSerialized(new Uint8Array(bytes));
    if (key.fingerprint !== row.fingerprint)
      throw new Error('The export signing key does not match its row.');
    this.opened.set(cacheKey, key);
    return key;
  }
}
