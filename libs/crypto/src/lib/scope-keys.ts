// Why this exists: a case's content is split by who may read it, one key pair per scope. Content is
// encrypted to the scope's public key, so the reporter, a worker or any handler can add to a case without
// holding a private key; reading needs the scope private key, which exists only inside grants.
// Implements docs/architecture.md "Case scope keys and grants".
import { orFail } from './crypto-error';
import {
  PublicKeyHandle,
  UnlockedKey,
  privateKeyOf,
  publicKeyOf,
  readUnencryptedPrivateKey,
  rememberPublicKey,
} from './key-handles';
import { generateV4KeyPair, literalMessage, readBinaryMessage } from './openpgp-settings';
import { decryptForKey } from './public-key-decryption';
import { padToBucket } from './padding';
import { messageOf, sealToEach } from './sealed-to-each';

/** report: shared with the reporter; internal: handlers only; identity: the reporter's identity, custodian-gated. */
export const SCOPES = ['report', 'internal', 'identity'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ScopeKeyPair {
  scope: Scope;
  /** Binary OpenPGP public key: stored with the case, used by anyone adding content. */
  publicKey: Uint8Array;
  /** Binary, *unencrypted* OpenPGP private key: never stored as such, only inside grants. */
  privateKey: Uint8Array;
  /** Lower-case hex v4 fingerprint, to store beside the public key and check grants against. */
  fingerprint: string;
}

export async function generateScopeKeyPair(scope: Scope): Promise<ScopeKeyPair> {
  if (!isScope(scope)) throw new TypeError('Unknown scope.');
  // The user ID names only the scope: nothing about the case or the tenant goes into key material.
  const key = await generateV4KeyPair({ name: `Nolan case scope: ${scope}` });
  const publicKey = key.toPublic();
  const publicKeyBytes = publicKey.write();
  rememberPublicKey(publicKeyBytes, publicKey);
  return { scope, publicKey: publicKeyBytes, privateKey: key.write(), fingerprint: key.getFingerprint() };
}

/**
 * Encrypts content to a scope (binary OpenPGP message, SEIPDv1 with MDC, uncompressed), padded to its
 * size bucket (padding.ts: a Padding packet inside the encryption), so its length says only the bucket.
 */
export async function encryptToScope(
  content: Uint8Array | string,
  scopePublicKey: Uint8Array | PublicKeyHandle,
): Promise<Uint8Array> {
  const handle =
    scopePublicKey instanceof PublicKeyHandle ? scopePublicKey : await PublicKeyHandle.parse(scopePublicKey);
  const message = padToBucket(await literalMessage(content));
  return orFail('INVALID_KEY', async () => {
    const { keyPackets, sealed } = await sealToEach(message, [publicKeyOf(handle)]);
    return messageOf(keyPackets[0] as Uint8Array, sealed);
  });
}

/**
 * Decrypts scope content. NOT_A_RECIPIENT if it was not encrypted to this key, TAMPERED if it fails its
 * integrity check (no plaintext is returned then), INVALID_MESSAGE if it is not such a message at all.
 * Pass an UnlockedKey (UnlockedKey.fromSerialized) to decrypt many items without re-parsing the key.
 */
export async function decryptWithScope(
  ciphertext: Uint8Array,
  scopePrivateKey: Uint8Array | UnlockedKey,
): Promise<Uint8Array> {
  const key =
    scopePrivateKey instanceof UnlockedKey
      ? privateKeyOf(scopePrivateKey)
      : await readUnencryptedPrivateKey(scopePrivateKey);
  const message = await readBinaryMessage(ciphertext);
  return (await decryptForKey(message, key)).data;
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
