/**
 * Item signatures (docs/architecture.md "Item signatures"): the one place that says what an item's
 * signature covers, who signs it (for CaseRecorder), and verifies it (for every read: case view,
 * timeline, reporter's view, exports).
 *
 * An item is signed by its author's own key: the reporter's words by the reporter's key (unlocked by
 * the receipt at submission or sign-in), a member of staff's by their own key (unlocked at sign-in), the
 * system's by the council's system key (the tenant signing key, sealed under a secret held outside the
 * database: tenants/tenant-signing-keys.ts). The author is the recorded one — the recorder passes it, and
 * the key must have been offered in the same transaction by whoever let the author in (`offerSigningKey`:
 * the case door for staff, intake and the reporter's routes for reporters), so nobody signs as someone
 * whose key they do not hold.
 *
 * The signature covers the item's id, tenant, case, scope, kind, author, time and the SHA-256 of its
 * ciphertext, so a row inserted, copied into another case, re-attributed or given other ciphertext with
 * the application's database credentials does not verify. It is checked against the author's public key
 * as pinned in `author_keys` where the key was made: each row carries a signature by the system key over
 * the council, the author and the key, and the application's role can add rows but never change or
 * remove one (migration 1763904500000), so it can neither swap a person's key nor add one that counts.
 * A key is pinned only where it is made or first proven, never when it signs (`pinNew`, `pinFirst`):
 * the reporter's at intake, a member of staff's at account recovery and at their first sign-in. Signing
 * with a key that is not pinned is allowed and the item then reads `unverified`, so a key copied into
 * `reporter_keys` or `staff_users` by someone with the application's credentials signs nothing that
 * verifies.
 * Items signed before authors had keys (`case_items_signed_by_system`) verify against the system key.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ItemVerification } from '@nolan/contract';
import { PublicKeyHandle, signDetached, type UnlockedKey, verifyDetached } from '@nolan/crypto';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { mapInParallel } from '../../common/in-parallel';
import { TenantSigningKeys } from '../../tenants/tenant-signing-keys';
import { TenantEntity } from '../../tenants/tenant.entity';
import type { CaseItemEntity } from '../store/case.entity';
import { itemStatement, type SignedItem } from './item-statement';

/**
 * `verified`: signed by its recorded author's key as pinned. `unsigned`: recorded before signatures
 * (listed by the migration that introduced them). `unverified`: anything else — shown, never hidden.
 */
export type { ItemVerification };

export { itemStatement, type SignedItem } from './item-statement';

/** Someone who signs with a key of their own: a member of staff, or the reporter of one case. */
export type KeyOwner = { kind: 'staff'; id: string } | { kind: 'reporter'; id: string };

/** The bytes the system key signs to pin an author's public key. */
export function pinStatement(tenantId: string, owner: KeyOwner, fingerprint: string, publicKey: Uint8Array) {
  return Buffer.from(
    JSON.stringify([
      'nolan-author-key/1',
      tenantId,
      owner.kind,
      owner.id,
      fingerprint,
      createHash('sha256').update(publicKey).digest('hex'),
    ]),
    'utf8',
  );
}

/** Whose key signs an item of this author, in this case; null for the system. */
export function keyOwnerOf(item: Pick<SignedItem, 'authorKind' | 'authorId' | 'caseId'>): KeyOwner | null {
  if (item.authorKind === 'staff' && item.authorId) return { kind: 'staff', id: item.authorId };
  if (item.authorKind === 'reporter') return { kind: 'reporter', id: item.caseId };
  return null;
}

const ownerTag = (owner: KeyOwner) => `${owner.kind}:${owner.id}`;

type KeySource = () => Promise<UnlockedKey>;
const offered = new WeakMap<EntityManager, Map<string, KeySource>>();

/**
 * Offers, for the rest of the transaction `m`, the key of someone acting in it: the case door offers the
 * signed-in member of staff's, intake the new reporter's (or the recording officer's), the reporter's
 * routes the reporter's. Lazy: the key is opened only if something is recorded.
 */
export function offerSigningKey(m: EntityManager, owner: KeyOwner, key: UnlockedKey | KeySource): void {
  let keys = offered.get(m);
  if (!keys) {
    keys = new Map();
    offered.set(m, keys);
  }
  let opened: Promise<UnlockedKey> | undefined;
  keys.set(ownerTag(owner), typeof key === 'function' ? () => (opened ??= key()) : async () => key);
}

/** A pinned key row as read. */
interface AuthorKeyRow {
  tenant_id: string;
  owner_kind: 'staff' | 'reporter';
  owner_id: string;
  fingerprint: string;
  public_key: Buffer;
  pin: Buffer;
}

