/**
 * The one writer of a case's history (docs/case-core.md "The recorder"). `record` appends an event:
 * its encrypted item (with any files and parts), the audit entry naming those items, the outbox row that
 * tells the workers, and any notice to the reporter — in the caller's transaction, in one call, so all
 * of it commits with the state change or none of it does. `trail` and `signal` write the entries and
 * rows that carry no content (reads, grant changes, routing), so that every audit entry and outbox row
 * of a case goes out through this file.
 *
 * Every write holds its case first (`holdCase`, docs/architecture.md "Placement"), so none lands on a
 * row the batch's placement pass is moving at that moment.
 *
 * The recorder alone decides an event's recorded time and author from its origin: staff to the second
 * under their id, a reporter (and system work they caused) to the hour and never under an id. Content is
 * encrypted to the scope's public key, so anyone may add to a case without holding a private key
 * (docs/architecture.md "Case scope keys and grants"), and signed by its recorded author's own key — the
 * reporter's, the member of staff's, or the council's system key for the system (item-seal.ts;
 * docs/architecture.md "Item signatures") — so an item written any other way reads as unverified.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { encryptToScope, type PublicKeyHandle, type Scope } from '@nolan/crypto';
import type { EntityManager } from 'typeorm';
import type { AuditActor, AuditEvent } from '../../audit/audit-event';
import { AuditService } from '../../audit/audit.service';
import { startOfHour } from '../../common/start-of-hour';
import type { OutboxEntity, OutboxEvent } from '../../outbox/outbox.entity';
import { OutboxRepository } from '../../outbox/outbox.repository';
import { randomBytes } from 'node:crypto';
import { CaseItemEntity, CaseScopeKeyEntity } from '../store/case.entity';
import { CASE_EVENTS, type CaseEventKind, type CaseEventOrigin, reporterCaused } from './case-events';
import { ReporterTime, reporterCaused as markReporterCaused } from '../../reporter-time/reporter-time';
import { holdCase } from '../../reporter-time/case-hold';
import { packFile, packJson } from './item-codec';
import { ItemSeal, type SignedItem } from './item-seal';

export type { CaseEventOrigin } from './case-events';

/** The case an event belongs to. */
export interface CaseTarget {
  tenantId: string;
  caseId: string;
}

/** A file to store with an event, already sanitised: its name and type are encrypted with it. */
export interface NewFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface CaseEventInput {
  kind: CaseEventKind;
  by: CaseEventOrigin;
  /** The event's own item, as JSON (encrypted to the event's scope). */
  body: Record<string, unknown>;
  /** Files stored in the event's scope before its item; their ids go into `body[filesField]`. */
  files?: readonly NewFile[];
  filesField?: string;
  /** Further items of the same event, after its own (the identity given with a report). */
  parts?: readonly { scope: Scope; kind: string; body: unknown }[];
  /** The audit entry's readable ids, codes and counts (never content). */
  details?: AuditEvent['details'];
  /** The outbox row's payload (ids and codes only). */
  signal?: OutboxEntity['payload'];
  /** A message to the reporter that is part of this event (a first response, an identity notice). */
  notice?: string;
}

/** An item ready to insert: encrypted and signed. */
type EncryptedItem = SignedItem & Pick<CaseItemEntity, 'ciphertext' | 'signature'>;

interface EncryptedEvent {
  /** In the order they are inserted. */
  items: EncryptedItem[];
  itemId: string;
  fileIds: string[];
  itemIds: string[];
}

/** An event's items encrypted and signed ahead of its transaction (`CaseRecorder.sealEvent`). */
export interface SealedEvent extends EncryptedEvent {
  target: CaseTarget;
  kind: CaseEventKind;
  /** The hour its items are dated to (their signatures cover it). */
  at: Date;
  author: Pick<CaseItemEntity, 'authorKind' | 'authorId'>;
  /** SHA-256 of what its items hold (`inputDigest`): `record` reuses them only for the same input. */
  inputDigest: Buffer;
}

/**
 * SHA-256 of everything an event's items are made from — its kind, each file's name, type and bytes, its
 * own item's body and files field, each part and the notice — each length-prefixed, so that two inputs
 * that differ anywhere differ here.
 */
