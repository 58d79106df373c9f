// Why this exists: a scope's private key is stored once per person allowed to read that scope, encrypted
// to that person's public key — a grant. Granting is done by someone who already holds a grant (open it,
// re-encrypt to the newcomer); revoking is deleting the grant row, after which the former grantee has
// nothing their own key opens. The tenant escrow key is always among the grantees.
// Implements docs/architecture.md "Case scope keys and grants" (grants, granting, revoking).
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
import { literalMessage, readBinaryMessage } from './openpgp-settings';
import { decryptForKey } from './public-key-decryption';
import { messageOf, sealToEach } from './sealed-to-each';

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
  return (await createGrants(scopePrivateKey, [grantee]))[0] as Uint8Array;
}

/**
 * Grants one scope key to several grantees at once (docs/performance.md "One session key per scope"):
 * one grant per grantee, in the order given, each still a complete, standard OpenPGP message to exactly
 * that grantee — their public-key encrypted session key packet (PKESK) followed by an encrypted-data
 * packet (SEIPDv1 with MDC, what GnuPG 2.2 reads) holding the scope key. The encrypted-data packet is made
 * once, under one session key, and the same bytes follow every grantee's PKESK: the symmetric encryption
 * and the message framing are paid once per scope, the public-key operation once per grantee.
 *
 * Why sharing the session key among the grantees of one call leaks nothing: the session key opens only
 * that one encrypted-data packet, which holds only this scope key, and every grantee it is shared with may
 * read this scope key anyway (that is what their grant is for). Whoever opens their own grant learns the
 * session key and, with it, exactly what they already learn from their grant: the scope key. It opens no
 * other scope (each call makes a fresh random session key, and a call is for one scope key), and no later
 * grant (a newcomer's grant, made by createGrant or regrant, has its own). Revoking is still deleting one
 * row: a former grantee who kept the session key holds nothing the scope key they were given did not
 * already give them, as with a grant of its own. It lets no grantee forge a grant for another either:
 * anyone with a grantee's public key could always write a message to them. Someone who reads only the
 * database sees that these rows carry the same encrypted-data bytes, i.e. the same plaintext, which they
 * know already: every grant of a scope holds that scope's key. Each PKESK is made for its own recipient
 * (a fresh ephemeral X25519 key each, bound to that recipient's fingerprint), so one grantee's packet says
 * nothing that opens another's.
 */
export async function createGrants(
  scopePrivateKey: Uint8Array | UnlockedKey,
  grantees: readonly PublicKeyHandle[],
): Promise<Uint8Array[]> {
  const keyBytes = scopePrivateKey instanceof UnlockedKey ? scopePrivateKey.serialize() : scopePrivateKey;
  // A cheap shape check instead of a full parse: this runs for every case's three scopes.
  if (!(keyBytes instanceof Uint8Array) || keyBytes[0] !== SECRET_KEY_PACKET_HEADER) {
    throw new CryptoError('INVALID_KEY');
  }
  const recipients = grantees.map((grantee) => publicKeyOf(grantee));
  if (recipients.length === 0) return [];
  const message = await literalMessage(keyBytes);
  return orFail('INVALID_KEY', async () => {
    const { keyPackets, sealed } = await sealToEach(message, recipients);
    return keyPackets.map((keyPacket) => messageOf(keyPacket, sealed));
  });
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
