/**
 * Item signatures (docs/architecture.md "Encryption model"): the one place that says what an item's
 * signature covers, signs it (for CaseRecorder) and verifies it (for every read: case view, timeline,
 * reporter's view, exports).
 *
 * The signature is a detached OpenPGP signature by the council's system key — the tenant signing key,
 * whose private half is sealed under a secret held outside the database (tenants/tenant-signing-keys.ts).
 * It covers the item's id, tenant, case, scope, kind, author, time and the SHA-256 of its ciphertext, so
 * a row inserted, copied into another case, re-attributed or given other ciphertext with the
 * application's database credentials does not verify. Verification uses the public half of the key
 * opened from its seal, never the published public key column, which the same insider could replace.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ItemVerification } from '@nolan/contract';
import { signDetached, verifyDetached } from '@nolan/crypto';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { TenantSigningKeys } from '../../tenants/tenant-signing-keys';
import { TenantEntity } from '../../tenants/tenant.entity';
import type { CaseItemEntity } from '../store/case.entity';

/**
 * `verified`: signed by the council's system key as recorded. `unsigned`: recorded before signatures
 * (listed by the migration that introduced them). `unverified`: anything else — shown, never hidden.
 */
export type { ItemVerification };

export type SignedItem = Pick<
  CaseItemEntity,
  'id' | 'tenantId' | 'caseId' | 'scope' | 'kind' | 'authorKind' | 'authorId' | 'createdAt' | 'ciphertext'
>;

/** The bytes a signature covers. Versioned so that a later change of layout cannot be confused. */
export function itemStatement(item: SignedItem): Uint8Array {
  return Buffer.from(
    JSON.stringify([
      'nolan-case-item/1',
      item.id,
      item.tenantId,
      item.caseId,
      item.scope,
      item.kind,
      item.authorKind,
      item.authorId,
      new Date(item.createdAt).toISOString(),
      createHash('sha256').update(item.ciphertext).digest('hex'),
    ]),
    'utf8',
  );
}

@Injectable()
export class ItemSeal {
  /** Tenants' slug and name, needed only if a tenant has no signing key yet; they do not change. */
  private readonly tenants = new Map<string, { id: string; slug: string; name: string }>();

  constructor(private readonly signingKeys: TenantSigningKeys) {}

  /**
   * A signer for the items of one event (in the caller's tenant transaction): the key is looked up and
   * opened once (then cached, parsed), and each signature costs about a millisecond.
   */
  async signer(m: EntityManager, tenantId: string): Promise<(item: SignedItem) => Promise<Buffer>> {
    const key = await this.signingKeys.signer(m, await this.tenant(m, tenantId));
    return async (item) => {
      if (item.tenantId !== tenantId) throw new Error('an item is signed only in its own council');
      return Buffer.from(await signDetached(itemStatement(item), key));
    };
  }

  /** Each item's verification state, by id. */
  async verify(
    m: EntityManager,
    items: readonly (SignedItem & Pick<CaseItemEntity, 'signature'>)[],
  ): Promise<Map<string, ItemVerification>> {
    const states = new Map<string, ItemVerification>();
    if (items.length === 0) return states;
    const unsignedIds = items.filter((i) => !i.signature).map((i) => i.id);
    const before = new Set<string>();
    if (unsignedIds.length > 0) {
      const rows: { id: string }[] = await m.query(
        `SELECT id FROM case_items_before_signatures WHERE id = ANY($1::uuid[])`,
        [unsignedIds],
      );
      for (const row of rows) before.add(row.id);
    }
    const keys = new Map<string, Awaited<ReturnType<TenantSigningKeys['signer']>>>();
    for (const item of items) {
      if (!item.signature) {
        states.set(item.id, before.has(item.id) ? 'unsigned' : 'unverified');
        continue;
      }
      let key = keys.get(item.tenantId);
      if (!key) {
        key = await this.signingKeys.signer(m, await this.tenant(m, item.tenantId));
        keys.set(item.tenantId, key);
      }
      const ok = await verifyDetached(itemStatement(item), new Uint8Array(item.signature), key.publicKey());
      states.set(item.id, ok ? 'verified' : 'unverified');
    }
    return states;
  }

  private async tenant(m: EntityManager, tenantId: string) {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      const row = await m.getRepository(TenantEntity).findOneOrFail({ where: { id: In([tenantId]) } });
      tenant = { id: row.id, slug: row.slug, name: row.name };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }
}
