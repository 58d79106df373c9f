import { randomInt } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { startOfHour } from '../common/start-of-hour';
import { ReporterTime } from '../reporter-time/reporter-time';
import { tenantNotedFor } from '../database/tenant-transaction';
import type { EntityManager } from 'typeorm';
import {
  assertAction,
  assertNothingIdentifiesReporter,
  type AuditChainContent,
  type AuditCheckpointRecord,
  checkpointSignatureValid,
  signCheckpoint,
  ChainVerifier,
  type ChainVerdict,
  GENESIS_HASH,
  hashEntry,
  AuditMisuseError,
  normaliseDetails,
  normaliseUuid,
} from './audit-chain';
import type { AuditEvent } from './audit-event';
import { AuditRepository } from './audit.repository';
import { type AuditEntryPageDto, mapAuditEntry } from './dto/audit-entry.dto';

export interface ChainedAuditEntry {
  id: string;
  seq: number;
  hash: string;
  held?: undefined;
}

/** An entry held for its batch (docs/architecture.md "Reporter time"): it has no place in the chain yet. */
export interface HeldAuditEntry {
  id: string;
  seq: null;
  hash: null;
  held: true;
  releaseAt: Date;
}

export type AppendedAuditEntry = ChainedAuditEntry | HeldAuditEntry;

/** Fisher–Yates with a CSPRNG: a batch's order must say nothing of the order its actions came in. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const AUDIT_PAGE_MAX = 200;
/** Injection token for AUDIT_KEY, the secret the chain is keyed with. */
export const AUDIT_CHAIN_KEY = Symbol('AUDIT_CHAIN_KEY');
const VERIFY_PAGE = 1000;

/**
 * Writes and reads the tenant's audit trail (docs/architecture.md "The audit trail"; chain rules in
 * audit-chain.ts). Every method takes the caller's EntityManager from `inTenant`: an entry commits or
 * rolls back together with the state change it records (docs/conventions.md §4), and row-level security
 * keeps each tenant's trail to itself.
 */
@Injectable()
export class AuditService {
  /**
   * `key` is AUDIT_KEY (audit.module.ts provides it from the configuration, which requires it). Without
   * one (a unit test) entries get the plain SHA-256 of the chain before it was keyed. Without
   * ReporterTime (the operator CLI's verify, unit tests) nothing is held: batching is a writer's concern.
   */
  constructor(
    private readonly repository: AuditRepository,
    @Optional() @Inject(AUDIT_CHAIN_KEY) private readonly key?: string,
    @Optional() private readonly reporterTime?: ReporterTime,
  ) {}

  /** The chain key, for signing checkpoints; a server without it is misconfigured. */
  requireKey(): string {
    if (!this.key) throw new AuditMisuseError('AUDIT_KEY is not configured');
    return this.key;
  }

