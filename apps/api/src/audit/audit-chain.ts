/**
 * The audit trail's hash chain, as pure functions (docs/architecture.md "The audit trail": "every read of
 * case content is written to a hash-chained audit trail … so a deleted or altered entry is detectable").
 *
 * Each tenant has its own chain: entries are numbered 1, 2, 3… and each stores the hash of the entry
 * before it (`prev_hash`; the first stores 64 zeros). An entry's `hash` is SHA-256 (hex) over a
 * canonical serialisation of its contents and `prev_hash`, so:
 * - editing any field of an entry makes its hash disagree with its contents;
 * - editing an entry and recomputing its hash breaks the next entry's `prev_hash`;
 * - deleting an entry leaves a gap in `seq` (or, if later entries are renumbered, breaks their hashes);
 * - rewriting the whole chain from some entry onwards is only caught by a checkpoint (below).
 *
 * The serialisation is JSON with object keys sorted at every depth, column names as keys, `seq` as a
 * number, `occurred_at` as an ISO 8601 UTC timestamp at millisecond precision, ids as lower-case UUIDs,
 * prefixed by `nolan.audit.v1\n`. It can be recomputed from a plain SQL row by any tool.
 *
 * Keyed (issue #15, path 7): whoever can write the table could recompute a plain SHA-256 chain, so entries
 * are hashed with HMAC-SHA256 under AUDIT_KEY, a secret kept in the environment or a secret file, never in
 * the database (like the receipt pepper). Entries written before the key existed keep their plain
 * SHA-256 hashes and still verify, but only before the first keyed entry: a plain entry after a keyed one
 * is a rewrite. The first keyed entry's HMAC covers the plain head before it, so the old part is bound
 * too; a chain rewritten wholly in plain SHA-256 is caught by any checkpoint taken with the key.
 *
 * Truncation: a chain alone cannot tell that its newest entries were deleted — what is left is a
 * perfectly good shorter chain. So the head (seq, hash) is recorded from time to time as a checkpoint
 * (a repeatable job, docs/architecture.md "The flow of a report"), and verification checks every checkpoint
 * against the chain: a checkpoint beyond the head means entries were cut off the end; one whose hash differs
 * means the chain was rewritten. Checkpoints live in the same database, so an attacker who finds them can
 * delete them too. They raise the bar; for more, the job should also log each head it records
 * (AuditService.checkpoint returns it) so a copy exists outside Postgres.
 *
 * `details` is small, non-content metadata (ids, codes, counts). It is checked here before it is
 * hashed: it must survive a round trip through jsonb unchanged (safe integers only, well-formed
 * strings, no NUL) and stay small, so it can never become a place where case text ends up.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export const GENESIS_HASH = '0'.repeat(64);
const HASH_PREFIX = 'nolan.audit.v1\n';
const KEYED_PREFIX = 'nolan.audit.v2.hmac-sha256\n';
const CHECKPOINT_PREFIX = 'nolan.audit.checkpoint.v1\n';
export const CHECKPOINT_FORMAT = 'nolan-audit-checkpoint/1';

export const AUDIT_ACTOR_TYPES = ['staff', 'reporter', 'system', 'operator'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** Limits that keep `details` to metadata: a note or a report would not fit. */
export const DETAILS_MAX_BYTES = 2048;
export const DETAILS_MAX_STRING = 256;
const DETAILS_MAX_DEPTH = 4;

export type AuditDetailValue = string | number | boolean | null | AuditDetailValue[] | AuditDetails;
export interface AuditDetails {
  [key: string]: AuditDetailValue;
}

/** What the hash covers: every column except `id` and `hash` itself. */
export interface AuditChainContent {
  tenantId: string;
  seq: number;
  occurredAt: Date;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  caseId: string | null;
  /** As read back from jsonb: any JSON object. What is written has been through normaliseDetails. */
  details: Record<string, unknown>;
  prevHash: string;
}

export interface AuditChainEntry extends AuditChainContent {
  id: string;
  hash: string;
}

export interface AuditCheckpointRecord {
  seq: number;
  hash: string;
  /** HMAC under AUDIT_KEY over the tenant, seq and hash; absent on checkpoints taken before the key. */
  signature?: string | null;
}