/** The public keys an item's signature is checked against, and the system key, for an export's reader. */
export interface SignatureEvidence {
  statement: Uint8Array;
  signature: Uint8Array;
  /** The keys that verify it (its author's pinned key, or the system key); empty if none does. */
  signers: PublicKeyHandle[];
}

/** The pinned key rows of the owners parameter `owners` names, as one JSON array (bytes in base64). */
const authorKeysJson = (owners: string) => `COALESCE((SELECT json_agg(json_build_object(
    'tenant_id', k.tenant_id, 'owner_kind', k.owner_kind, 'owner_id', k.owner_id,
    'fingerprint', k.fingerprint, 'public_key', encode(k.public_key, 'base64'), 'pin', encode(k.pin, 'base64')))
  FROM author_keys k WHERE k.owner_id = ANY(${owners}::uuid[])), '[]')`;

function ownerIds(owners: readonly KeyOwner[]): string[] {
  return [...new Set(owners.map((o) => o.id))];
}

function authorKeyRows(
  json: readonly (Omit<AuthorKeyRow, 'public_key' | 'pin'> & { public_key: string; pin: string })[],
): AuthorKeyRow[] {
  return json.map((r) => ({
    ...r,
    public_key: Buffer.from(r.public_key, 'base64'),
    pin: Buffer.from(r.pin, 'base64'),
  }));
}

const PIN_CACHE_LIMIT = 4096;

/** Signatures checked at once by a read (docs/performance.md "Opening a case"). */
const SIGNATURES_AT_ONCE = 4;

@Injectable()
export class ItemSeal {
  /** Tenants' slug and name, needed only if a tenant has no signing key yet; they do not change. */
  private readonly tenants = new Map<string, { id: string; slug: string; name: string }>();
  /** Pinned rows already checked (by a hash of the whole row): the key, or null if its pin is false. */
  private readonly pins = new Map<string, PublicKeyHandle | null>();

  constructor(private readonly signingKeys: TenantSigningKeys) {}

  /**
   * A signer for the items one event writes as `author` (in the caller's tenant transaction): the
   * system key for the system, otherwise the author's own key as offered in this transaction. It never
   * pins the key: one that was not pinned where it was made (`pinNew`, `pinFirst`) — a key copied into
   * the author's row with the application's credentials — still signs, and the item reads `unverified`.
   * Each signature costs about a millisecond.
   */
  async signer(
    m: EntityManager,
    target: { tenantId: string; caseId: string },
    author: Pick<SignedItem, 'authorKind' | 'authorId'>,
  ): Promise<(item: SignedItem) => Promise<Buffer>> {
    const owner = keyOwnerOf({ ...author, caseId: target.caseId });
    let key: UnlockedKey;
    if (!owner) key = await this.systemKey(m, target.tenantId);
    else {
      const source = offered.get(m)?.get(ownerTag(owner));
      // A programming error, not the caller's: whoever lets the author act must offer their key.
      if (!source) throw new Error(`no key was offered to sign as ${owner.kind} in this transaction`);
      key = await source();
    }
    return this.signerWith(target, author, key);
  }

  /**
   * The same signer over a key the caller already holds as the author's own, for items sealed before
   * their transaction (intake: the new reporter's key, or the recording officer's from their session).
   * Like `signer`, it never pins: a key that is not the author's pinned one signs items that read
   * `unverified`.
   */
  signerWith(
    target: { tenantId: string; caseId: string },
    author: Pick<SignedItem, 'authorKind' | 'authorId'>,
    key: UnlockedKey,
  ): (item: SignedItem) => Promise<Buffer> {
    return async (item) => {
      if (item.tenantId !== target.tenantId) throw new Error('an item is signed only in its own council');
      if (item.authorKind !== author.authorKind || item.authorId !== author.authorId)
        throw new Error('an item is signed only by its own author');
      return Buffer.from(await signDetached(itemStatement(item), key));
    };
  }

  /** Each item's verification state, by id. */
  async verify(
    m: EntityManager,
    items: readonly (SignedItem & Pick<CaseItemEntity, 'signature'>)[],
  ): Promise<Map<string, ItemVerification>> {
    const states = new Map<string, ItemVerification>();
    const evidence = await this.evidence(m, items);
    for (const item of items) {
      const found = evidence.get(item.id);
      states.set(
        item.id,
        found === 'unsigned' ? 'unsigned' : found?.signers.length ? 'verified' : 'unverified',
      );
    }
    return states;
  }