  /**
   * Appends one entry to the current tenant's chain. Holds a per-tenant advisory lock until the
   * caller's transaction ends, so appends are serialised and `seq` has no gaps. Run at READ COMMITTED
   * (the default): at REPEATABLE READ the head could be read from a snapshot older than the lock, and
   * the insert would fail on the unique (tenant_id, seq) rather than fork the chain.
   *
   * An entry whose actor is a reporter, or written in a reporter-caused transaction (`reporterCaused`),
   * is held until the batch boundary instead (docs/architecture.md "Reporter time"): it commits with the
   * caller's change, into `audit_held`, and `releaseHeld` appends it at the boundary. `event.at` (the
   * workers acting on a released batch) records the entry at that time instead of now.
   */
  async append(manager: EntityManager, event: AuditEvent): Promise<AppendedAuditEntry> {
    assertAction(event.action);
    const details = normaliseDetails(event.details);
    const actorId =
      event.actor.type === 'staff' && event.actor.id !== null
        ? normaliseUuid(event.actor.id, 'actor id')
        : null;
    if (event.actor.type === 'reporter') assertNothingIdentifiesReporter(details);
    const caseId = event.caseId == null ? null : normaliseUuid(event.caseId, 'case id');
    const itemIds = (event.itemIds ?? []).map((id) => normaliseUuid(id, 'item id'));

    // The tenant and whether the transaction is reporter-caused, read together.
    const { tenantId, origin } = await this.tenantAndOriginOf(manager);
    if (
      this.reporterTime &&
      (await this.reporterTime.holds(manager, event.actor.type === 'reporter', origin))
    ) {
      const releaseAt = await this.reporterTime.releaseAt(manager);
      const id = await this.repository.insertHeld(manager, {
        tenantId,
        releaseAt,
        actorType: event.actor.type,
        actorId,
        action: event.action,
        caseId,
        // Marks the entry's time as the batch's, for readers (the timeline shows it to the hour).
        details: { ...details, batch: true },
        itemIds,
      });
      return { id, seq: null, hash: null, held: true, releaseAt };
    }
    // The time CaseRecorder decided, or a released batch's (`at`), or now.
    const now = event.at ?? event.occurredAt ?? this.reporterTime?.now() ?? new Date();
    return this.appendToChain(manager, tenantId, itemIds, {
      // A reporter's actions are recorded to the hour only: the trail must not say when they acted.
      occurredAt: event.actor.type === 'reporter' ? startOfHour(now) : now,
      actorType: event.actor.type,
      actorId,
      action: event.action,
      caseId,
      // Recorded at a batch's time: readers show it to the batch, like the entries held for it.
      details: event.at ? { ...details, batch: true } : details,
    });
  }

  /**
   * Appends the current tenant's held entries whose boundary has passed, each batch in random order and
   * with its boundary as its time, and deletes them in the same transaction: a held entry is appended
   * exactly once or stays held. Returns how many were appended. Called by the outbox relay's pass.
   */
  async releaseHeld(manager: EntityManager, now: Date): Promise<number> {
    const tenantId = await this.tenantOf(manager);
    await this.repository.lockTrail(manager, tenantId);
    const held = await this.repository.heldUntil(manager, tenantId, now);
    const batches = new Map<number, typeof held>();
    for (const entry of held) {
      const at = entry.releaseAt.getTime();
      batches.set(at, [...(batches.get(at) ?? []), entry]);
    }
    for (const at of [...batches.keys()].sort((a, b) => a - b)) {
      for (const entry of shuffled(batches.get(at) ?? [])) {
        await this.appendToChain(manager, tenantId, entry.itemIds, {
          occurredAt: new Date(at),
          actorType: entry.actorType,
          actorId: entry.actorId,
          action: entry.action,
          caseId: entry.caseId,
          details: entry.details,
        });
      }
    }
    if (held.length)
      await this.repository.deleteHeld(
        manager,
        held.map((entry) => entry.id),
      );
    return held.length;
  }

