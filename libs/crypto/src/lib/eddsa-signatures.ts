// Why this exists: openpgp makes an EdDSA signature through WebCrypto (a JWK import of the private key and
// a sign job on Node's thread pool, awaited), about 0.4 ms of a core where node:crypto's Ed25519 takes
// about 0.04 ms. A report's key pairs each carry two self-signatures and its items and its author's key
// pin one signature each, so the v4 signature packets this library makes are written here, byte for byte
// as openpgp's SignaturePacket.sign writes them (EdDSA on the legacy OID over SHA-512, openpgp's salt
// notation), with the packet encodings of openpgp-packets.ts. openpgp still reads and verifies every
// signature.
// Implements docs/architecture.md "OpenPGP profile" (its cost: docs/performance.md "Key pairs with
// node:crypto").
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { enums } from 'openpgp';
import type { Config, PrivateKey } from 'openpgp';
import { mpi, packet, subpacket, u16, u32 } from './openpgp-packets';

// openpgp salts every v4 signature with a notation of random bytes (as long as the hash's salt: 32 for
// SHA-512), so two signatures of the same data differ.
const SALT_NOTATION_NAME = Buffer.from('salt@notations.openpgpjs.org', 'utf8');
const SALT_BYTES = 32;

/** The signature subpacket types this library writes (RFC 4880 §5.2.3.1). */
export const SUBPACKET = {
  CreationTime: 2,
  PreferredSymmetric: 11,
  IssuerKeyId: 16,
  Notation: 20,
  PreferredHash: 21,
  PreferredCompression: 22,
  PrimaryUserId: 25,
  KeyFlags: 27,
  Features: 30,
  IssuerFingerprint: 33,
} as const;
export const CRITICAL = 0x80;

export interface SigningKey {
  privateKey: KeyObject;
  fingerprint: Buffer;
}

/**
 * A v4 signature by `signer` (EdDSA on the legacy OID over SHA-512) of `signedData` with the hashed
 * subpackets `hashed` and no unhashed ones, as openpgp's SignaturePacket.sign writes it.
 */
export function signature(type: number, signer: SigningKey, hashed: Buffer[], signedData: Buffer): Buffer {
  const hashedArea = Buffer.concat(hashed);
  const signedPart = Buffer.concat([
    Buffer.from([4, type, enums.publicKey.eddsaLegacy, enums.hash.sha512]),
    u16(hashedArea.length),
    hashedArea,
  ]);
  const digest = createHash('sha512')
    .update(signedData)
    .update(signedPart)
    .update(Buffer.from([4, 0xff]))
    .update(u32(signedPart.length))
    .digest();
  // Legacy EdDSA signs the digest; R and S are written as two MPIs.
  const rs = sign(null, digest, signer.privateKey);
  return Buffer.concat([
    signedPart,
    u16(0),
    digest.subarray(0, 2),
    mpi(rs.subarray(0, 32)),
    mpi(rs.subarray(32, 64)),
  ]);
}

export function saltNotation(): Buffer {
  return subpacket(
    SUBPACKET.Notation,
    Buffer.concat([
      Buffer.from([0, 0, 0, 0]),
      u16(SALT_NOTATION_NAME.length),
      u16(SALT_BYTES),
      SALT_NOTATION_NAME,
      randomBytes(SALT_BYTES),
    ]),
  );
}

/** The fields of openpgp's EdDSA key packet this reads (present at run time, not in its public types). */
interface EddsaKeyPacket {
  algorithm: number;
  version: number;
  publicParams: { oid?: { getName?(): string }; Q?: Uint8Array };
  privateParams?: { seed?: Uint8Array } | null;
  getFingerprintBytes(): Uint8Array;
  isDecrypted(): boolean | null;
}

const importedSigning = new WeakMap<EddsaKeyPacket, KeyObject>();

/**
 * The key `key` signs with at `date` (chosen and checked by openpgp with `config`, as its sign does), as
 * node:crypto's
 * Ed25519 key and its fingerprint; null where it is not an unlocked v4 EdDSA key on the legacy OID.
 */
export async function eddsaSigningKey(
  key: PrivateKey,
  date: Date,
  config: Config,
): Promise<SigningKey | null> {
  const chosen = await key.getSigningKey(undefined, date, undefined, config).catch(() => null);
  const packet = chosen?.keyPacket as unknown as EddsaKeyPacket | undefined;
  if (!packet || packet.algorithm !== enums.publicKey.eddsaLegacy || packet.version !== 4) return null;
  const { oid, Q } = packet.publicParams;
  const seed = packet.privateParams?.seed;
  if (oid?.getName?.() !== 'ed25519Legacy' || !Q || Q.length !== 33 || Q[0] !== 0x40) return null;
  if (!seed || seed.length > 32 || packet.isDecrypted() === false) return null;
  let privateKey = importedSigning.get(packet);
  if (!privateKey) {
    // node builds the key from the seed alone (it ignores `x`): a seed that does not belong to the public
    // point would sign what never verifies against the published key, where openpgp's own import refuses
    // it. Checked once, at import.
    const padded = new Uint8Array(32);
    padded.set(seed, 32 - seed.length);
    privateKey = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from(padded).toString('base64url'),
        x: Buffer.from(Q.subarray(1)).toString('base64url'),
      },
      format: 'jwk',
    });
    const derived = createPublicKey(privateKey).export({ format: 'jwk' }).x;
    if (derived !== Buffer.from(Q.subarray(1)).toString('base64url')) return null;
    importedSigning.set(packet, privateKey);
  }
  return { privateKey, fingerprint: Buffer.from(packet.getFingerprintBytes()) };
}

/**
 * A detached signature (a binary-document signature packet, with its header) by `signer` over
 * `document`, made at `date`: the packet openpgp's sign({ detached: true, format: 'binary' }) writes for
 * the keys Nolan makes, whose preferences put SHA-512 first (openpgp would pick another hash for a key
 * preferring one; this is still a valid signature of the same strength).
 */
export function detachedSignature(document: Uint8Array, signer: SigningKey, date: Date): Uint8Array {
  const created = u32(Math.floor(date.getTime() / 1000));
  const body = signature(
    enums.signature.binary,
    signer,
    [
      subpacket(SUBPACKET.CreationTime | CRITICAL, created),
      subpacket(SUBPACKET.IssuerKeyId, signer.fingerprint.subarray(12)),
      saltNotation(),
      subpacket(SUBPACKET.IssuerFingerprint, Buffer.concat([Buffer.from([4]), signer.fingerprint])),
    ],
    Buffer.from(document),
  );
  return new Uint8Array(packet(enums.packet.signature, body));
}
