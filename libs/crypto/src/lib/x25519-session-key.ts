// Why this exists: every public-key operation of this library on Curve25519 keys goes through openpgp's
// WebCrypto X25519 steps, which import the key afresh for every message (a JWK parsed into a new key
// object), make an ephemeral key pair, export it twice, derive the shared secret and (un)wrap the session
// key as separate jobs on Node's thread pool, each awaited. Measured on one core: making one recipient's
// session-key packet with openpgp costs about 1.2 ms of CPU, the same steps with node:crypto 0.1–0.15 ms;
// a report makes fifteen such packets (its thirteen grants and its items) and opening a case reads 21
// (docs/performance.md "Opening a case", "Session-key packets with node:crypto").
// Here the same RFC 6637 steps (X25519, the KDF, AES key wrap and unwrap) are done with node:crypto,
// synchronously, each key imported once per parsed key. Both directions handle only the session key:
// decryption finds it, and openpgp still decrypts the message with it and checks its integrity (SEIPDv1's
// MDC), so a wrong session key yields nothing; encryption writes the one packet that carries it to one
// recipient, and openpgp writes the encrypted data. Anything unusual (another algorithm, a key or packet
// not of the shape Nolan makes, any error) answers null, and the caller takes openpgp's own path, which
// decides every case as before. Nothing is remembered but imported keys, and only as long as the parsed
// key they came from.
// Implements docs/architecture.md "Encryption model" (its cost: docs/performance.md "Opening a case").
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { enums } from 'openpgp';
import type { Message, PrivateKey, PublicKey } from 'openpgp';
import { FULL_PGP_CONFIG, validAt, warnFallbackOnce } from './openpgp-settings';
import { checksum, mpi, packet as writePacket } from './openpgp-packets';

/** The fields of openpgp's packets this reads (present at run time, not in its public types). */
interface EcdhKeyPacket {
  algorithm: number;
  version: number;
  publicParams: {
    oid?: { write(): Uint8Array; getName?(): string };
    Q?: Uint8Array;
    kdfParams?: { hash: number; cipher: number; write(): Uint8Array };
  };
  privateParams?: { d?: Uint8Array } | null;
  getFingerprintBytes(): Uint8Array;
  getKeyID(): { write(): Uint8Array };
  isDecrypted(): boolean | null;
}
interface Pkesk {
  version: number;
  publicKeyAlgorithm: number;
  publicKeyID: { equals(other: unknown, matchWildcard?: boolean): boolean };
  encrypted: { V?: Uint8Array; C?: { data?: Uint8Array } };
}

const HASHES: Record<number, string> = {
  [enums.hash.sha256]: 'sha256',
  [enums.hash.sha384]: 'sha384',
  [enums.hash.sha512]: 'sha512',
};
const WRAPS: Record<number, { cipher: string; keySize: number }> = {
  [enums.symmetric.aes128]: { cipher: 'id-aes128-wrap', keySize: 16 },
  [enums.symmetric.aes192]: { cipher: 'id-aes192-wrap', keySize: 24 },
  [enums.symmetric.aes256]: { cipher: 'id-aes256-wrap', keySize: 32 },
};
const SESSION_KEY_SIZES: Record<number, number> = {
  [enums.symmetric.aes128]: 16,
  [enums.symmetric.aes192]: 24,
  [enums.symmetric.aes256]: 32,
};
const RFC3394_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const ANONYMOUS_SENDER = Buffer.from('Anonymous Sender    ', 'latin1');

const imported = new WeakMap<EcdhKeyPacket, KeyObject>();
const importedPublic = new WeakMap<EcdhKeyPacket, KeyObject>();

/** RFC 6637 §7: the key-encryption key, from the shared secret and the recipient's key parameters. */
function keyEncryptionKey(packet: EcdhKeyPacket, hash: string, keySize: number, shared: Buffer): Buffer {
  const { oid, kdfParams } = packet.publicParams;
  if (!oid || !kdfParams) throw new Error('not an ECDH key');
  const param = Buffer.concat([
    oid.write(),
    Buffer.from([enums.publicKey.ecdh]),
    kdfParams.write(),
    ANONYMOUS_SENDER,
    packet.getFingerprintBytes(),
  ]);
  return createHash(hash)
    .update(Buffer.from([0, 0, 0, 1]))
    .update(shared)
    .update(param)
    .digest()
    .subarray(0, keySize);
}

