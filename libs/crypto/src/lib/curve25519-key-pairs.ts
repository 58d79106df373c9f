// Why this exists: every report needs four fresh key pairs (its three scopes and the reporter's), and
// openpgp makes a v4 Curve25519 key through WebCrypto: two key generations, four JWK exports, two imports
// and two signatures, each a job on Node's thread pool awaited in turn, about 1.6–2.3 ms of a core a key
// on the machines measured, most of it in the plumbing around operations that cost node:crypto about
// 0.04 ms each (docs/performance.md "Key pairs with node:crypto"). Here the same key is written with
// node:crypto: an Ed25519 primary key (EdDSA on the legacy OID, certify and sign), its user ID and
// positive self-certification, an X25519 subkey (ECDH on the legacy OID, KDF SHA-256 and AES-128) and its
// binding signature, packet for packet what openpgp's generateKey writes with PGP_CONFIG, down to the
// order of the signature subpackets and the random salt notation openpgp adds to every v4 signature.
// curve25519-key-pairs.spec.ts compares each field with a key openpgp makes in the same test, so the two
// cannot drift apart silently when openpgp changes, and checks that openpgp and GnuPG read and verify it.
// Implements docs/architecture.md "OpenPGP profile" (v4 Curve25519 keys, readable by GnuPG 2.2).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { UserIDPacket, enums } from 'openpgp';
import { CRITICAL, SUBPACKET, type SigningKey, saltNotation, signature } from './eddsa-signatures';
import { checksum, mpi, packet, subpacket, u16, u32 } from './openpgp-packets';

// Object identifiers with their one-byte length, as a key packet holds them (RFC 4880bis §9.2).
const ED25519_LEGACY_OID = Buffer.from('092b06010401da470f01', 'hex');
const CURVE25519_LEGACY_OID = Buffer.from('0a2b060104019755010501', 'hex');
// The ECDH subkey's KDF parameters: length 3, reserved 1, SHA-256, AES-128 (openpgp's for this curve).
const KDF_PARAMETERS = Buffer.from([3, 1, enums.hash.sha256, enums.symmetric.aes128]);
// The preferences openpgp writes into a primary key's self-certification with PGP_CONFIG.
const PREFERRED_SYMMETRIC = [enums.symmetric.aes256, enums.symmetric.aes128];
const PREFERRED_HASH = [enums.hash.sha512, enums.hash.sha256, enums.hash.sha3_512, enums.hash.sha3_256];
const PREFERRED_COMPRESSION = [enums.compression.uncompressed, enums.compression.zlib, enums.compression.zip];
const CERTIFY_AND_SIGN = 0x03;
const ENCRYPT_COMMUNICATIONS_AND_STORAGE = 0x0c;
const MODIFICATION_DETECTION = 0x01;

/** How a public key is hashed for its fingerprint and for the signatures over it (RFC 4880 §5.2.4). */
function keyForHashing(publicBody: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x99]), u16(publicBody.length), publicBody]);
}

/** A v4 public-key packet's body: version, creation time, algorithm, curve, the point, then `rest`. */
function publicBody(
  created: Buffer,
  algorithm: number,
  oid: Buffer,
  point: string | undefined,
  rest?: Buffer,
): Buffer {
  const q = Buffer.concat([Buffer.from([0x40]), Buffer.from(point ?? '', 'base64url')]);
  return Buffer.concat([
    Buffer.from([4]),
    created,
    Buffer.from([algorithm]),
    oid,
    mpi(q),
    rest ?? Buffer.alloc(0),
  ]);
}

/** A secret-key packet's body: the public body, unprotected (S2K usage 0), the secret MPI, its checksum. */
function secretBody(publicPart: Buffer, secret: Buffer): Buffer {
  return Buffer.concat([publicPart, Buffer.from([0]), secret, checksum(secret)]);
}

/**
 * A new v4 Curve25519 private key (binary, unencrypted: secret-key packet, user ID, self-certification,
 * secret-subkey packet, binding signature) for `userID`, created at `date` (whole seconds).
 */
