// Why this exists: helpers shared by the specs of libs/crypto (never imported by the library itself):
// asserting that a failure is the expected CryptoError and carries nothing of openpgp, building cheap
// stand-in keys where the Argon2 cost of a real staff key would only slow the suite, and finding the
// packets of a binary OpenPGP message so a test can alter exactly the encrypted-data packet.
// Supports the specs for docs/architecture.md "Encryption model".
import { CryptoError } from '../lib/crypto-error';
import type { CryptoErrorCode } from '../lib/crypto-error';
import { UnlockedKey } from '../lib/key-handles';
import { generateScopeKeyPair } from '../lib/scope-keys';

/** Words from openpgp's own error texts that must never reach a caller. */
const OPENPGP_VOCABULARY =
  /openpgp|packet|session key|modification|mdc|parsing|s2k|argon|aead|unsupported|authenticate/i;

/** Awaits a promise that must reject with CryptoError `code`, and proves the error leaks nothing. */
export async function expectCryptoError(
  promise: Promise<unknown>,
  code: CryptoErrorCode,
): Promise<CryptoError> {
  let outcome: { value: unknown } | undefined;
  let caught: unknown;
  try {
    outcome = { value: await promise };
  } catch (error) {
    caught = error;
  }
  if (outcome) throw new Error(`expected a ${code} CryptoError, but the operation succeeded`);
  expect(caught).toBeInstanceOf(CryptoError);
  const error = caught as CryptoError;
  expect(error.code).toBe(code);
  expect(error.message).toBe(new CryptoError(code).message);
  expect(error.message).not.toMatch(OPENPGP_VOCABULARY);
  expect(error.cause).toBeUndefined();
  return error;
}

/**
 * A v4 Curve25519 key standing in for a handler's unlocked staff key. Same key shape as a staff key, but
 * made without the Argon2 protection that only the staff-key specs need to pay for.
 */
export async function cheapUnlockedKey(): Promise<UnlockedKey> {
  return UnlockedKey.fromSerialized((await generateScopeKeyPair('internal')).privateKey);
}

export interface PacketSpan {
  tag: number;
  /** Offset of the first header byte. */
  start: number;
  /** Offset of the first body byte. */
  bodyStart: number;
  /** Offset just past the body. */
  end: number;
}

/** Lists the top-level packets of a binary message written with new-format, fixed-length headers. */
export function packetSpans(bytes: Uint8Array): PacketSpan[] {
  const spans: PacketSpan[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const header = bytes[offset] ?? 0;
    if ((header & 0xc0) !== 0xc0) throw new Error(`not a new-format packet header at ${offset}`);
    const first = bytes[offset + 1] ?? 0;
    let length: number;
    let headerLength: number;
    if (first < 192) {
      length = first;
      headerLength = 2;
    } else if (first < 224) {
      length = ((first - 192) << 8) + (bytes[offset + 2] ?? 0) + 192;
      headerLength = 3;
    } else if (first === 255) {
      length = new DataView(bytes.buffer, bytes.byteOffset + offset + 2, 4).getUint32(0);
      headerLength = 6;
    } else {
      throw new Error('partial-length packets are not expected here');
    }
    const bodyStart = offset + headerLength;
    spans.push({ tag: header & 0x3f, start: offset, bodyStart, end: bodyStart + length });
    offset = bodyStart + length;
  }
  return spans;
}

/** The encrypted-data (SEIPD, tag 18) packet of a message. */
export function encryptedDataPacket(bytes: Uint8Array): PacketSpan {
  const span = packetSpans(bytes).find((packet) => packet.tag === 18);
  if (!span) throw new Error('no encrypted-data packet');
  return span;
}

/** A copy of `bytes` with one bit flipped at `offset`. */
export function flipByte(bytes: Uint8Array, offset: number): Uint8Array {
  const copy = bytes.slice();
  copy[offset] = (copy[offset] ?? 0) ^ 0x01;
  return copy;
}