  private async appendToChain(
    manager: EntityManager,
    tenantId: string,
    itemIds: readonly string[],
    entry: Pick<AuditChainContent, 'occurredAt' | 'actorType' | 'actorId' | 'action' | 'caseId' | 'details'>,
  ): Promise<ChainedAuditEntry> {
    await this.repository.lockTrail(manager, tenantId);
    const head = await this.repository.head(manager, tenantId);
    const content = {
      tenantId,
      seq: (head?.seq ?? 0) + 1,
      occurredAt: entry.occurredAt,
      actorType: entry.actorType,
      actorId: entry.actorId,
      action: entry.action,
      caseId: entry.caseId,
      details: entry.details,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const hash = hashEntry(content, this.key);
    // The items it records sit beside the chain, not in the hash (AuditEvent.itemIds).
    const id = await this.repository.insert(manager, {
      ...content,
      hash,
      ...(itemIds.length ? { itemIds: [...itemIds] } : {}),
    });
    return { id, seq: content.seq, hash };
  }

  /**
   * Records the current head so that deleting the newest entries is detectable (audit-chain.ts,
   * "Truncation"). Returns the head for the caller to log outside the database; null for an empty trail.
   */
  async checkpoint(manager: EntityManager): Promise<AuditCheckpointRecord | null> {
    const tenantId = await this.tenantOf(manager);
    await this.repository.lockTrail(manager, tenantId);
    const head = await this.repository.head(manager, tenantId);
    if (head)
      await this.repository.insertCheckpoint(
        manager,
        tenantId,
        this.key ? { ...head, signature: signCheckpoint(this.key, tenantId, head) } : head,
      );
    return head;
  }

  /** A case's trail in chain order, for the monitoring officer. The caller decides who may read it. */
  async listForCase(
    manager: EntityManager,
    caseId: string,
    page: { limit?: number; offset?: number } = {},
  ): Promise<AuditEntryPageDto> {
    const limit = page.limit ?? 50;
    const offset = page.offset ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
      throw new AuditMisuseError(`limit must be an integer from 1 to ${AUDIT_PAGE_MAX}`);
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new AuditMisuseError('offset must be a whole number');
    }
    const tenantId = await this.tenantOf(manager);
    const [entries, total] = await this.repository.listForCase(
      manager,
      tenantId,
      normaliseUuid(caseId, 'case id'),
      limit,
      offset,
    );
    return { items: entries.map(mapAuditEntry), total, limit, offset };
  }

  /**
   * Verifies the current tenant's whole chain against its checkpoints, a page at a time, stopping at
   * the first broken link. Checkpoints are read first (see ChainVerifier).
   */
  async verify(
    manager: EntityManager,
    pageSize = VERIFY_PAGE,
    extraCheckpoints: readonly AuditCheckpointRecord[] = [],
  ): Promise<ChainVerdict> {
    const tenantId = await this.tenantOf(manager);
    const stored = await this.repository.checkpoints(manager, tenantId);
    // A signed checkpoint someone without the key wrote, or altered, is itself a sign of tampering.
    const forged = this.key
      ? stored.find((c) => c.signature && !checkpointSignatureValid(this.key as string, tenantId, c))
      : undefined;
    if (forged) return { intact: false, entries: 0, broken: { kind: 'checkpoint_forged', seq: forged.seq } };
    const verifier = new ChainVerifier([...stored, ...extraCheckpoints], this.key);
    let after = 0;
    while (verifier.ok) {
      const page = await this.repository.entriesAfter(manager, tenantId, after, pageSize);
      for (const entry of page) if (!verifier.push(entry)) break;
      if (page.length < pageSize) break;
      after = page[page.length - 1].seq;
    }
    return verifier.finish();
  }

  /**
   * `tenantOf`, with the transaction's reporter-time origin read in the same statement; or the tenant
   * `inTenant` noted and no origin (ReporterTime then tells without asking for a transaction it marked).
   */
  private async tenantAndOriginOf(
    manager: EntityManager,
  ): Promise<{ tenantId: string; origin: string | null | undefined }> {
    this.mustBeInTransaction(manager);
    // The tenant `inTenant` set, when it knows it; whether the transaction is reporter-caused is then
    // ReporterTime's to tell (it knows without asking for a transaction `reporterCaused` marked).
    const noted = tenantNotedFor(manager);
    if (noted) return { tenantId: noted, origin: undefined };
    const { tenantId, origin } = await this.repository.currentTenantAndOrigin(manager);
    if (!tenantId) throw new AuditMisuseError('no tenant is set on this transaction (use inTenant)');
    return { tenantId, origin };
  }

  private mustBeInTransaction(manager: EntityManager): void {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new AuditMisuseError(
        'the audit trail is written and read inside the caller’s transaction (inTenant)',
      );
    }
  }

  private async tenantOf(manager: EntityManager): Promise<string> {
    this.mustBeInTransaction(manager);
    const tenantId = tenantNotedFor(manager) ?? (await this.repository.currentTenant(manager));
    if (!tenantId) throw new AuditMisuseError('no tenant is set on this transaction (use inTenant)');
    return tenantId;
  }
}