export function curve25519KeyPair(userID: { name: string; email?: string }, date: Date): Uint8Array {
  // openpgp's own formatting and checks of a user ID ("name <email>").
  const userIdBytes = Buffer.from(UserIDPacket.fromObject(userID).write());
  const created = u32(Math.floor(date.getTime() / 1000));

  const primary = generateKeyPairSync('ed25519');
  const primaryJwk = primary.privateKey.export({ format: 'jwk' });
  const primaryPublic = publicBody(created, enums.publicKey.eddsaLegacy, ED25519_LEGACY_OID, primaryJwk.x);
  const primarySecret = mpi(Buffer.from(primaryJwk.d ?? '', 'base64url'));
  const signer: SigningKey = {
    privateKey: primary.privateKey,
    fingerprint: createHash('sha1').update(keyForHashing(primaryPublic)).digest(),
  };

  const sub = generateKeyPairSync('x25519');
  const subJwk = sub.privateKey.export({ format: 'jwk' });
  const subPublic = publicBody(
    created,
    enums.publicKey.ecdh,
    CURVE25519_LEGACY_OID,
    subJwk.x,
    KDF_PARAMETERS,
  );
  // The X25519 scalar, clamped as RFC 7748 uses it, stored big-endian as the legacy format has it.
  const scalar = Buffer.from(subJwk.d ?? '', 'base64url');
  if (scalar.length !== 32) throw new Error('unexpected key material');
  scalar[0] = (scalar[0] ?? 0) & 248;
  scalar[31] = ((scalar[31] ?? 0) & 127) | 64;
  const subSecret = mpi(scalar.reverse());

  const issuerFingerprint = subpacket(
    SUBPACKET.IssuerFingerprint,
    Buffer.concat([Buffer.from([4]), signer.fingerprint]),
  );
  const creationTime = subpacket(SUBPACKET.CreationTime | CRITICAL, created);
  const issuerKeyId = subpacket(SUBPACKET.IssuerKeyId, signer.fingerprint.subarray(12));
  const certification = signature(
    enums.signature.certPositive,
    signer,
    [
      creationTime,
      subpacket(SUBPACKET.PreferredSymmetric, Buffer.from(PREFERRED_SYMMETRIC)),
      issuerKeyId,
      saltNotation(),
      subpacket(SUBPACKET.PreferredHash, Buffer.from(PREFERRED_HASH)),
      subpacket(SUBPACKET.PreferredCompression, Buffer.from(PREFERRED_COMPRESSION)),
      subpacket(SUBPACKET.PrimaryUserId, Buffer.from([1])),
      subpacket(SUBPACKET.KeyFlags | CRITICAL, Buffer.from([CERTIFY_AND_SIGN])),
      subpacket(SUBPACKET.Features, Buffer.from([MODIFICATION_DETECTION])),
      issuerFingerprint,
    ],
    Buffer.concat([keyForHashing(primaryPublic), Buffer.from([0xb4]), u32(userIdBytes.length), userIdBytes]),
  );
  const binding = signature(
    enums.signature.subkeyBinding,
    signer,
    [
      creationTime,
      issuerKeyId,
      saltNotation(),
      subpacket(SUBPACKET.KeyFlags | CRITICAL, Buffer.from([ENCRYPT_COMMUNICATIONS_AND_STORAGE])),
      issuerFingerprint,
    ],
    Buffer.concat([keyForHashing(primaryPublic), keyForHashing(subPublic)]),
  );

  return new Uint8Array(
    Buffer.concat([
      packet(enums.packet.secretKey, secretBody(primaryPublic, primarySecret)),
      packet(enums.packet.userID, userIdBytes),
      packet(enums.packet.signature, certification),
      packet(enums.packet.secretSubkey, secretBody(subPublic, subSecret)),
      packet(enums.packet.signature, binding),
    ]),
  );
}
