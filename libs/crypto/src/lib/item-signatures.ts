// Why this exists: a case item's author is a column, and anyone with the application's database
// credentials can write a row. A detached signature over a statement of the item (its id, case, scope,
// kind, author, time and a hash of its ciphertext) made with a key the database does not hold lets every
// read tell a recorded item from an inserted one. Detached over the ciphertext's hash rather than inside
// the OpenPGP message so that existing ciphertexts, exports and GnuPG 2.2 readers are untouched.
// Implements docs/architecture.md "Encryption model" (item signatures).
import { createMessage, readSignature, sign, verify } from 'openpgp';
import { PublicKeyHandle, UnlockedKey, privateKeyOf, publicKeyOf } from './key-handles';
import { CryptoError } from './crypto-error';
import { packetDate, PGP_CONFIG, validAt } from './openpgp-settings';

/** A binary detached OpenPGP signature over `statement`. */
export async function signDetached(statement: Uint8Array, signer: UnlockedKey): Promise<Uint8Array> {
  if (!(statement instanceof Uint8Array)) throw new TypeError('A statement to sign must be bytes.');
  const message = await createMessage({ binary: statement, date: packetDate() });
  return sign({
    message,
    signingKeys: privateKeyOf(signer),
    // The signature packet is readable in a copy of the database: it keeps only the hour.
    date: packetDate(),
    detached: true,
    format: 'binary',
    config: PGP_CONFIG,
  });
}

/**
 * True only if `signature` is a valid detached signature over `statement` by `signer`. Never throws on a
 * bad or foreign signature (that is the answer "false"); throws only on a key that is not a handle.
 */
export async function verifyDetached(
  statement: Uint8Array,
  signature: Uint8Array,
  signer: PublicKeyHandle,
): Promise<boolean> {
  const key = publicKeyOf(signer);
  if (!(statement instanceof Uint8Array) || !(signature instanceof Uint8Array)) return false;
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
    return true;
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    return false;
  }
}