/** A caller's mistake (bad details, no tenant, no transaction): a bug to fix, so a 500, not a 4xx. */
export class AuditMisuseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditMisuseError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACTION = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

/** A UUID in the lower-case form Postgres returns, so the hash at write equals the hash at read. */
export function normaliseUuid(value: string, field: string): string {
  const lower = value.toLowerCase();
  if (!UUID.test(lower)) throw new AuditMisuseError(`${field} must be a UUID`);
  return lower;
}

export function assertAction(action: string): void {
  if (!ACTION.test(action)) {
    throw new AuditMisuseError(`action "${action}" must be a dotted verb like "case.exported"`);
  }
}

/** jsonb refuses NUL and unpaired surrogates; refusing them here keeps write and read identical. */
function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && Buffer.from(text, 'utf8').toString('utf8') === text;
}

/**
 * Checks `details` and returns it with undefined-valued keys dropped, which is exactly what jsonb will
 * store and give back. Throws on anything that would not round-trip or is too big to be metadata.
 */
export function normaliseDetails(details: Record<string, unknown> | undefined): AuditDetails {
  const value = normaliseValue(details ?? {}, 'details', 0);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AuditMisuseError('details must be an object');
  }
  const size = Buffer.byteLength(canonicalJson(value), 'utf8');
  if (size > DETAILS_MAX_BYTES) {
    throw new AuditMisuseError(
      `details is ${size} bytes; at most ${DETAILS_MAX_BYTES} (ids, codes and counts only)`,
    );
  }
  return value;
}

function normaliseValue(value: unknown, path: string, depth: number): AuditDetailValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new AuditMisuseError(`${path} must be a safe integer`);
    return value === 0 ? 0 : value; // -0 is stored as 0
  }
  if (typeof value === 'string') {
    if (value.length > DETAILS_MAX_STRING) {
      throw new AuditMisuseError(`${path} is longer than ${DETAILS_MAX_STRING} characters`);
    }
    if (!isStorableText(value)) {
      throw new AuditMisuseError(`${path} must be well-formed text without NUL`);
    }
    return value;
  }
  if (depth >= DETAILS_MAX_DEPTH) throw new AuditMisuseError(`${path} is nested too deeply`);
  if (Array.isArray(value)) {
    return Array.from(value, (item, i) => normaliseValue(item, `${path}[${i}]`, depth + 1));
  }
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const out: AuditDetails = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (!isStorableText(key) || key === '__proto__') {
        throw new AuditMisuseError(`${path} has a key we cannot store`);
      }
      out[key] = normaliseValue(item, `${path}.${key}`, depth + 1);
    }
    return out;
  }
  throw new AuditMisuseError(`${path} must be a string, safe integer, boolean, null, array or plain object`);
}

const IP_KEY =
  /(^|[^a-z])(ip|ips|ip_?address(es)?|remote_?addr(ess)?|x_?forwarded_?for|forwarded|user_?agent)($|[^a-z])/i;

/**
 * A reporter must never be identifiable from what we store (docs/architecture.md "Encryption model"): no IP
 * address, forwarded header or user agent in a reporter's entry, under any key or as any value.
 */
export function assertNothingIdentifiesReporter(details: AuditDetails): void {
  const visit = (value: AuditDetailValue, path: string): void => {
    if (typeof value === 'string' && isIP(value.replace(/^\[|\]$/g, '').replace(/%.*$/, '')) !== 0) {
      throw new AuditMisuseError(`${path} looks like an IP address; a reporter's entry must not hold one`);
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (IP_KEY.test(key.replace(/([a-z])([A-Z])/g, '$1_$2'))) {
          throw new AuditMisuseError(`${path}.${key} is not allowed in a reporter's entry`);
        }
        visit(item, `${path}.${key}`);
      }
    }
  };
  visit(details, 'details');
}

/** JSON with object keys sorted by code unit at every depth; undefined-valued keys are left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const json = JSON.stringify(value);
    if (json === undefined) throw new AuditMisuseError(`cannot serialise ${typeof value}`);
    return json;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** The exact text that is hashed; exported so an auditor can see what an entry commits to. */
