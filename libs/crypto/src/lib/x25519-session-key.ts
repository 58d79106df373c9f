// Why this exists: opening a case decrypts every item (a report and 20 messages: 21 public-key
// decryptions), and openpgp's X25519 step goes through WebCrypto, which imports the recipient's private
// key afresh for every message (a JWK parsed into a new key object), derives the shared secret and
// unwraps the session key as three jobs on Node's thread pool, each awaited: about 2.4 ms of a core per
// item on the shared machine, most of a case open's decryption (docs/performance.md "Opening a case").
// Here the same RFC 6637 steps (X25519, the KDF, AES key unwrap) are done with node:crypto, synchronously,
// with the private key imported once per parsed key, and only the session key is found this way: openpgp
// still decrypts the message with it and checks its integrity (SEIPDv1's MDC), so a wrong session key
// yields nothing. Anything unusual (another algorithm, a key or packet not of the shape Nolan makes, any
// error) answers null, and the caller takes openpgp's own path, which decides every failure as before.
// Nothing is remembered but the imported private key, and only as long as the parsed key it came from.
// Implements docs/architecture.md "Encryption model" (its cost: docs/performance.md "Opening a case").
import { createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { enums } from 'openpgp';
import type { Message, PrivateKey } from 'openpgp';

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
        if (packet.algorithm !== enums.publicKey.ecdh || packet.version !== 4) continue;
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
  const { oid, Q, kdfParams } = packet.publicParams;
  const d = packet.privateParams?.d;
  const V = pkesk.encrypted.V;
  const C = pkesk.encrypted.C?.data;
  if (!oid || !Q || !kdfParams || !d || !V || !C || packet.isDecrypted() === false) return null;
  if (oid.getName?.() !== 'curve25519Legacy') return null;
  // Points are 0x40 and 32 bytes; the secret 32 bytes (openpgp pads a shorter one with leading zeros).
  if (Q.length !== 33 || Q[0] !== 0x40 || V.length !== 33 || V[0] !== 0x40 || d.length > 32) return null;
  const hash = HASHES[kdfParams.hash];
  const wrap = WRAPS[kdfParams.cipher];
  if (!hash || !wrap) return null;
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
  const param = Buffer.concat([
    oid.write(),
    Buffer.from([enums.publicKey.ecdh]),
    kdfParams.write(),
    ANONYMOUS_SENDER,
    packet.getFingerprintBytes(),
  ]);
  const kek = createHash(hash)
    .update(Buffer.from([0, 0, 0, 1]))
    .update(shared)
    .update(param)
    .digest()
    .subarray(0, wrap.keySize);
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
  let sum = 0;
  for (const byte of sessionKey) sum = (sum + byte) % 65536;
  if (decoded[decoded.length - 2] !== sum >> 8 || decoded[decoded.length - 1] !== (sum & 0xff)) return null;
  return { data: new Uint8Array(sessionKey), algorithm: enums.read(enums.symmetric, algorithm) as string };
}
