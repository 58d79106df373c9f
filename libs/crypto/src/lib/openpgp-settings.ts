// Why this exists: one place for every openpgp setting this library relies on, so that no call site can
// drift into something GnuPG 2.2 cannot read (see docs/architecture.md "OpenPGP profile"), and
// for the few low-level helpers (key generation, message parsing) every other file shares.
// Implements docs/architecture.md "Encryption model" (v4 Curve25519 keys; exports readable by any OpenPGP
// tool).
//
// Decisions recorded here:
// - Settings are passed per call rather than written into openpgp's global `config`, so nothing else
//   loaded in the process can change them underneath us.
// - Keys are v4 with the legacy Curve25519 OIDs (EdDSA primary for certification and signing, ECDH cv25519
//   subkey for encryption). Generated with `aeadProtect: false`, their self-signatures do not advertise
//   SEIPDv2, so openpgp (which picks AEAD from the *recipients'* feature flags) writes SEIPDv1 + MDC to them.
// - Messages are never compressed (no compression oracle, one less parser on the decrypt path).
// - Every packet we make is dated to the start of its clock hour (packetDate). openpgp ignores keys and
//   self-signatures created "in the future", so a key made on one host would be unusable for a moment on
//   a host whose clock is behind: every check of a key's or signature's validity is made at `validAt()`,
//   a few minutes ahead of this host's clock, instead of backdating what we make.
import {
  config as openpgpDefaults,
  createMessage,
  enums,
  generateKey,
  readMessage,
  readPrivateKey,
} from 'openpgp';
import type { Config, Message, PrivateKey } from 'openpgp';
import { CryptoError } from './crypto-error';
import { curve25519KeyPair } from './curve25519-key-pairs';

/** Settings for every message, key generation and signature. */
export const PGP_CONFIG: Partial<Config> = Object.freeze({
  v6Keys: false,
  aeadProtect: false,
  preferredSymmetricAlgorithm: enums.symmetric.aes256,
  preferredHashAlgorithm: enums.hash.sha512,
  preferredCompressionAlgorithm: enums.compression.uncompressed,
  showVersion: false,
  showComment: false,
});

/** The same as a complete Config, for the key methods (verifyPrimaryKey, getEncryptionKey) that take one. */
export const FULL_PGP_CONFIG: Config = Object.freeze({ ...openpgpDefaults, ...PGP_CONFIG });

/**
 * Settings for protecting a stored private key under a passphrase: Argon2id S2K (RFC 9580 §3.7.1.4) with
 * openpgp's defaults, RFC 9106's "uniformly safe" second recommendation (t=3, p=4, m=64 MiB). openpgp only
 * allows Argon2 inside AEAD key protection (S2K usage 253, AES-256-OCB), so `aeadProtect` is on for this
 * call alone: it changes how the secret-key packets are wrapped, not the key, its preferences or any
 * message. GnuPG 2.2 cannot read such a *protected* private key, but it never has to: only public keys
 * and messages leave this system.
 */
export const KEY_PROTECTION_CONFIG: Partial<Config> = Object.freeze({
  ...PGP_CONFIG,
  aeadProtect: true,
  preferredAEADAlgorithm: enums.aead.ocb,
  s2kType: enums.s2k.argon2,
  s2kArgon2Params: { passes: 3, parallelism: 4, memoryExponent: 16 },
});

let keyProtection: Partial<Config> = KEY_PROTECTION_CONFIG;

/** The settings staff keys are protected with when they are made or re-locked (see below). */
export function keyProtectionConfig(): Partial<Config> {
  return keyProtection;
}

/**
 * For end-to-end test processes only: keys made or re-locked from now on in this process use Argon2 at
 * t=1, p=1, m=1 MiB instead of t=3, p=4, m=64 MiB. Each of the suites' hundreds of staff users would
 * otherwise cost ~0.5 s of Argon2 to make and again at every sign-in, which is what the suites spent most
 * of their time on; what they test does not depend on the cost. The S2K type and packet format are
 * unchanged, unit tests and `npm run bench` keep the real parameters, and it refuses to run unless
 * NODE_ENV is "test", so no deployed process can weaken a key.
 */
export function useCheapKeyProtectionInTests(): void {
  if (process.env['NODE_ENV'] !== 'test')
    throw new Error('Cheap key protection is for test processes only (NODE_ENV=test).');
  keyProtection = Object.freeze({
    ...KEY_PROTECTION_CONFIG,
    s2kArgon2Params: { passes: 1, parallelism: 1, memoryExponent: 10 },
  });
}

/** How far behind another host's clock ours may be and still accept what that host made. */
export const CLOCK_TOLERANCE_MS = 5 * 60 * 1000;

const HOUR_MS = 60 * 60 * 1000;

