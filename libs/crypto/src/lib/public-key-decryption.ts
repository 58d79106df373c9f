// Why this exists: every public-key decryption in this library (scope content, grants, exports) must
// fail the same way, and must never hand back plaintext that has not passed its integrity check. openpgp
// reports all failures as free text; here they become three codes decided by structure, not by parsing
// that text: no encrypted-session-key packet for us → NOT_A_RECIPIENT; ours but it does not decrypt or
// verify → TAMPERED; not a public-key message at all → INVALID_MESSAGE.
// Implements docs/architecture.md "Encryption model" (a revoked grantee reads nothing; tampering is
// detected).
import { decrypt } from 'openpgp';
import type { Message, PrivateKey, PublicKey } from 'openpgp';
import { CryptoError } from './crypto-error';
import { PGP_CONFIG } from './openpgp-settings';

export interface DecryptedLiteral {
  data: Uint8Array;
  filename: string;
}

export async function decryptForKey(
  message: Message<Uint8Array> | Message<string>,
  key: PrivateKey,
  signer?: PublicKey,
): Promise<DecryptedLiteral> {
  const recipients = message.getEncryptionKeyIDs();
  if (recipients.length === 0) throw new CryptoError('INVALID_MESSAGE');
  const ownKeyIDs = key.getKeyIDs();
  // `true`: a wildcard (anonymous) recipient might be us, so let decryption decide.
  if (!recipients.some((recipient) => ownKeyIDs.some((own) => recipient.equals(own, true)))) {
    throw new CryptoError('NOT_A_RECIPIENT');
  }
  try {
    // Input is not a stream, so openpgp buffers the whole message and checks the MDC (and, with
    // expectSigned, the signature) before it returns anything.
    const result = await decrypt({
      message,
      decryptionKeys: key,
      format: 'binary',
      config: PGP_CONFIG,
      ...(signer ? { verificationKeys: signer, expectSigned: true } : {}),
    });
    return { data: result.data, filename: result.filename };
  } catch {
    throw new CryptoError('TAMPERED');
  }
}
