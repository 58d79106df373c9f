// Case scope keys and the content encrypted to them (docs/architecture.md "Case scope keys and grants"):
// round trips, what the ciphertext is made of, and that anything altered or not ours is refused without
// ever yielding plaintext.
import fc from 'fast-check';
import { readKey, readMessage } from 'openpgp';
import {
  encryptedDataPacket,
  expectCryptoError,
  flipByte,
  packetSpans,
} from '../testing/crypto-test-support';
import { PublicKeyHandle, UnlockedKey } from './key-handles';
import { createReporterKey } from './reporter-keys';
import { SCOPES, decryptWithScope, encryptToScope, generateScopeKeyPair, isScope } from './scope-keys';
import type { ScopeKeyPair } from './scope-keys';

const report =
  'On 3 March the contract for the leisure centre was awarded to a company the cabinet member owns.';

describe('scope keys', () => {
  let scope: ScopeKeyPair;
  let other: ScopeKeyPair;

  beforeAll(async () => {
    [scope, other] = await Promise.all([generateScopeKeyPair('report'), generateScopeKeyPair('internal')]);
  });

  // Pinned on purpose: every scope needs its own grants, routing and UI; adding one must be deliberate.
  it('covers every scope exactly once', () => {
    expect(SCOPES).toEqual(['report', 'internal', 'identity']);
    expect(SCOPES.every(isScope)).toBe(true);
    expect(isScope('admin')).toBe(false);
  });

  it('generates a v4 key pair per scope with an unencrypted private half and a matching public half', async () => {
    for (const name of SCOPES) {
      const pair = await generateScopeKeyPair(name);
      expect(pair.scope).toBe(name);
      const publicKey = await readKey({ binaryKey: pair.publicKey });
      expect(publicKey.isPrivate()).toBe(false);
      expect(publicKey.keyPacket.version).toBe(4);
      expect(publicKey.getFingerprint()).toBe(pair.fingerprint);
      expect((await UnlockedKey.fromSerialized(pair.privateKey)).fingerprint).toBe(pair.fingerprint);
    }
  });

  it('refuses an unknown scope', async () => {
    await expect(generateScopeKeyPair('admin' as never)).rejects.toThrow(TypeError);
  });

  it('round-trips text as its UTF-8 bytes', async () => {
    const ciphertext = await encryptToScope(report, scope.publicKey);
    expect(new TextDecoder().decode(await decryptWithScope(ciphertext, scope.privateKey))).toBe(report);
  });

  it('round-trips any bytes with a parsed public key and a parsed private key', async () => {
    const publicKey = await PublicKeyHandle.parse(scope.publicKey);
    const privateKey = await UnlockedKey.fromSerialized(scope.privateKey);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (content) => {
        expect(await decryptWithScope(await encryptToScope(content, publicKey), privateKey)).toEqual(content);
      }),
      { numRuns: 20 },
    );
  });

  it('writes one public-key session packet and one SEIPDv1 packet with no compression and no plaintext', async () => {
    const ciphertext = await encryptToScope(report, scope.publicKey);
    expect(packetSpans(ciphertext).map((packet) => packet.tag)).toEqual([1, 18]);
    const message = await readMessage({ binaryMessage: ciphertext });
    const seipd = message.packets[1] as unknown as { version: number };
    expect(seipd.version).toBe(1);
    expect(Buffer.from(ciphertext).includes(Buffer.from('leisure centre'))).toBe(false);
  });

  it('refuses content encrypted to another scope with NOT_A_RECIPIENT', async () => {
    const ciphertext = await encryptToScope(report, scope.publicKey);
    await expectCryptoError(decryptWithScope(ciphertext, other.privateKey), 'NOT_A_RECIPIENT');
  });

  it('detects a flipped byte anywhere in the encrypted data packet and returns no plaintext', async () => {
    const ciphertext = await encryptToScope(report, scope.publicKey);
    const { bodyStart, end } = encryptedDataPacket(ciphertext);
    const offsets = [
      bodyStart,
      bodyStart + 1,
      bodyStart + 10,
      Math.floor((bodyStart + end) / 2),
      end - 22,
      end - 1,
    ];
    for (const offset of offsets) {
      await expectCryptoError(decryptWithScope(flipByte(ciphertext, offset), scope.privateKey), 'TAMPERED');
    }
  });

  it('detects a flipped byte in the encrypted session key', async () => {
    const ciphertext = await encryptToScope(report, scope.publicKey);
    const [sessionKeyPacket] = packetSpans(ciphertext);
    const offset = (sessionKeyPacket?.end ?? 0) - 5;
    await expectCryptoError(decryptWithScope(flipByte(ciphertext, offset), scope.privateKey), 'TAMPERED');
  });

  it('detects truncation and returns no plaintext', async () => {
    const ciphertext = await encryptToScope(report, scope.publicKey);
    const { bodyStart } = encryptedDataPacket(ciphertext);
    for (const length of [ciphertext.length - 1, ciphertext.length - 22, bodyStart + 30, bodyStart, 20]) {
      await expectCryptoError(decryptWithScope(ciphertext.slice(0, length), scope.privateKey), 'TAMPERED');
    }
  });

  it('refuses data that is not a public-key encrypted message with INVALID_MESSAGE', async () => {
    await expectCryptoError(decryptWithScope(new Uint8Array(), scope.privateKey), 'INVALID_MESSAGE');
    await expectCryptoError(
      decryptWithScope(new TextEncoder().encode(report), scope.privateKey),
      'INVALID_MESSAGE',
    );
    await expectCryptoError(decryptWithScope(scope.publicKey, scope.privateKey), 'INVALID_MESSAGE');
    // A receipt-locked reporter key has no session-key packet for anyone.
    const { lockedPrivateKey } = await createReporterKey('apple banana cherry damson elder fig grape');
    await expectCryptoError(decryptWithScope(lockedPrivateKey, scope.privateKey), 'INVALID_MESSAGE');
  });

  it('refuses keys that are not keys with INVALID_KEY', async () => {
    const ciphertext = await encryptToScope(report, scope.publicKey);
    await expectCryptoError(decryptWithScope(ciphertext, scope.publicKey), 'INVALID_KEY');
    await expectCryptoError(decryptWithScope(ciphertext, new Uint8Array([1, 2, 3])), 'INVALID_KEY');
    await expectCryptoError(encryptToScope(report, new Uint8Array([1, 2, 3])), 'INVALID_KEY');
  });
});
