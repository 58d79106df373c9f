// Why this exists: a reporter has no account, only the receipt shown once at submission. Their key pair's
// private half is locked under that receipt, and their record is found by a keyed hash of it.
// Implements docs/architecture.md "The reporter's receipt and pepper".
//
// Decisions recorded here:
// - The receipt is a 7-word passphrase from the EFF long list (~90 bits), so it needs no stretching: the
//   AES-256 key is HKDF-SHA256(receipt, per-reporter random 32-byte salt, 'nolan/reporter-key/v1'), and the
//   private key is encrypted with openpgp under that raw session key. The result is a bare SEIPDv1 packet
//   (no PKESK/SKESK, so no S2K on the hot submission path) and is decrypted with `sessionKeys`.
// - Every failure to unlock — wrong receipt, wrong salt, altered blob — is the one WRONG_RECEIPT, so the
//   answer says nothing about which part was wrong.
// - The lookup key is HMAC-SHA256(pepper, receipt): the pepper lives outside the database, so a dump alone
//   cannot be searched offline for receipts.
// - The receipt is used exactly as given (UTF-8 bytes): normalising it is @nolan/domain's job, and the
//   caller must pass the same normalised form here and to receiptLookupKey.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { decrypt, encrypt } from 'openpgp';
import type { SessionKey } from 'openpgp';
import { CryptoError } from './crypto-error';
import { UnlockedKey, readUnencryptedPrivateKey, unlockedKeyOf } from './key-handles';
import { PGP_CONFIG, literalMessage, readBinaryMessage } from './openpgp-settings';
import { type ReporterKeyPool, sharedReporterKeyPool } from './reporter-key-pool';

const HKDF_INFO = 'nolan/reporter-key/v1';
const SALT_BYTES = 32;
const MIN_PEPPER_BYTES = 16;

export interface ReporterKeyMaterial {
  /** Binary OpenPGP public key: grant the case's report scope to it. */
  publicKey: Uint8Array;
  /** The binary private key encrypted under the receipt-derived key (a bare SEIPD packet). */
  lockedPrivateKey: Uint8Array;
  /** Per-reporter random HKDF salt, stored beside lockedPrivateKey. */
  salt: Uint8Array;
  /** Lower-case hex v4 fingerprint of the reporter's key. */
  fingerprint: string;
  /**
   * The new key, unlocked, for the submission that made it to sign the reporter's words with
   * (docs/architecture.md "Item signatures"); never stored as it is.
   */
  unlocked: UnlockedKey;
}

function receiptSessionKey(receipt: string, salt: Uint8Array): SessionKey {
  const key = hkdfSync('sha256', Buffer.from(receipt, 'utf8'), salt, HKDF_INFO, 32);
  return { data: new Uint8Array(key), algorithm: 'aes256' };
}

/**
 * A new reporter's key material: a fresh key pair, from the process's pool of pairs made between requests
 * (reporter-key-pool.ts; docs/performance.md "Key pairs ahead of need"), locked under the receipt here.
 * `pool` is for tests.
 */
export async function createReporterKey(
  receipt: string,
  pool: ReporterKeyPool = sharedReporterKeyPool,
): Promise<ReporterKeyMaterial> {
  if (typeof receipt !== 'string' || receipt.length === 0)
    throw new TypeError('A non-empty receipt is required.');
  const { key, publicKey } = await pool.take();
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const lockedPrivateKey = await encrypt({
    message: await literalMessage(key.write()),
    sessionKey: receiptSessionKey(receipt, salt),
    format: 'binary',
    config: PGP_CONFIG,
  });
  return {
    publicKey,
    lockedPrivateKey,
    salt,
    fingerprint: key.getFingerprint(),
    unlocked: unlockedKeyOf(key),
  };
}

/**
 * Locks the reporter's existing private key under a new receipt, with a fresh salt: replacing a receipt
 * (docs/architecture.md "Replacing a receipt") keeps the key, so every grant to it still opens, while the
 * old receipt no longer unlocks anything once the new lock replaces the old one.
 */
export async function relockReporterKey(
  key: UnlockedKey,
  receipt: string,
): Promise<{ lockedPrivateKey: Uint8Array; salt: Uint8Array }> {
  if (typeof receipt !== 'string' || receipt.length === 0)
    throw new TypeError('A non-empty receipt is required.');
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const lockedPrivateKey = await encrypt({
    message: await literalMessage(key.serialize()),
    sessionKey: receiptSessionKey(receipt, salt),
    format: 'binary',
    config: PGP_CONFIG,
  });
  return { lockedPrivateKey, salt };
}

/** Unlocks the reporter's private key with their receipt; WRONG_RECEIPT for any failure. */
export async function unlockReporterKey(
  material: { lockedPrivateKey: Uint8Array; salt: Uint8Array },
  receipt: string,
): Promise<UnlockedKey> {
  try {
    if (typeof receipt !== 'string' || receipt.length === 0) throw new CryptoError('WRONG_RECEIPT');
    if (!(material.salt instanceof Uint8Array) || material.salt.length !== SALT_BYTES) {
      throw new CryptoError('WRONG_RECEIPT');
    }
    const message = await readBinaryMessage(material.lockedPrivateKey);
    const { data } = await decrypt({
      message,
      sessionKeys: receiptSessionKey(receipt, material.salt),
      format: 'binary',
      config: PGP_CONFIG,
    });
    return unlockedKeyOf(await readUnencryptedPrivateKey(data));
  } catch {
    // Whatever failed (receipt, salt, blob), the reporter only ever gets the one answer.
    throw new CryptoError('WRONG_RECEIPT');
  }
}

/**
 * The database lookup key for a receipt: lower-case hex HMAC-SHA256(pepper, receipt). A string pepper is
 * taken as UTF-8; it must be at least 16 bytes (a secret of at least 128 bits, kept outside the database).
 */
export function receiptLookupKey(pepper: Uint8Array | string, normalisedReceipt: string): string {
  const key = typeof pepper === 'string' ? Buffer.from(pepper, 'utf8') : pepper;
  if (!(key instanceof Uint8Array) || key.length < MIN_PEPPER_BYTES) {
    throw new TypeError(`The receipt pepper must be at least ${MIN_PEPPER_BYTES} bytes.`);
  }
  if (typeof normalisedReceipt !== 'string' || normalisedReceipt.length === 0) {
    throw new TypeError('A non-empty receipt is required.');
  }
  return createHmac('sha256', key).update(normalisedReceipt, 'utf8').digest('hex');
}
