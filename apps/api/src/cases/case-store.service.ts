/**
 * Creating a case in the encrypted store: its three scope key pairs, the content encrypted to them,
 * and a grant of each scope to each person entitled to it (DESIGN.md "Encrypted case store"). Scope
 * private keys exist only in memory here and, afterwards, only inside grants.
 */
import { Injectable } from '@nestjs/common';
import {
  createGrant,
  encryptToScope,
  generateScopeKeyPair,
  PublicKeyHandle,
  type Scope,
  type ScopeKeyPair,
} from '@nolan/crypto';
import { type CategoryId, computeSlaDates, getCategory, toLondonDate } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import {
  CaseEntity,
  CaseGrantEntity,
  CaseItemEntity,
  CaseScopeKeyEntity,
  type GranteeKind,
} from './case.entity';
import { newCaseReference } from './case-reference';

export interface Grantee {
  kind: GranteeKind;
  /** Staff user id; null for the escrow key and the reporter. */
  userId: string | null;
  publicKey: string | Uint8Array;
}

export interface NewCase {
  tenantId: string;
  category: CategoryId;
  receivedAt: Date;
  /** The report as the reporter gave it (answers, free text): encrypted to the report scope. */
  report: unknown;
  /** The reporter's identity, if given: encrypted to the identity scope. */
  identity?: unknown;
  /** Who may read each scope. The escrow key should be in every list. */
  grantees: Record<Scope, Grantee[]>;
}

const SCOPES: readonly Scope[] = ['report', 'internal', 'identity'];

export function hourOf(instant: Date): Date {
  const hour = new Date(instant);
  hour.setUTCMinutes(0, 0, 0);
  return hour;
}

@Injectable()
export class CaseStoreService {
  /** Writes the case through `manager` (the caller's tenant transaction); returns its id and reference. */
  async create(manager: EntityManager, input: NewCase): Promise<{ id: string; reference: string }> {
    const clock = getCategory(input.category).clock;
    const sla = computeSlaDates({ receivedOn: toLondonDate(input.receivedAt), clock });
    const keys = new Map<Scope, ScopeKeyPair>();
    for (const scope of SCOPES) keys.set(scope, await generateScopeKeyPair(scope));

    const saved = await manager.getRepository(CaseEntity).save(
      manager.getRepository(CaseEntity).create({
        tenantId: input.tenantId,
        reference: newCaseReference(),
        category: input.category,
        status: 'received',
        outcome: null,
        receivedAt: hourOf(input.receivedAt),
        acknowledgementDue: sla.acknowledgementDue,
        feedbackDue: sla.feedbackDue,
      }),
    );
    const base = { tenantId: input.tenantId, caseId: saved.id };
    await manager.getRepository(CaseScopeKeyEntity).insert(
      SCOPES.map((scope) => ({
        ...base,
        scope,
        publicKey: Buffer.from((keys.get(scope) as ScopeKeyPair).publicKey),
      })),
    );
    const items: Partial<CaseItemEntity>[] = [
      {
        ...base,
        scope: 'report',
        kind: 'report',
        ciphertext: await this.seal(input.report, keys.get('report') as ScopeKeyPair),
      },
    ];
    if (input.identity !== undefined) {
      items.push({
        ...base,
        scope: 'identity',
        kind: 'identity',
        ciphertext: await this.seal(input.identity, keys.get('identity') as ScopeKeyPair),
      });
    }
    await manager.getRepository(CaseItemEntity).insert(items);

    const grants: Partial<CaseGrantEntity>[] = [];
    for (const scope of SCOPES) {
      const scopeKey = keys.get(scope) as ScopeKeyPair;
      for (const grantee of input.grantees[scope]) {
        grants.push({
          ...base,
          scope,
          granteeKind: grantee.kind,
          granteeId: grantee.userId,
          encryptedScopeKey: Buffer.from(
            await createGrant(scopeKey.privateKey, await PublicKeyHandle.parse(grantee.publicKey)),
          ),
        });
      }
    }
    await manager.getRepository(CaseGrantEntity).insert(grants);
    return { id: saved.id, reference: saved.reference };
  }

  private async seal(content: unknown, key: ScopeKeyPair): Promise<Buffer> {
    return Buffer.from(await encryptToScope(JSON.stringify(content), key.publicKey));
  }
}