function privateKeyObject(packet: EcdhKeyPacket, d: Uint8Array, q: Uint8Array): KeyObject {
  let key = imported.get(packet);
  if (!key) {
    // The legacy Curve25519 secret is stored big-endian; X25519 takes it little-endian.
    const scalar = Buffer.from(d).reverse();
    key = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'X25519',
        d: scalar.toString('base64url'),
        x: Buffer.from(q).toString('base64url'),
      },
      format: 'jwk',
    });
    imported.set(packet, key);
  }
  return key;
}

/**
 * The session key of `message` for `key` (its algorithm's name and bytes), found with node:crypto, or
 * null wherever that is not certain to be the answer openpgp's own path would reach (which then runs).
 */
export function x25519SessionKey(
  message: Message<Uint8Array> | Message<string>,
  key: PrivateKey,
): { data: Uint8Array; algorithm: string } | null {
  try {
    const packets = message.packets.filterByTag(
      enums.packet.publicKeyEncryptedSessionKey,
    ) as unknown as Pkesk[];
    for (const pkesk of packets) {
      if (pkesk.version !== 3 || pkesk.publicKeyAlgorithm !== enums.publicKey.ecdh) continue;
      for (const candidate of key.getKeys()) {
        const packet = candidate.keyPacket as unknown as EcdhKeyPacket;
        if (!pkesk.publicKeyID.equals(candidate.getKeyID())) continue;
        const found = unwrapFor(pkesk, packet);
        if (found) return found;
      }
    }
  } catch {
    // Not a shape this path knows: openpgp's own path decides.
  }
  return null;
}

function unwrapFor(pkesk: Pkesk, packet: EcdhKeyPacket): { data: Uint8Array; algorithm: string } | null {
  const params = curve25519Params(packet);
  const d = packet.privateParams?.d;
  const V = pkesk.encrypted.V;
  const C = pkesk.encrypted.C?.data;
  if (!params || !d || !V || !C || packet.isDecrypted() === false) return null;
  const { Q, hash, wrap } = params;
  // Points are 0x40 and 32 bytes; the secret 32 bytes (openpgp pads a shorter one with leading zeros).
  if (V.length !== 33 || V[0] !== 0x40 || d.length > 32) return null;
  const secret = new Uint8Array(32);
  secret.set(d, 32 - d.length);
  const shared = diffieHellman({
    privateKey: privateKeyObject(packet, secret, Q.subarray(1)),
    // As a JWK: node builds it from the raw bytes, where DER goes through OpenSSL's decoders (ten times
    // the cost).
    publicKey: createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(V.subarray(1)).toString('base64url') },
      format: 'jwk',
    }),
  });
  if (shared.every((byte) => byte === 0)) return null;
  const kek = keyEncryptionKey(packet, hash, wrap.keySize, shared);
  const decipher = createDecipheriv(wrap.cipher, kek, RFC3394_IV);
  const padded = Buffer.concat([decipher.update(C), decipher.final()]);
  // PKCS#5 padding, then the cipher's id, the session key and a two-byte checksum of the key.
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > padded.length || !padded.subarray(padded.length - pad).every((b) => b === pad))
    return null;
  const decoded = padded.subarray(0, padded.length - pad);
  const algorithm = decoded[0] ?? -1;
  const sessionKey = decoded.subarray(1, decoded.length - 2);
  if (SESSION_KEY_SIZES[algorithm] !== sessionKey.length) return null;
  if (!checksum(sessionKey).equals(decoded.subarray(decoded.length - 2))) return null;
  return { data: new Uint8Array(sessionKey), algorithm: enums.read(enums.symmetric, algorithm) as string };
}

