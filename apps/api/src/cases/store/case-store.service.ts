/**
 * Creating a case in the encrypted store: its row, its three scope key pairs and a grant of each scope
 * to each person entitled to it (docs/architecture.md "Case scope keys and grants"). Scope private keys
 * exist only in memory here and, afterwards, only inside grants. The report itself is the case's first
 * event, written by CaseRecorder once the keys exist.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  createGrant,
  modeTag,
  modeTagKey,
  type TaggedMode,
  PublicKeyHandle,
  type Scope,
  type ScopeKeyPair,
  takeScopeKeyPair,
} from '@nolan/crypto';
import { type CategoryId, computeSlaDates, getCategory, toLondonDate } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import { CaseEntity, CaseGrantEntity, CaseScopeKeyEntity, type GranteeKind } from './case.entity';
import { startOfHour } from '../../common/start-of-hour';
import { newCaseReference } from './case-reference';
import { tenantSlaPolicy } from '../../tenants/tenant-sla';
import { APP_CONFIG, type AppConfig, loadConfig } from '../../config/config';

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
  /** Shown to staff from then (a reporter's case: its batch's release); null or absent: at once. */
  visibleFrom?: Date | null;
  channel?: CaseEntity['channel'];
  routing?: CaseEntity['routing'];
  /**
   * How the report was made: anonymous (no identity given), confidential (identity for the handlers
   * only) or open. Kept only as a keyed tag (docs/dashboard.md "Reports by mode"); every report made
   * through intake gives it. Absent: no tag (the test fixtures' cases).
   */
  mode?: TaggedMode;
  /** Who may read each scope. The escrow key should be in every list. */
  grantees: Record<Scope, Grantee[]>;
}

const SCOPES: readonly Scope[] = ['report', 'internal', 'identity'];

@Injectable()
export class CaseStoreService {
  /** K_mode, derived once, when first needed, from the receipt pepper (a secret from outside the database). */
  private modeKey?: Uint8Array;

  constructor(@Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig) {}

  private tag(tenantId: string, id: string, mode: TaggedMode): Buffer {
    this.modeKey ??= modeTagKey((this.config ?? loadConfig()).receiptPepper);
    return modeTag(this.modeKey, tenantId, id, mode);
  }

  /** Writes the case through `manager` (the caller's tenant transaction); returns its id and reference. */
  async create(manager: EntityManager, input: NewCase): Promise<{ id: string; reference: string }> {
    const clock = getCategory(input.category).clock;
    // The council's own policy (docs/dashboard.md "The council's SLA policy"), read in this transaction.
    const { policy } = await tenantSlaPolicy(manager);
    const sla = computeSlaDates({ receivedOn: toLondonDate(input.receivedAt), clock, policy });
    const keys = new Map<Scope, ScopeKeyPair>();
    // From the process's pool, made between requests (docs/performance.md "Key pairs ahead of need").
    for (const scope of SCOPES) keys.set(scope, await takeScopeKeyPair(scope));

    // The id is chosen here so that the mode tag, which is bound to it, goes into the same insert.
    const id = randomUUID();
    const saved = await manager.getRepository(CaseEntity).save(
      manager.getRepository(CaseEntity).create({
        id,
        modeTag: input.mode ? this.tag(input.tenantId, id, input.mode) : null,
        tenantId: input.tenantId,
        reference: newCaseReference(),
        category: input.category,
        status: 'received',
        outcome: null,
        receivedAt: startOfHour(input.receivedAt),
        visibleFrom: input.visibleFrom ?? null,
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
}
