/**
 * What an item's signature covers (docs/architecture.md "Item signatures"), on its own so that a migration
 * can check signatures without the application's providers (migration 1763904800000). Versioned: a later
 * layout gets a new version string and its own function, so this one never changes.
 */
import { createHash } from 'node:crypto';
import type { CaseItemEntity } from '../store/case.entity';

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
