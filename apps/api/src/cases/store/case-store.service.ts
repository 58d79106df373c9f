/**
 * Creating a case in the encrypted store: its row, its three scope key pairs and a grant of each scope
 * to each person entitled to it (docs/architecture.md "Case scope keys and grants"). Scope private keys
 * exist only in memory here and, afterwards, only inside grants. The report itself is the case's first
 * event, written by CaseRecorder once the keys exist.
 *
 * The cryptography can be done first, with no database connection held (`seal`), and the transaction
 * then only writes (`create` with the sealed case): a grant sealed for someone the transaction no longer
 * routes the case to is never written, and anyone it routes to who was not sealed for is granted there
 * (docs/performance.md "What serialised intake").
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  createGrants,
  modeTag,
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
import { modeTagKeyOf } from '../../config/mode-tag-key';
import { insertHeldRows } from '../../reporter-time/held-insert';
import { noteHeld } from '../../reporter-time/case-hold';

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

/** A case's keys and grants made ahead of its transaction (`CaseStoreService.seal`). */
export interface SealedCase {
  /** The case's id, chosen before its transaction so that its items can be encrypted and signed first. */
  id: string;
  keys: ReadonlyMap<Scope, ScopeKeyPair>;
  /** The grants made, by scope, grantee kind, grantee id and the exact public key they were made to. */
  grants: ReadonlyMap<string, Uint8Array>;
}

function keyTag(publicKey: string | Uint8Array): string {
  return typeof publicKey === 'string' ? publicKey : Buffer.from(publicKey).toString('base64');
}

function grantTag(scope: Scope, grantee: Grantee): string {
  return JSON.stringify([scope, grantee.kind, grantee.userId, keyTag(grantee.publicKey)]);
}

/**
 * One grant per scope and grantee. Each distinct public key is parsed (and its self-signature checked)
 * once per case, not once per grant (docs/performance.md "What serialised intake"), and a scope's grants
 * are made together: one session key and encrypted-data packet per scope, one public-key encryption per
 * grantee, each grant still its own row and message (docs/performance.md "One session key per scope").
 */
async function makeGrants(
  keys: ReadonlyMap<Scope, ScopeKeyPair>,
  grantees: Record<Scope, Grantee[]>,
  made: ReadonlyMap<string, Uint8Array> = new Map(),
): Promise<Map<string, Uint8Array>> {
  const handles = new Map<string, Promise<PublicKeyHandle>>();
  const handleOf = (publicKey: string | Uint8Array): Promise<PublicKeyHandle> => {
    let handle = handles.get(keyTag(publicKey));
    if (!handle) {
      handle = PublicKeyHandle.parse(publicKey);
      handles.set(keyTag(publicKey), handle);
    }
    return handle;
  };
  const grants = new Map<string, Uint8Array>();
  for (const scope of SCOPES) {
    const scopeKey = keys.get(scope) as ScopeKeyPair;
    const missing = new Map<string, Grantee>();
    for (const grantee of grantees[scope]) {
      const tag = grantTag(scope, grantee);
      const sealed = made.get(tag);
      if (sealed) grants.set(tag, sealed);
      else missing.set(tag, grantee);
    }
    if (missing.size === 0) continue;
    const recipients = await Promise.all([...missing.values()].map((grantee) => handleOf(grantee.publicKey)));
    const encrypted = await createGrants(scopeKey.privateKey, recipients);
    [...missing.keys()].forEach((tag, i) => grants.set(tag, encrypted[i] as Uint8Array));
  }
  return grants;
}

@Injectable()
export class CaseStoreService {
  /**
   * K_mode, derived once, when first needed, from MODE_TAG_SECRET (held by the API alone, outside the
   * database; never the receipt pepper, which the workers and migrations hold too).
   */
  private modeKey?: Uint8Array;

  constructor(@Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig) {}

  private tag(tenantId: string, id: string, mode: TaggedMode): Buffer {
    this.modeKey ??= modeTagKeyOf(this.config ?? loadConfig());
    return modeTag(this.modeKey, tenantId, id, mode);
  }

  /**
   * The case's cryptography, with no connection held: its id, its three scope key pairs and the grants
   * to `grantees` (who the caller expects the case to go to). `create` writes them, checking the grants
   * against the grantees it is given then.
   */
  async seal(grantees: Record<Scope, Grantee[]>): Promise<SealedCase> {
    const keys = new Map<Scope, ScopeKeyPair>();
    // From the process's pool, made between requests (docs/performance.md "Key pairs ahead of need").
    for (const scope of SCOPES) keys.set(scope, await takeScopeKeyPair(scope));
    return { id: randomUUID(), keys, grants: await makeGrants(keys, grantees) };
  }

  /**
   * Writes the case through `manager` (the caller's tenant transaction); returns its id and reference.
   * With `sealed` (from `seal`) it uses that id, those keys and whichever of those grants are still for
   * one of `input.grantees` (same scope, person and public key), and makes only the missing grants here.
   */
  async create(
    manager: EntityManager,
    input: NewCase,
    sealed?: SealedCase,
  ): Promise<{ id: string; reference: string }> {
    const clock = getCategory(input.category).clock;
    // The council's own policy (docs/dashboard.md "The council's SLA policy"), read in this transaction.
    const { policy } = await tenantSlaPolicy(manager);
    const sla = computeSlaDates({ receivedOn: toLondonDate(input.receivedAt), clock, policy });
    const keys = new Map<Scope, ScopeKeyPair>(sealed?.keys);
    // From the process's pool, made between requests (docs/performance.md "Key pairs ahead of need").
    if (!sealed) for (const scope of SCOPES) keys.set(scope, await takeScopeKeyPair(scope));

    // The id is chosen here (or when sealed), so the row is one INSERT with nothing read back, and the
    // mode tag, which is bound to the id, goes into it.
    const saved = { id: sealed?.id ?? randomUUID(), reference: newCaseReference() };
    // Nothing read back: a reporter's case goes to its held table (reporter-time/held-insert.ts).
    await insertHeldRows(
      manager,
      CaseEntity,
      manager.getRepository(CaseEntity).create({
        ...saved,
        modeTag: input.mode ? this.tag(input.tenantId, saved.id, input.mode) : null,
        tenantId: input.tenantId,
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
    // A case made in this transaction is seen by no one else until it commits, so no placement pass can
    // move it meanwhile: the transaction holds it without asking Postgres (reporter-time/case-hold.ts).
    noteHeld(manager, saved.id);
    const base = { tenantId: input.tenantId, caseId: saved.id };
    await insertHeldRows(
      manager,
      CaseScopeKeyEntity,
      SCOPES.map((scope) => ({
        ...base,
        scope,
        publicKey: Buffer.from((keys.get(scope) as ScopeKeyPair).publicKey),
      })),
    );

    // Only grants for the grantees given now: one sealed for someone no longer among them is dropped.
    const made = await makeGrants(keys, input.grantees, sealed?.grants);
    const grants: Partial<CaseGrantEntity>[] = [];
    for (const scope of SCOPES) {
      for (const grantee of input.grantees[scope]) {
        grants.push({
          ...base,
          scope,
          granteeKind: grantee.kind,
          granteeId: grantee.userId,
          encryptedScopeKey: Buffer.from(made.get(grantTag(scope, grantee)) as Uint8Array),
        });
      }
    }
    await insertHeldRows(manager, CaseGrantEntity, grants);
    return { id: saved.id, reference: saved.reference };
  }
}