  /**
   * For each item: 'unsigned' (recorded before signatures), or what its signature covers, the signature
   * and the keys that verify it (none if it does not verify). Exports carry these so that anyone can check
   * each item's signature with GnuPG.
   */
  async evidence(
    m: EntityManager,
    items: readonly (SignedItem & Pick<CaseItemEntity, 'signature'>)[],
  ): Promise<Map<string, SignatureEvidence | 'unsigned'>> {
    const result = new Map<string, SignatureEvidence | 'unsigned'>();
    if (items.length === 0) return result;
    // Only an unsigned item can predate signatures, and only a signed item of a person predate their keys.
    // The two lists and the authors' pinned keys are read in one query (docs/performance.md "Opening a
    // case"): the keys of every signed item's author, of which those signed by the system key use none.
    const owners = new Map<string, KeyOwner>();
    for (const item of items) {
      const owner = keyOwnerOf(item);
      if (owner && item.signature) owners.set(ownerTag(owner), owner);
    }
    const [found] = await m.query(
      `SELECT ARRAY(SELECT id::text FROM case_items_before_signatures WHERE id = ANY($1::uuid[])) AS before,
              ARRAY(SELECT id::text FROM case_items_signed_by_system WHERE id = ANY($2::uuid[])) AS by_system,
              ${authorKeysJson('$3')} AS keys`,
      [
        items.filter((i) => !i.signature).map((i) => i.id),
        items.filter((i) => i.signature && keyOwnerOf(i)).map((i) => i.id),
        ownerIds([...owners.values()]),
      ],
    );
    const before = new Set<string>(found.before);
    const bySystem = new Set<string>(found.by_system);
    const pinned = await this.pinnedFrom(m, authorKeyRows(found.keys), [...owners.values()]);
    const systemKeys = new Map<string, PublicKeyHandle>();
    const systemKey = async (tenantId: string) => {
      let key = systemKeys.get(tenantId);
      if (!key) {
        key = (await this.systemKey(m, tenantId)).publicKey();
        systemKeys.set(tenantId, key);
      }
      return key;
    };
    // Each item's candidate keys first (the system key is opened once per council), then the signatures
    // checked a few at a time (docs/performance.md "Opening a case"): every item is still checked.
    const checks: { item: (typeof items)[number]; statement: Uint8Array; candidates: PublicKeyHandle[] }[] =
      [];
    for (const item of items) {
      const statement = itemStatement(item);
      if (!item.signature) {
        result.set(
          item.id,
          before.has(item.id) ? 'unsigned' : { statement, signature: new Uint8Array(), signers: [] },
        );
        continue;
      }
      const owner = keyOwnerOf(item);
      const candidates =
        !owner || bySystem.has(item.id)
          ? [await systemKey(item.tenantId)]
          : (pinned.get(ownerTag(owner)) ?? []).filter((p) => p.tenantId === item.tenantId).map((p) => p.key);
      checks.push({ item, statement, candidates });
    }
    const checked = await mapInParallel(
      checks,
      SIGNATURES_AT_ONCE,
      async ({ item, statement, candidates }) => {
        const signature = new Uint8Array(item.signature as Buffer);
        const signers: PublicKeyHandle[] = [];
        for (const key of candidates)
          if (await verifyDetached(statement, signature, key)) {
            signers.push(key);
            break;
          }
        return { statement, signature, signers };
      },
    );
    // In the items' order, as before.
    const byId = new Map(checks.map(({ item }, index) => [item.id, checked[index] as SignatureEvidence]));
    const ordered = new Map<string, SignatureEvidence | 'unsigned'>();
    for (const item of items) {
      const found = result.get(item.id) ?? byId.get(item.id);
      if (found) ordered.set(item.id, found);
    }
    return ordered;
  }

  /** The council's system key, opened from its seal (never the published public key column). */
  systemKey(m: EntityManager, tenantId: string): Promise<UnlockedKey> {
    return this.tenant(m, tenantId).then((tenant) => this.signingKeys.signer(m, tenant));
  }

  /**
   * Pins a key where it is made (in the caller's tenant transaction): the reporter's at intake, a member
   * of staff's new key at account recovery. The owner's earlier keys stay pinned. The key was made just
   * now, so no row can pin it yet: it is written without looking for one first (docs/performance.md
   * "Intake's statements").
   */
  pinNew(m: EntityManager, tenantId: string, owner: KeyOwner, key: PublicKeyHandle): Promise<void> {
    return this.writePin(m, tenantId, owner, key);
  }

