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
import { x25519SessionKey } from './x25519-session-key';

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
  // A wildcard (anonymous) recipient might be us, so let decryption decide. Asked only when no recipient
  // is one of our keys: openpgp tells a wildcard by writing the key ID out as hex, about 80 µs a
  // decryption on a busy machine (docs/performance.md "Opening a case").
  if (
    !recipients.some((recipient) => ownKeyIDs.some((own) => recipient.equals(own))) &&
    !recipients.some((recipient) => ownKeyIDs.some((own) => recipient.equals(own, true)))
  ) {
    throw new CryptoError('NOT_A_RECIPIENT');
  }
  const verifying = signer ? { verificationKeys: signer, expectSigned: true } : {};
  // The session key found with node:crypto (x25519-session-key.ts), and the message decrypted with it by
  // openpgp, which checks its integrity as below; if either fails, openpgp's own path decides.
  // Synchronous work on the event loop, and openpgp's own steps are promises that never wait for I/O:
  // let the loop take in what has arrived (a statement's answer, another request) before each message.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const sessionKey = x25519SessionKey(message, key);
  if (sessionKey) {
    try {
      const result = await decrypt({
        message,
        sessionKeys: sessionKey as Parameters<typeof decrypt>[0]['sessionKeys'],
        format: 'binary',
        config: PGP_CONFIG,
        ...verifying,
      });
      return { data: result.data, filename: result.filename };
    } catch {
      // Fall through to the path that answers every failure.
    }
  }
  try {
    // Input is not a stream, so openpgp buffers the whole message and checks the MDC (and, with
    // expectSigned, the signature) before it returns anything.
    const result = await decrypt({
      message,
      decryptionKeys: key,
      format: 'binary',
      config: PGP_CONFIG,
      ...verifying,
    });
    return { data: result.data, filename: result.filename };
  } catch {
    throw new CryptoError('TAMPERED');
  }
}