function inputDigest(input: CaseEventInput): Buffer {
  const hash = createHash('sha256');
  const put = (value: Uint8Array | string) => {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  };
  put(input.kind);
  for (const file of input.files ?? []) {
    put('file');
    put(file.name);
    put(file.mediaType);
    put(file.bytes);
  }
  put('body');
  put(input.filesField ?? '');
  put(packJson(input.body));
  for (const part of input.parts ?? []) {
    put('part');
    put(part.scope);
    put(part.kind);
    put(packJson(part.body));
  }
  if (input.notice !== undefined) {
    put('notice');
    put(input.notice);
  }
  return hash.digest();
}

export interface RecordedEvent {
  /** The event's own item. */
  itemId: string;
  fileIds: string[];
  /** Every item written, its own first. */
  itemIds: string[];
  auditId: string;
}

@Injectable()
export class CaseRecorder {
  /**
   * ReporterTime is global (ReporterTimeModule); a unit test's module may leave it and the seal out.
   * Without the seal items are written unsigned, and every read shows them as unverified.
   */
  constructor(
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
    @Optional() private readonly reporterTime?: ReporterTime,
    @Optional() private readonly seal?: ItemSeal,
  ) {}

  /**
   * An event's cryptography done ahead of its transaction, with no connection held (intake: docs/
   * performance.md "What serialised intake"): its items encrypted to `scopeKeys` and signed with `sign`
   * (ItemSeal.signerWith, the author's own key), dated to the hour it is sealed in. `record` writes them
   * as they are if the event is recorded in the same hour by the same author with the same input (its
   * digest); otherwise it encrypts and signs again there, as it would without them.
   */
  async sealEvent(
    target: CaseTarget,
    input: CaseEventInput,
    scopeKeys: ReadonlyMap<Scope, Uint8Array | PublicKeyHandle>,
    sign: (item: SignedItem) => Promise<Buffer | null>,
  ): Promise<SealedEvent> {
    const at = this.recordedAt(input.by).item;
    const author = authorOf(input.by);
    const keyOf = async (scope: Scope) => {
      const key = scopeKeys.get(scope);
      if (!key) throw new Error(`no ${scope} key was given to seal the event`);
      return key;
    };
    return {
      target,
      kind: input.kind,
      at,
      author,
      inputDigest: inputDigest(input),
      ...(await this.encrypt(target, input, at, author, keyOf, sign)),
    };
  }

