// Why this exists: a case item's author is a column, and anyone with the application's database
// credentials can write a row. A detached signature over a statement of the item (its id, case, scope,
// kind, author, time and a hash of its ciphertext) made with a key the database does not hold lets every
// read tell a recorded item from an inserted one. Detached over the ciphertext's hash rather than inside
// the OpenPGP message so that existing ciphertexts, exports and GnuPG 2.2 readers are untouched.
// Implements docs/architecture.md "Encryption model" (item signatures).
//
// A check that passed is remembered for the process (bounded, least recently used first out), keyed by a
// SHA-256 of exactly what was checked: the statement's bytes, the signature's bytes and the whole public
// key it was checked against (every packet, not only its fingerprint). Checking is a pure function of
// those bytes, so a remembered answer is the answer a new check would give; a row changed in any way
// (its statement, its signature, the key it is checked against) is a different entry and is checked
// afresh, and a failure is never remembered. A signature that can expire is never remembered either
// (its answer depends on the day): Nolan makes none. Implements docs/performance.md "Opening a case".
import { createHash } from 'node:crypto';
import { createMessage, readSignature, sign, verify } from 'openpgp';
import type { PublicKey } from 'openpgp';
import { PublicKeyHandle, UnlockedKey, privateKeyOf, publicKeyOf } from './key-handles';
import { CryptoError } from './crypto-error';
import { detachedSignature, eddsaSigningKey } from './eddsa-signatures';
import { FULL_PGP_CONFIG, packetDate, PGP_CONFIG, validAt, warnFallbackOnce } from './openpgp-settings';

/** A binary detached OpenPGP signature over `statement`. */
export async function signDetached(statement: Uint8Array, signer: UnlockedKey): Promise<Uint8Array> {
  if (!(statement instanceof Uint8Array)) throw new TypeError('A statement to sign must be bytes.');
  // The signature packet is readable in a copy of the database: it keeps only the hour.
  const date = packetDate();
  const key = privateKeyOf(signer);
  // Written with node:crypto where the key is of the shape Nolan makes (eddsa-signatures.ts), the packet
  // openpgp's sign writes; openpgp's sign otherwise.
  try {
    const signing = await eddsaSigningKey(key, date, FULL_PGP_CONFIG);
    if (signing) return detachedSignature(statement, signing, date);
  } catch {
    warnFallbackOnce('signatures');
  }
  const message = await createMessage({ binary: statement, date });
  return sign({
    message,
    signingKeys: key,
    date,
    detached: true,
    format: 'binary',
    config: PGP_CONFIG,
  });
}

/** At most this many passed checks are remembered (about 100 bytes each). */
const VERIFIED_LIMIT = 50_000;
const verified = new Set<string>();
/** The SHA-256 of each key's packets, computed once per parsed key (keys are parsed once and kept). */
const keyDigests = new WeakMap<PublicKey, Buffer>();
let checksMade = 0;

function keyDigest(key: PublicKey): Buffer {
  let digest = keyDigests.get(key);
  if (!digest) {
    digest = createHash('sha256').update(key.write()).digest();
    keyDigests.set(key, digest);
  }
  return digest;
}

/** What one check was over, as one hash: each part length-prefixed, so no two inputs run together. */
function checkedOver(statement: Uint8Array, signature: Uint8Array, key: PublicKey): string {
  const length = (bytes: Uint8Array) => {
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64BE(BigInt(bytes.length));
    return prefix;
  };
  return createHash('sha256')
    .update('nolan-verified-detached/1\0')
    .update(length(statement))
    .update(statement)
    .update(length(signature))
    .update(signature)
    .update(keyDigest(key))
    .digest('base64');
}

/**
 * True only if `signature` is a valid detached signature over `statement` by `signer`. Never throws on a
 * bad or foreign signature (that is the answer "false"); throws only on a key that is not a handle.
 * The same bytes checked again in this process are answered from the memo above, and only a "true".
 */
export async function verifyDetached(
  statement: Uint8Array,
  signature: Uint8Array,
  signer: PublicKeyHandle,
): Promise<boolean> {
  const key = publicKeyOf(signer);
  if (!(statement instanceof Uint8Array) || !(signature instanceof Uint8Array)) return false;
  const over = checkedOver(statement, signature, key);
  if (verified.has(over)) {
    // Set keeps insertion order: re-inserting marks the entry most recently used.
    verified.delete(over);
    verified.add(over);
    return true;
  }
  checksMade++;
  try {
    const parsed = await readSignature({ binarySignature: signature, config: PGP_CONFIG });
    const message = await createMessage({ binary: statement });
    const { signatures } = await verify({
      message,
      signature: parsed,
      verificationKeys: key,
      date: validAt(),
      config: PGP_CONFIG,
    });
    if (signatures.length === 0) return false;
    for (const s of signatures) await s.verified;
    if (parsed.packets.every((packet) => packet.signatureNeverExpires)) remember(over);
    return true;
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    return false;
  }
}

function remember(over: string): void {
  verified.add(over);
  if (verified.size > VERIFIED_LIMIT) {
    const oldest = verified.values().next();
    if (!oldest.done) verified.delete(oldest.value);
  }
}

/** For this library's tests: how many checks were made rather than answered from the memo. */
export function signatureChecksMade(): number {
  return checksMade;
}