/**
 * The one time every OpenPGP packet we make carries (a key's creation, a signature's, a literal data
 * packet's): the start of the clock hour. OpenPGP packets hold their own times to the second, and a scope
 * key made at intake, an item's signature (readable in a copy of the database without any key) or the
 * literal packet a handler decrypts would otherwise each say when a reporter acted (docs/architecture.md
 * "Reporter time"). It depends on the clock hour alone, as the rows' hours do (a case's `received_at`, an
 * item's time): dated to the hour of five minutes earlier, as it once was, a packet made in an hour's
 * first five minutes carried the hour before while its row carried this one, which told a copy of the
 * database that the reporter acted in those five minutes.
 */
export function packetDate(now = Date.now()): Date {
  return new Date(Math.floor(now / HOUR_MS) * HOUR_MS);
}

/**
 * The time a key's or a signature's validity is checked at: a few minutes ahead of this host's clock, so a
 * key or signature another host dated to an hour that has just begun there is accepted here too.
 */
export function validAt(now = Date.now()): Date {
  return new Date(now + CLOCK_TOLERANCE_MS);
}

export async function generateV4KeyPair(userID: { name: string; email?: string }): Promise<PrivateKey> {
  const date = packetDate();
  try {
    // Written with node:crypto (curve25519-key-pairs.ts), read back by openpgp like any stored key.
    const key = await readPrivateKey({ binaryKey: curve25519KeyPair(userID, date), config: PGP_CONFIG });
    // openpgp takes the signatures it makes itself as verified; these it has only read, so it checks them
    // here, where the key is made (between requests, for the pools), rather than on a report's path the
    // first time the key is used: the self-certification and the subkey's binding, each remembered on its
    // packet (which the key's public half shares).
    await key.verifyPrimaryKey(validAt(), undefined, FULL_PGP_CONFIG);
    await key.getEncryptionKey(undefined, validAt(), undefined, FULL_PGP_CONFIG);
    return key;
  } catch {
    // What node:crypto could not make, openpgp makes: the same key, at several times the cost.
    warnFallbackOnce('key pairs');
  }
  const { privateKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userID],
    date,
    format: 'object',
    config: PGP_CONFIG,
  });
  return privateKey;
}

const fallbacksWarned = new Set<string>();

/**
 * Says once per process, as a Node warning (NOLAN_CRYPTO_FALLBACK, on standard error), that a step written
 * with node:crypto failed and openpgp did it instead: nothing is lost or weakened (openpgp decides), but
 * every such step then costs several times as much (docs/performance.md "Key pairs with node:crypto").
 */
export function warnFallbackOnce(what: string): void {
  if (fallbacksWarned.has(what)) return;
  fallbacksWarned.add(what);
  process.emitWarning(`libs/crypto: ${what} made with node:crypto failed; openpgp makes them instead`, {
    code: 'NOLAN_CRYPTO_FALLBACK',
  });
}

export function toBytes(content: Uint8Array | string): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

export async function literalMessage(
  content: Uint8Array | string,
  filename?: string,
): Promise<Message<Uint8Array>> {
  return createMessage({ binary: toBytes(content), filename, format: 'binary', date: packetDate() });
}

// Packet tags that can open an encrypted or signed OpenPGP message (RFC 9580 §5): PKESK, signature, SKESK,
// one-pass signature, compressed data, marker, literal data, SEIPD.
const MESSAGE_PACKET_TAGS = new Set([1, 2, 3, 4, 8, 10, 11, 18]);

function firstPacketTag(bytes: Uint8Array): number | undefined {
  const header = bytes[0];
  if (header === undefined || (header & 0x80) === 0) return undefined;
  return (header & 0x40) !== 0 ? header & 0x3f : (header & 0x3c) >> 2;
}

/**
 * Parses a binary message. If the bytes start like an OpenPGP message but do not parse (truncated or
 * altered) that is TAMPERED; anything else (empty, not OpenPGP, a key instead of a message) is
 * INVALID_MESSAGE.
 */
export async function readBinaryMessage(bytes: Uint8Array): Promise<Message<Uint8Array>> {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('INVALID_MESSAGE');
  try {
    return await readMessage({ binaryMessage: bytes, config: PGP_CONFIG });
  } catch {
    const tag = firstPacketTag(bytes);
    throw new CryptoError(tag !== undefined && MESSAGE_PACKET_TAGS.has(tag) ? 'TAMPERED' : 'INVALID_MESSAGE');
  }
}

/** The armored counterpart: an armored message that does not parse is TAMPERED, anything else INVALID_MESSAGE. */
export async function readArmoredMessage(armored: string): Promise<Message<string>> {
  if (typeof armored !== 'string') throw new CryptoError('INVALID_MESSAGE');
  try {
    return await readMessage({ armoredMessage: armored, config: PGP_CONFIG });
  } catch {
    throw new CryptoError(
      armored.trimStart().startsWith('-----BEGIN PGP MESSAGE-----') ? 'TAMPERED' : 'INVALID_MESSAGE',
    );
  }
}