export function serialiseForHash(entry: AuditChainContent): string {
  if (Number.isNaN(entry.occurredAt.getTime())) throw new AuditMisuseError('occurred_at is not a valid time');
  return (
    HASH_PREFIX +
    canonicalJson({
      tenant_id: entry.tenantId,
      seq: entry.seq,
      occurred_at: entry.occurredAt.toISOString(),
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      case_id: entry.caseId,
      details: entry.details,
      prev_hash: entry.prevHash,
    })
  );
}

/** Without a key, the plain SHA-256 of entries written before the chain was keyed; with one, the HMAC. */
export function hashEntry(entry: AuditChainContent, key?: string): string {
  if (key === undefined) return createHash('sha256').update(serialiseForHash(entry), 'utf8').digest('hex');
  const keyed = KEYED_PREFIX + serialiseForHash(entry).slice(HASH_PREFIX.length);
  return createHmac('sha256', key).update(keyed, 'utf8').digest('hex');
}

/** The signature of one checkpoint of one tenant's chain. */
export function signCheckpoint(key: string, tenantId: string, checkpoint: AuditCheckpointRecord): string {
  const body = canonicalJson({ tenant_id: tenantId, seq: checkpoint.seq, hash: checkpoint.hash });
  return createHmac('sha256', key)
    .update(CHECKPOINT_PREFIX + body, 'utf8')
    .digest('hex');
}