/** A v4 ECDH key on the legacy Curve25519 OID, with a KDF this file knows: its point, hash and wrap. */
function curve25519Params(
  packet: EcdhKeyPacket,
): { Q: Uint8Array; hash: string; wrap: { cipher: string; keySize: number } } | null {
  const { oid, Q, kdfParams } = packet.publicParams;
  if (packet.algorithm !== enums.publicKey.ecdh || packet.version !== 4) return null;
  if (!oid || !Q || !kdfParams || oid.getName?.() !== 'curve25519Legacy') return null;
  if (Q.length !== 33 || Q[0] !== 0x40) return null;
  const hash = HASHES[kdfParams.hash];
  const wrap = WRAPS[kdfParams.cipher];
  return hash && wrap ? { Q, hash, wrap } : null;
}

/**
 * The public-key encrypted session key packet (a v3 PKESK, tag 1, with its header) that gives
 * `sessionKey` to `recipient`, made with node:crypto: byte for byte the packet openpgp's
 * encryptSessionKey writes for the same key, but for the random ephemeral key. The recipient's encryption
 * key is chosen and its validity checked by openpgp, as encryptSessionKey does (at validAt()). Null where
 * the key or the session key is not of the shape Nolan makes, for the caller to take openpgp's path.
 */
export async function x25519KeyPacket(
  recipient: PublicKey,
  sessionKey: { data: Uint8Array; algorithm: string },
  date: Date = validAt(),
): Promise<Uint8Array | null> {
  const algorithm = (enums.symmetric as unknown as Record<string, number>)[sessionKey.algorithm] ?? -1;
  if (SESSION_KEY_SIZES[algorithm] !== sessionKey.data.length) return null;
  // A key with no valid encryption key now: openpgp's path gives the error.
  const encryptionKey = await recipient
    .getEncryptionKey(undefined, date, undefined, FULL_PGP_CONFIG)
    .catch(() => null);
  const packet = encryptionKey?.keyPacket as unknown as EcdhKeyPacket | undefined;
  const params = packet ? curve25519Params(packet) : null;
  if (!packet || !params) return null;
  try {
    let recipientKey = importedPublic.get(packet);
    if (!recipientKey) {
      recipientKey = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(params.Q.subarray(1)).toString('base64url') },
        format: 'jwk',
      });
      importedPublic.set(packet, recipientKey);
    }
    // A fresh ephemeral key for every packet, as openpgp makes one.
    const ephemeral = generateKeyPairSync('x25519');
    const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipientKey });
    if (shared.every((byte) => byte === 0)) return null;
    const ephemeralPoint = Buffer.from(ephemeral.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    if (ephemeralPoint.length !== 32) return null;
    const kek = keyEncryptionKey(packet, params.hash, params.wrap.keySize, shared);
    // The cipher's id, the session key and its checksum, then PKCS#5 padding to a multiple of eight.
    const encoded = Buffer.concat([Buffer.from([algorithm]), sessionKey.data, checksum(sessionKey.data)]);
    const pad = 8 - (encoded.length % 8);
    const cipher = createCipheriv(params.wrap.cipher, kek, RFC3394_IV);
    const wrapped = Buffer.concat([
      cipher.update(Buffer.concat([encoded, Buffer.alloc(pad, pad)])),
      cipher.final(),
    ]);
    // Version 3, the key ID, ECDH, then the ephemeral point as an MPI (0x40 and 32 bytes) and the wrapped
    // key with its one-byte length.
    const body = Buffer.concat([
      Buffer.from([3]),
      packet.getKeyID().write(),
      Buffer.from([enums.publicKey.ecdh]),
      mpi(Buffer.concat([Buffer.from([0x40]), ephemeralPoint])),
      Buffer.from([wrapped.length]),
      wrapped,
    ]);
    return new Uint8Array(writePacket(enums.packet.publicKeyEncryptedSessionKey, body));
  } catch {
    // A key of the shape this file knows that node:crypto could not use: openpgp's path makes it.
    warnFallbackOnce('session-key packets');
    return null;
  }
}
