// Why this exists: a case exported for a handler leaves the system as a standard OpenPGP message —
// encrypted to the recipient's key and signed by the tenant — that any OpenPGP tool, GnuPG 2.2 included,
// decrypts and verifies. verifyAndDecryptExport is the same check done with this library (for tests and
// for tooling that re-imports an export).
// Implements docs/architecture.md "Exports".
//
// The content travels as binary literal data (a string is sent as its UTF-8 bytes), so the recipient gets
// exactly the bytes exported, with no line-ending rewriting. The cipher follows the recipient key's own
// preferences: a GnuPG 2.2 key gets SEIPDv1 (AES-256 + MDC); only a key that itself advertises SEIPDv2
// would get AEAD.
import { encrypt } from 'openpgp';
import { orFail } from './crypto-error';
import { PublicKeyHandle, UnlockedKey, privateKeyOf, publicKeyOf } from './key-handles';
import { PGP_CONFIG, literalMessage, readArmoredMessage, readBinaryMessage } from './openpgp-settings';
import { decryptForKey } from './public-key-decryption';

export interface ExportInput {
  content: Uint8Array | string;
  /** Name recorded inside the encrypted literal data (never visible outside the encryption). */
  filename?: string;
  recipient: PublicKeyHandle;
  /** The tenant's signing key. */
  signer: UnlockedKey;
}

/** Encrypts to the recipient and signs with the signer; returns an ASCII-armored OpenPGP message. */
export async function exportForRecipient(input: ExportInput): Promise<string> {
  const encryptionKey = publicKeyOf(input.recipient);
  const signingKey = privateKeyOf(input.signer);
  const message = await literalMessage(input.content, input.filename);
  // Fails only if the recipient has no usable encryption key or the signer no usable signing key.
  return orFail('INVALID_KEY', () =>
    encrypt({
      message,
      encryptionKeys: encryptionKey,
      signingKeys: signingKey,
      format: 'armored',
      config: PGP_CONFIG,
    }),
  );
}

/**
 * The same as exportForRecipient, as binary OpenPGP packets (a `.pgp` file): about a quarter smaller
 * than armor and cheaper to write, for exports that carry attachments. `gpg --decrypt` reads either.
 */
export async function exportForRecipientBinary(input: ExportInput): Promise<Uint8Array> {
  const encryptionKey = publicKeyOf(input.recipient);
  const signingKey = privateKeyOf(input.signer);
  const message = await literalMessage(input.content, input.filename);
  return orFail('INVALID_KEY', () =>
    encrypt({
      message,
      encryptionKeys: encryptionKey,
      signingKeys: signingKey,
      format: 'binary',
      config: PGP_CONFIG,
    }),
  );
}

export interface VerifiedExport {
  content: Uint8Array;
  filename: string;
}

/**
 * Decrypts an export with the recipient's key and requires a valid signature by `signer`.
 * NOT_A_RECIPIENT if it is not for this key; TAMPERED if it fails its integrity check or is not signed
 * by `signer`; INVALID_MESSAGE if it is not an armored OpenPGP message.
 */
export async function verifyAndDecryptExport(input: {
  armored: string;
  recipient: UnlockedKey;
  signer: PublicKeyHandle;
}): Promise<VerifiedExport> {
  const key = privateKeyOf(input.recipient);
  const signer = publicKeyOf(input.signer);
  const message = await readArmoredMessage(input.armored);
  const { data, filename } = await decryptForKey(message, key, signer);
  return { content: data, filename };
}

/** verifyAndDecryptExport for a binary export (exportForRecipientBinary); the same failure codes. */
export async function verifyAndDecryptBinaryExport(input: {
  message: Uint8Array;
  recipient: UnlockedKey;
  signer: PublicKeyHandle;
}): Promise<VerifiedExport> {
  const key = privateKeyOf(input.recipient);
  const signer = publicKeyOf(input.signer);
  const message = await readBinaryMessage(input.message);
  const { data, filename } = await decryptForKey(message, key, signer);
  return { content: data, filename };
}