  /**
   * Pins the key someone has just proven they hold (a member of staff's at sign-in, unlocked by their
   * password; a reporter's at sign-in, unlocked by their receipt) only if they have no pinned key at all:
   * people whose keys were made before keys were pinned where they are made. Anyone with a pinned key
   * keeps exactly the keys pinned for them, so a key swapped into their row later pins nothing.
   */
  async pinFirst(m: EntityManager, tenantId: string, owner: KeyOwner, key: PublicKeyHandle): Promise<void> {
    // Signing in must not depend on the system key: if EXPORT_SIGNING_SECRET no longer opens it (logged by
    // TenantSigningKeys), the pin waits for a later sign-in and what they sign meanwhile reads unverified.
    const opened = await this.systemKey(m, tenantId).then(
      () => true,
      () => false,
    );
    if (!opened) return; // no log line of its own: a reporter's sign-in must not be placed in time
    const known = (await this.pinned(m, [owner])).get(ownerTag(owner)) ?? [];
    if (known.some((p) => p.tenantId === tenantId)) return;
    await this.pin(m, tenantId, owner, key);
  }

  /** Pins `key` as one of `owner`'s unless a row with a true pin already says so. */
  private async pin(
    m: EntityManager,
    tenantId: string,
    owner: KeyOwner,
    key: PublicKeyHandle,
  ): Promise<void> {
    const known = (await this.pinned(m, [owner])).get(ownerTag(owner)) ?? [];
    if (known.some((p) => p.tenantId === tenantId && p.key.fingerprint === key.fingerprint)) return;
    await this.writePin(m, tenantId, owner, key);
  }

  /** Writes `key`'s pin for `owner`: the council's system key's signature over the row. */
  private async writePin(
    m: EntityManager,
    tenantId: string,
    owner: KeyOwner,
    key: PublicKeyHandle,
  ): Promise<void> {
    const publicKey = key.toBinary();
    const pin = await signDetached(
      pinStatement(tenantId, owner, key.fingerprint, publicKey),
      await this.systemKey(m, tenantId),
    );
    await m.query(
      `INSERT INTO author_keys (tenant_id, owner_kind, owner_id, fingerprint, public_key, pin)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, owner.kind, owner.id, key.fingerprint, Buffer.from(publicKey), Buffer.from(pin)],
    );
  }

  /** The keys pinned for each owner whose pin verifies against the council's system key. */
  private async pinned(
    m: EntityManager,
    owners: readonly KeyOwner[],
  ): Promise<Map<string, { tenantId: string; key: PublicKeyHandle }[]>> {
    if (owners.length === 0) return new Map();
    const [found] = await m.query(`SELECT ${authorKeysJson('$1')} AS keys`, [ownerIds(owners)]);
    return this.pinnedFrom(m, authorKeyRows(found.keys), owners);
  }

  /** Of the pinned key rows read, those of `owners` whose pin verifies, by owner. */
  private async pinnedFrom(
    m: EntityManager,
    rows: readonly AuthorKeyRow[],
    owners: readonly KeyOwner[],
  ): Promise<Map<string, { tenantId: string; key: PublicKeyHandle }[]>> {
    const result = new Map<string, { tenantId: string; key: PublicKeyHandle }[]>();
    const wanted = new Set(owners.map(ownerTag));
    for (const row of rows) {
      const owner: KeyOwner = { kind: row.owner_kind, id: row.owner_id };
      if (!wanted.has(ownerTag(owner))) continue;
      const key = await this.checkedPin(m, row, owner);
      if (!key) continue;
      const list = result.get(ownerTag(owner)) ?? [];
      list.push({ tenantId: row.tenant_id, key });
      result.set(ownerTag(owner), list);
    }
    return result;
  }

  /** The row's key if its pin is the system key's signature over it (remembered by a hash of the row). */
  private async checkedPin(
    m: EntityManager,
    row: AuthorKeyRow,
    owner: KeyOwner,
  ): Promise<PublicKeyHandle | null> {
    const cacheKey = createHash('sha256')
      .update(JSON.stringify([row.tenant_id, row.owner_kind, row.owner_id, row.fingerprint]))
      .update(row.public_key)
      .update(row.pin)
      .digest('base64');
    if (this.pins.has(cacheKey)) return this.pins.get(cacheKey) ?? null;
    let checked: PublicKeyHandle | null = null;
    try {
      const key = await PublicKeyHandle.parse(new Uint8Array(row.public_key));
      const system = await this.systemKey(m, row.tenant_id);
      const statement = pinStatement(row.tenant_id, owner, row.fingerprint, new Uint8Array(row.public_key));
      if (
        key.fingerprint === row.fingerprint &&
        (await verifyDetached(statement, new Uint8Array(row.pin), system.publicKey()))
      )
        checked = key;
    } catch {
      checked = null; // a key that does not parse pins nothing
    }
    if (this.pins.size >= PIN_CACHE_LIMIT) this.pins.clear();
    this.pins.set(cacheKey, checked);
    return checked;
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