  async record(
    m: EntityManager,
    target: CaseTarget,
    input: CaseEventInput,
    /** The event's items, sealed ahead of the transaction by `sealEvent` for this same event. */
    sealed?: SealedEvent,
  ): Promise<RecordedEvent> {
    const spec = CASE_EVENTS[input.kind];
    await holdCase(m, target.caseId);
    await this.markOrigin(m, input.by);
    const at = this.recordedAt(input.by);
    const author = authorOf(input.by);
    const held = await this.heldUntil(m);
    let event: EncryptedEvent;
    if (
      sealed &&
      sealed.target.caseId === target.caseId &&
      sealed.target.tenantId === target.tenantId &&
      sealed.kind === input.kind &&
      sealed.at.getTime() === at.item.getTime() &&
      sealed.author.authorKind === author.authorKind &&
      sealed.author.authorId === author.authorId &&
      sealed.inputDigest.equals(inputDigest(input))
    ) {
      event = sealed;
    } else {
      const keys = new Map<Scope, Uint8Array>();
      const keyOf = async (scope: Scope) => {
        let key = keys.get(scope);
        if (!key) {
          const row = await m
            .getRepository(CaseScopeKeyEntity)
            .findOneOrFail({ where: { caseId: target.caseId, scope } });
          key = new Uint8Array(row.publicKey);
          keys.set(scope, key);
        }
        return key;
      };
      // Signed by the recorded author's own key (item-seal.ts): chosen here, from the author, and only here.
      const signItem: (item: SignedItem) => Promise<Buffer | null> = this.seal
        ? await this.seal.signer(m, target, author)
        : async () => null;
      event = await this.encrypt(target, input, at.item, author, keyOf, signItem);
    }
    // All of the event's items in one statement (docs/performance.md "Intake's statements"), in order.
    if (held && event.items.length > 0) {
      // Reporter-caused items: shown to staff from the batch's release, and numbered at random above
      // the identity's range, so neither their numbers nor a gap in the sequence places them between the
      // staff items written around them (docs/architecture.md "Reporter time"). Raw SQL: the ORM never
      // writes a generated key.
      const rows = event.items.map((item) => [
        item.id,
        item.tenantId,
        item.caseId,
        item.scope,
        item.kind,
        item.authorKind,
        item.authorId,
        item.createdAt,
        item.ciphertext,
        item.signature,
        heldItemSeq(held),
        held,
      ]);
      await m.query(
        `INSERT INTO case_items (id, tenant_id, case_id, scope, kind, author_kind, author_id, created_at, ciphertext, signature, seq, visible_from)
         VALUES ${rows.map((row, r) => `(${row.map((_, c) => `$${r * row.length + c + 1}`).join(', ')})`).join(', ')}`,
        rows.flat(),
      );
    } else if (event.items.length === 1) {
      await m.getRepository(CaseItemEntity).insert({ ...event.items[0] });
    } else if (event.items.length > 1) {
      await m.getRepository(CaseItemEntity).insert(event.items.map((item) => ({ ...item })));
    }
    const { itemId, fileIds, itemIds } = event;
    const entry = await this.audit.append(m, {
      actor: actorOf(input.by),
      action: spec.action,
      caseId: target.caseId,
      details: 'itemInDetails' in spec ? { itemId, ...input.details } : input.details,
      itemIds,
      occurredAt: at.entry,
    });
    await this.outbox.add(m, {
      tenantId: target.tenantId,
      event: spec.action,
      aggregateId: target.caseId,
      payload: input.signal,
    });
    if (input.notice !== undefined) {
      // The reporter's notice is a message from staff: the workers hear of it as one (and tell no one).
      await this.outbox.add(m, {
        tenantId: target.tenantId,
        event: 'case.message_added',
        aggregateId: target.caseId,
        payload: { author: 'staff' },
      });
    }
    return { itemId, fileIds, itemIds, auditId: entry.id };
  }

  /**
   * The items of an event, in the order they are written (files, its own item, its parts, the notice),
   * encrypted to their scope's key and signed. The ids are chosen here so that the signature covers them
   * (a copied row does not verify).
   */
  private async encrypt(
    target: CaseTarget,
    input: CaseEventInput,
    at: Date,
    author: Pick<CaseItemEntity, 'authorKind' | 'authorId'>,
    keyOf: (scope: Scope) => Promise<Uint8Array | PublicKeyHandle>,
    sign: (item: SignedItem) => Promise<Buffer | null>,
  ): Promise<EncryptedEvent> {
    const spec = CASE_EVENTS[input.kind];
    const items: EncryptedItem[] = [];
    const write = async (scope: Scope, kind: string, plaintext: Uint8Array): Promise<string> => {
      const item = {
        id: randomUUID(),
        tenantId: target.tenantId,
        caseId: target.caseId,
        scope,
        kind,
        ...author,
        createdAt: at,
        ciphertext: Buffer.from(await encryptToScope(plaintext, await keyOf(scope))),
      };
      items.push({ ...item, signature: await sign(item) });
      return item.id;
    };
    const fileIds: string[] = [];
    for (const file of input.files ?? []) {
      const packed = packFile({ name: file.name, mediaType: file.mediaType }, file.bytes);
      fileIds.push(await write(spec.scope, 'attachment', packed));
    }
    const body = input.filesField ? { ...input.body, [input.filesField]: fileIds } : input.body;
    const itemId = await write(spec.scope, spec.item, packJson(body));
    const itemIds = [itemId, ...fileIds];
    for (const part of input.parts ?? [])
      itemIds.push(await write(part.scope, part.kind, packJson(part.body)));
    if (input.notice !== undefined) {
      itemIds.push(await write('report', 'message', packJson({ text: input.notice, attachments: [] })));
    }
    return { items, itemId, fileIds, itemIds };
  }