export function checkpointSignatureValid(
  key: string,
  tenantId: string,
  checkpoint: AuditCheckpointRecord,
): boolean {
  const expected = Buffer.from(signCheckpoint(key, tenantId, checkpoint), 'hex');
  const given = Buffer.from(typeof checkpoint.signature === 'string' ? checkpoint.signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A checkpoint as the monitoring officer takes it out of Nolan (GET /oversight/audit-checkpoint). */
export interface CheckpointFile {
  format: typeof CHECKPOINT_FORMAT;
  tenant: string;
  tenantId: string;
  seq: number;
  hash: string;
  takenAt: string;
  signature: string;
}

export function checkpointFile(
  key: string,
  at: { tenantId: string; tenant: string; seq: number; hash: string },
  takenAt: Date,
): CheckpointFile {
  return {
    format: CHECKPOINT_FORMAT,
    tenant: at.tenant,
    tenantId: at.tenantId,
    seq: at.seq,
    hash: at.hash,
    takenAt: takenAt.toISOString(),
    signature: signCheckpoint(key, at.tenantId, at),
  };
}

/** Reads a checkpoint file (untrusted JSON): the checkpoint, or why it cannot be used. */
export function readCheckpointFile(
  key: string,
  value: unknown,
): { ok: true; file: CheckpointFile } | { ok: false; reason: string } {
  const v = value as Partial<CheckpointFile> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    v.format !== CHECKPOINT_FORMAT ||
    typeof v.tenantId !== 'string' ||
    typeof v.tenant !== 'string' ||
    !Number.isSafeInteger(v.seq) ||
    typeof v.hash !== 'string' ||
    typeof v.signature !== 'string'
  )
    return { ok: false, reason: `it is not a ${CHECKPOINT_FORMAT} file` };
  if (
    !checkpointSignatureValid(key, v.tenantId, { seq: v.seq as number, hash: v.hash, signature: v.signature })
  )
    return {
      ok: false,
      reason: 'its signature does not match this installation’s AUDIT_KEY (altered or forged?)',
    };
  return { ok: true, file: v as CheckpointFile };
}

export type ChainBreak =
  | { kind: 'hash_mismatch'; seq: number; id: string }
  | { kind: 'prev_hash_mismatch'; seq: number; id: string }
  | { kind: 'out_of_order'; seq: number; id: string; expectedSeq: number }
  | { kind: 'missing'; seq: number }
  | { kind: 'checkpoint_mismatch'; seq: number }
  | { kind: 'checkpoint_forged'; seq: number }
  | { kind: 'truncated'; seq: number; head: number };

export type ChainVerdict =
  | { intact: true; entries: number; head: AuditCheckpointRecord | null; checkpoints: number }
  | { intact: false; entries: number; broken: ChainBreak };

/** One line naming the first broken link, for the operator. */
export function describeBreak(broken: ChainBreak): string {
  switch (broken.kind) {
    case 'hash_mismatch':
      return `BROKEN at seq ${broken.seq} (entry ${broken.id}): hash does not match its contents`;
    case 'prev_hash_mismatch':
      return `BROKEN at seq ${broken.seq} (entry ${broken.id}): prev_hash does not match the hash of seq ${broken.seq - 1}`;
    case 'out_of_order':
      return `BROKEN at seq ${broken.seq} (entry ${broken.id}): out of order (expected seq ${broken.expectedSeq})`;
    case 'missing':
      return `seq ${broken.seq} is missing (deleted?)`;
    case 'checkpoint_mismatch':
      return `checkpoint at seq ${broken.seq} does not match the chain (rewritten?)`;
    case 'checkpoint_forged':
      return `checkpoint at seq ${broken.seq} is not signed with this installation's AUDIT_KEY (forged?)`;
    case 'truncated':
      return `checkpoint at seq ${broken.seq} is beyond the chain head ${broken.head} (truncated?)`;
    default:
      return assertUnreachable(broken);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled chain break: ${JSON.stringify(value)}`);
}

/**
 * Verifies a chain fed in seq order, a page at a time, so a long trail need not fit in memory. It
 * stops at the first broken link. The checkpoints are given up front: read them before the entries,
 * so a checkpoint taken while the entries are being read cannot look like a truncation.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private broken: ChainBreak | null = null;
  private readonly checkpoints: Map<number, string>;
  private firstKeyed: number | null = null;

  /** With `key`, keyed entries verify, and plain ones only before the first keyed entry. */
  constructor(
    checkpoints: readonly AuditCheckpointRecord[] = [],
    private readonly key?: string,
  ) {
    this.checkpoints = new Map(checkpoints.map((c) => [c.seq, c.hash]));
  }

  /** The seq of the first entry hashed with the key, if any. */
  get keyedFrom(): number | null {
    return this.firstKeyed;
  }

  /** False once the chain is known to be broken: there is no point reading further. */
  get ok(): boolean {
    return this.broken === null;
  }

  push(entry: AuditChainEntry): boolean {
    if (this.broken) return false;
    this.broken = this.check(entry);
    if (this.broken) return false;
    this.count += 1;
    this.expectedSeq += 1;
    this.prevHash = entry.hash;
    return true;
  }

  finish(): ChainVerdict {
    if (this.broken) return { intact: false, entries: this.count, broken: this.broken };
    const head = this.expectedSeq - 1;
    const beyond = [...this.checkpoints.keys()].filter((seq) => seq > head).sort((a, b) => a - b);
    if (beyond.length > 0) {
      return {
        intact: false,
        entries: this.count,
        broken: { kind: 'truncated', seq: beyond[beyond.length - 1], head },
      };
    }
    return {
      intact: true,
      entries: this.count,
      head: head > 0 ? { seq: head, hash: this.prevHash } : null,
      checkpoints: this.checkpoints.size,
    };
  }

  private check(entry: AuditChainEntry): ChainBreak | null {
    if (entry.seq > this.expectedSeq) return { kind: 'missing', seq: this.expectedSeq };
    if (entry.seq < this.expectedSeq) {
      return { kind: 'out_of_order', seq: entry.seq, id: entry.id, expectedSeq: this.expectedSeq };
    }
    if (this.key !== undefined && hashEntry(entry, this.key) === entry.hash) {
      this.firstKeyed ??= entry.seq;
    } else if (this.firstKeyed !== null || hashEntry(entry) !== entry.hash) {
      return { kind: 'hash_mismatch', seq: entry.seq, id: entry.id };
    }
    if (entry.prevHash !== this.prevHash) return { kind: 'prev_hash_mismatch', seq: entry.seq, id: entry.id };
    const checkpoint = this.checkpoints.get(entry.seq);
    if (checkpoint !== undefined && checkpoint !== entry.hash) {
      return { kind: 'checkpoint_mismatch', seq: entry.seq };
    }
    return null;
  }
}

/** The whole chain at once: for tests and small trails. */
export function verifyChain(
  entries: readonly AuditChainEntry[],
  checkpoints: readonly AuditCheckpointRecord[] = [],
): ChainVerdict {
  const verifier = new ChainVerifier(checkpoints);
  for (const entry of entries) if (!verifier.push(entry)) break;
  return verifier.finish();
}
