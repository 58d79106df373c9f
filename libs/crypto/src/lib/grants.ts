// Why this exists: a scope's private key is stored once per person allowed to read that scope, encrypted
// to that person's public key — a grant. Granting is done by someone who already holds a grant (open it,
// re-encrypt to the newcomer); revoking is deleting the grant row, after which the former grantee has
// nothing their own key opens. The tenant escrow key is always among the grantees.
// Implements docs/architecture.md "Case scope keys and grants" (grants, granting, revoking).
import { encrypt } from 'openpgp';
import type { PrivateKey } from 'openpgp';
import { CryptoError, orFail } from './crypto-error';
import {
  PublicKeyHandle,
  UnlockedKey,
  privateKeyOf,
  publicKeyOf,
  readUnencryptedPrivateKey,
  unlockedKeyOf,
} from './key-handles';
import { PGP_CONFIG, literalMessage, readBinaryMessage } from './openpgp-settings';
import { decryptForKey } from './public-key-decryption';

// A v4 secret-key packet in OpenPGP's new packet format: tag 5 → header byte 0xC5.
const SECRET_KEY_PACKET_HEADER = 0xc5;

/**
 * Encrypts a scope private key (binary, unencrypted, as generateScopeKeyPair returns it, or an UnlockedKey)
 * to one grantee. One grant per grantee, so that revoking one is deleting one row.
 */
export async function createGrant(
  scopePrivateKey: Uint8Array | UnlockedKey,
  grantee: PublicKeyHandle,
): Promise<Uint8Array> {
  const keyBytes = scopePrivateKey instanceof UnlockedKey ? scopePrivateKey.serialize() : scopePrivateKey;
  // A cheap shape check instead of a full parse: this runs a dozen times per submission.
  if (!(keyBytes instanceof Uint8Array) || keyBytes[0] !== SECRET_KEY_PACKET_HEADER) {
    throw new CryptoError('INVALID_KEY');
  }
  const recipient = publicKeyOf(grantee);
  const message = await literalMessage(keyBytes);
  return orFail('INVALID_KEY', () =>
    encrypt({ message, encryptionKeys: recipient, format: 'binary', config: PGP_CONFIG }),
  );
}

async function openGrantParsed(
  grant: Uint8Array,
  holder: UnlockedKey,
): Promise<{ bytes: Uint8Array; key: PrivateKey }> {
  const holderKey = privateKeyOf(holder);
  const message = await readBinaryMessage(grant);
  const { data } = await decryptForKey(message, holderKey);
  // It decrypted and passed its integrity check, yet holds no usable key: someone wrote a bogus grant.
  const key = await readUnencryptedPrivateKey(data).catch(() => {
    throw new CryptoError('TAMPERED');
  });
  return { bytes: data, key };
}

/**
 * Opens a grant with the holder's unlocked key and returns the scope private key (binary, unencrypted).
 * NOT_A_RECIPIENT if the grant is someone else's; TAMPERED if it fails its integrity check or does not
 * hold an unencrypted private key.
 */
export async function openGrant(grant: Uint8Array, holder: UnlockedKey): Promise<Uint8Array> {
  return (await openGrantParsed(grant, holder)).bytes;
}

/** Like openGrant, but returns the scope key parsed, ready for many decryptWithScope calls. */
export async function openGrantAsKey(grant: Uint8Array, holder: UnlockedKey): Promise<UnlockedKey> {
  return unlockedKeyOf((await openGrantParsed(grant, holder)).key);
}

/** Grants a newcomer the scope key the holder's grant opens: the same key, re-encrypted to them. */
export async function regrant(
  existingGrant: Uint8Array,
  holder: UnlockedKey,
  newGrantee: PublicKeyHandle,
): Promise<Uint8Array> {
  return createGrant(await openGrant(existingGrant, holder), newGrantee);
}
