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
import { startOfHour } from '../common/start-of-hour';
import { NO_IDENTITY } from '../reporter-time/identity-placeholder';
import { newCaseReference } from './case-reference';
import { packFile, packJson } from './item-codec';

export interface Grantee {
  kind: GranteeKind;
  /** Staff user id; null for the escrow key and the reporter. */
  userId: string | null;
  publicKey: string | Uint8Array;
}

export type ItemAuthor = { kind: 'reporter' } | { kind: 'staff'; id: string } | { kind: 'system' };

export interface NewFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface NewCase {
  tenantId: string;
  category: CategoryId;
  receivedAt: Date;
  channel?: CaseEntity['channel'];
  routing?: CaseEntity['routing'];
  /** Who wrote the report: the reporter on the web, a handler recording an oral report. */
  author?: ItemAuthor;
  /** Evidence files, already stripped of metadata: encrypted, names included, to the report scope. */
  attachments?: readonly NewFile[];
  /** The report as the reporter gave it (answers, free text): encrypted to the report scope. */
  report: unknown;
  /** The reporter's identity, if given: encrypted to the identity scope. */
  identity?: unknown;
  /** Who may read each scope. The escrow key should be in every list. */
  grantees: Record<Scope, Grantee[]>;
}

const SCOPES: readonly Scope[] = ['report', 'internal', 'identity'];

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
        receivedAt: startOfHour(input.receivedAt),
        acknowledgementDue: sla.acknowledgementDue,
        feedbackDue: sla.feedbackDue,
        channel: input.channel ?? 'web',
        routing: input.routing ?? 'routed',
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
    const author = authorColumns(input.author ?? { kind: 'reporter' });
    const reportKey = (keys.get('report') as ScopeKeyPair).publicKey;
    const items: Partial<CaseItemEntity>[] = [
      {
        ...base,
        ...author,
        scope: 'report',
        kind: 'report',
        ciphertext: await seal(packJson(input.report), reportKey),
      },
    ];
    for (const file of input.attachments ?? []) {
      const packed = packFile({ name: file.name, mediaType: file.mediaType }, file.bytes);
      items.push({
        ...base,
        ...author,
        scope: 'report',
        kind: 'attachment',
        ciphertext: await seal(packed, reportKey),
      });
    }
    {
      // Always one, empty if none was given (docs/architecture.md "Reporter time").
      const identityKey = (keys.get('identity') as ScopeKeyPair).publicKey;
      items.push({
        ...base,
        ...author,
        scope: 'identity',
        kind: 'identity',
        ciphertext: await seal(packJson(input.identity ?? NO_IDENTITY), identityKey),
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

  /**
   * Adds an item (a message, a file) to an existing case, encrypted to the scope's public key: anyone
   * may add content without holding a private key (DESIGN.md "Encrypted case store").
   */
  async addItem(
    manager: EntityManager,
    target: { tenantId: string; caseId: string; scope: Scope; kind: string; author: ItemAuthor },
    plaintext: Uint8Array,
  ): Promise<string> {
    const key = await manager
      .getRepository(CaseScopeKeyEntity)
      .findOneOrFail({ where: { caseId: target.caseId, scope: target.scope } });
    const inserted = await manager.getRepository(CaseItemEntity).insert({
      tenantId: target.tenantId,
      caseId: target.caseId,
      scope: target.scope,
      kind: target.kind,
      ...authorColumns(target.author),
      ciphertext: await seal(plaintext, new Uint8Array(key.publicKey)),
    });
    return (inserted.identifiers[0] as { id: string }).id;
  }
}

async function seal(plaintext: Uint8Array, publicKey: Uint8Array): Promise<Buffer> {
  return Buffer.from(await encryptToScope(plaintext, publicKey));
}

function authorColumns(author: ItemAuthor): Pick<CaseItemEntity, 'authorKind' | 'authorId'> {
  return { authorKind: author.kind, authorId: author.kind === 'staff' ? author.id : null };
}
