// Why this exists: each handler (and the tenant's escrow identity) has a long-lived OpenPGP key pair whose
// private half is stored only encrypted under the person's passphrase, and is unlocked at login.
// Implements docs/architecture.md "Staff keys" (and the tenant escrow key).
//
// S2K: Argon2id (RFC 9580 §3.7.1.4), t=3, p=4, m=64 MiB, on a v4 key. openpgp 6.3.2 supports this for v4
// keys only with AEAD key protection (S2K usage 253, AES-256-OCB), which KEY_PROTECTION_CONFIG turns on for
// the key-encryption call alone. The primary key and the encryption subkey are protected separately, so an
// unlock runs Argon2 twice (≈0.4 s on one core here) and, being WebAssembly, blocks the thread that runs it:
// it belongs at login, never on a per-request path, and runs on a thread of its own (unlock-thread.ts). GnuPG 2.2 cannot read the protected private key
// (it has no Argon2); the public key, and everything encrypted to it, it reads as usual.
import { decryptKey, encryptKey, readPrivateKey } from 'openpgp';
import type { PrivateKey } from 'openpgp';
import { CryptoError, orFail } from './crypto-error';
import { UnlockedKey, rememberPublicKey, unlockedKeyOf } from './key-handles';
import { FULL_PGP_CONFIG, PGP_CONFIG, generateV4KeyPair, keyProtectionConfig } from './openpgp-settings';
import { unlockOnThread } from './unlock-thread';

export interface StaffKeyMaterial {
  /** ASCII-armored public key. */
  publicKey: string;
  /** ASCII-armored private key, protected under the passphrase with Argon2 S2K. */
  encryptedPrivateKey: string;
  /** Lower-case hex v4 fingerprint of the primary key. */
  fingerprint: string;
}

function requirePassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new TypeError('A non-empty passphrase is required.');
  }
}

async function protect(key: PrivateKey, passphrase: string): Promise<string> {
  const encrypted = await encryptKey({ privateKey: key, passphrase, config: keyProtectionConfig() });
  return encrypted.armor(FULL_PGP_CONFIG);
}

export async function generateStaffKeyPair(input: {
  name: string;
  email: string;
  passphrase: string;
}): Promise<StaffKeyMaterial> {
  requirePassphrase(input.passphrase);
  const key = await generateV4KeyPair({ name: input.name, email: input.email });
  const publicKey = key.toPublic();
  const armoredPublicKey = publicKey.armor(FULL_PGP_CONFIG);
  rememberPublicKey(armoredPublicKey, publicKey);
  return {
    publicKey: armoredPublicKey,
    encryptedPrivateKey: await protect(key, input.passphrase),
    fingerprint: key.getFingerprint(),
  };
}

async function unlock(encryptedPrivateKey: string, passphrase: string): Promise<PrivateKey> {
  const locked = await orFail('INVALID_KEY', () =>
    readPrivateKey({ armoredKey: encryptedPrivateKey, config: PGP_CONFIG }),
  );
  // An unprotected key would "unlock" with any passphrase; refuse it rather than pretend.
  if (locked.getKeys().some(({ keyPacket }) => keyPacket.isDecrypted() === true))
    throw new CryptoError('INVALID_KEY');
  // decryptKey also checks that the private and public parameters match.
  return orFail('WRONG_PASSPHRASE', () => decryptKey({ privateKey: locked, passphrase, config: PGP_CONFIG }));
}

/**
 * Whether an armored private key is protected (every key packet encrypted), without the cost of trying
 * a passphrase: for checks that a store or a dump holds no private key in usable form.
 */
export async function isLockedPrivateKey(armoredPrivateKey: string): Promise<boolean> {
  const key = await orFail('INVALID_KEY', () =>
    readPrivateKey({ armoredKey: armoredPrivateKey, config: PGP_CONFIG }),
  );
  return key.getKeys().every(({ keyPacket }) => keyPacket.isDecrypted() === false);
}

/** Unlocks a stored private key at login. WRONG_PASSPHRASE if the passphrase is wrong. */
export async function unlockPrivateKey(
  encryptedPrivateKey: string,
  passphrase: string,
): Promise<UnlockedKey> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new CryptoError('WRONG_PASSPHRASE');
  if (typeof encryptedPrivateKey !== 'string') throw new CryptoError('INVALID_KEY');
  // Argon2 on the unlock thread, so the event loop keeps serving (unlock-thread.ts); here if it is away.
  const reply = await unlockOnThread(encryptedPrivateKey, passphrase, PGP_CONFIG);
  if (!reply) return unlockedKeyOf(await unlock(encryptedPrivateKey, passphrase));
  if (reply.error || !reply.bytes) throw new CryptoError(reply.error ?? 'INVALID_KEY');
  return UnlockedKey.fromSerialized(reply.bytes);
}

/** The same unlock on the calling thread, for the tests that hold both paths to the same answers. */
export async function unlockPrivateKeyHere(
  encryptedPrivateKey: string,
  passphrase: string,
): Promise<UnlockedKey> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new CryptoError('WRONG_PASSPHRASE');
  return unlockedKeyOf(await unlock(encryptedPrivateKey, passphrase));
}

/**
 * Re-protects the same key under a new passphrase; returns the new armored private key. The old armored
 * key still opens with the old passphrase, so the caller must replace it.
 */
export async function changePassphrase(
  encryptedPrivateKey: string,
  oldPassphrase: string,
  newPassphrase: string,
): Promise<string> {
  requirePassphrase(newPassphrase);
  if (typeof oldPassphrase !== 'string' || oldPassphrase.length === 0)
    throw new CryptoError('WRONG_PASSPHRASE');
  return protect(await unlock(encryptedPrivateKey, oldPassphrase), newPassphrase);
}