  /**
   * An audit entry of a case that records no content: a read (a decryption, a reporter's sign-in), a
   * grant given or revoked, the creation's routing. Same time and author rules as `record`.
   */
  async trail(
    m: EntityManager,
    caseId: string | null,
    by: CaseEventOrigin,
    action: AuditEvent['action'],
    details?: AuditEvent['details'],
  ): Promise<void> {
    if (caseId) await holdCase(m, caseId);
    await this.markOrigin(m, by);
    await this.audit.append(m, {
      actor: actorOf(by),
      action,
      caseId,
      details,
      occurredAt: this.recordedAt(by).entry,
    });
  }

  /** An outbox row with no item of its own: a change of who holds the case (`case.routed`). */
  async signal(m: EntityManager, target: CaseTarget, event: OutboxEvent, payload?: OutboxEntity['payload']) {
    await holdCase(m, target.caseId);
    await this.outbox.add(m, { tenantId: target.tenantId, event, aggregateId: target.caseId, payload });
  }

  /**
   * What a reporter caused is held for the batch (docs/architecture.md "Reporter time"): marking the
   * transaction makes the audit trail hold its entries and the outbox stamp its rows with the batch's
   * release time, for this event and everything else the same transaction writes (the grants routing
   * gives, a re-routing's `case.routed` signal). The mark lasts until the transaction ends.
   */
  private async markOrigin(m: EntityManager, by: CaseEventOrigin): Promise<void> {
    if (reporterCaused(by)) await markReporterCaused(m, this.reporterTime);
  }

  /** The batch's release when the transaction is reporter-caused and batching is on; else null (at once). */
  private async heldUntil(m: EntityManager): Promise<Date | null> {
    if (!this.reporterTime || !(await this.reporterTime.holds(m))) return null;
    return this.reporterTime.releaseAt(m);
  }

  /**
   * When an event is recorded: items always to the hour (they are ordered by insertion, not time); the
   * audit entry to the second for staff and the system, to the hour when a reporter caused it (and
   * then, with batching on, at the batch's boundary when the trail releases it).
   */
  private recordedAt(by: CaseEventOrigin): { item: Date; entry: Date } {
    const now = this.reporterTime?.now() ?? new Date();
    return { item: startOfHour(now), entry: reporterCaused(by) ? startOfHour(now) : now };
  }
}

/**
 * A reporter-caused item's number: above the identity's range (2^61 and up), ordered by its batch's
 * release (minutes since the epoch, which `visible_from` shows anyway) and random within it (24 bits), so
 * it says nothing of the staff items written around it while the new-message flag, which compares
 * numbers, still sees a later batch's message as new.
 */
export function heldItemSeq(release: Date): string {
  const minutes = BigInt(Math.floor(release.getTime() / 60_000));
  const random = BigInt(randomBytes(3).readUIntBE(0, 3));
  return String((1n << 61n) + (minutes << 24n) + random);
}

/** Who an item is recorded as written by: staff under their id, a reporter or the system under none. */
export function authorOf(by: CaseEventOrigin): Pick<CaseItemEntity, 'authorKind' | 'authorId'> {
  if (by.origin === 'staff') return { authorKind: 'staff', authorId: by.staffId };
  return { authorKind: by.origin, authorId: null };
}

/** The origin an audit actor stands for, for callers that still speak in actors (CaseAccessService.change). */
export function originOf(actor: AuditActor): CaseEventOrigin {
  if (actor.type === 'staff' && actor.id) return { origin: 'staff', staffId: actor.id };
  if (actor.type === 'reporter') return { origin: 'reporter' };
  return { origin: 'system', causedBy: null };
}

/** The audit trail's actor: a reporter never has an id, and system work a reporter caused is the system's. */
export function actorOf(by: CaseEventOrigin): AuditActor {
  if (by.origin === 'staff') return { type: 'staff', id: by.staffId };
  if (by.origin === 'reporter') return { type: 'reporter' };
  return { type: 'system' };
}
