// The reporter's key under their receipt, and the receipt lookup key (docs/architecture.md
// "The reporter's receipt and pepper"). The derivations are pinned: changing either would strand every stored
// reporter.
import { createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { decrypt, readMessage } from 'openpgp';
import {
  encryptedDataPacket,
  expectCryptoError,
  flipByte,
  packetSpans,
} from '../testing/crypto-test-support';
import { createGrant, openGrant } from './grants';
import { PublicKeyHandle } from './key-handles';
import { createReporterKey, receiptLookupKey, unlockReporterKey } from './reporter-keys';
import type { ReporterKeyMaterial } from './reporter-keys';
import { generateScopeKeyPair } from './scope-keys';

const receipt = 'stoic-banjo-turret-quill-amber-lilac-pelican';
const pepper = 'nolan-test-pepper-0123456789abcdef';

describe('reporter key', () => {
  let material: ReporterKeyMaterial;

  beforeAll(async () => {
    material = await createReporterKey(receipt);
  });

  it('unlocks with the receipt into the same key pair', async () => {
    const unlocked = await unlockReporterKey(material, receipt);
    expect(unlocked.fingerprint).toBe(material.fingerprint);
    expect(unlocked.publicKey().toBinary()).toEqual(material.publicKey);
  });

  it('lets the unlocked reporter open the report scope granted to their public key', async () => {
    const scope = await generateScopeKeyPair('report');
    const grant = await createGrant(scope.privateKey, await PublicKeyHandle.parse(material.publicKey));
    expect(await openGrant(grant, await unlockReporterKey(material, receipt))).toEqual(scope.privateKey);
  });

  it('stores the private key as one bare encrypted-data packet with no session-key packets', () => {
    expect(packetSpans(material.lockedPrivateKey).map((packet) => packet.tag)).toEqual([18]);
    expect(material.salt).toHaveLength(32);
  });

  it('derives the session key as HKDF-SHA256(receipt, salt, "nolan/reporter-key/v1")', async () => {
    const key = new Uint8Array(hkdfSync('sha256', receipt, material.salt, 'nolan/reporter-key/v1', 32));
    const { data } = await decrypt({
      message: await readMessage({ binaryMessage: material.lockedPrivateKey }),
      sessionKeys: { data: key, algorithm: 'aes256' },
      format: 'binary',
    });
    expect(data[0]).toBe(0xc5);
  });

  it('gives two reporters with the same receipt different salts and different keys', async () => {
    const second = await createReporterKey(receipt);
    expect(second.salt).not.toEqual(material.salt);
    expect(second.fingerprint).not.toBe(material.fingerprint);
  });

  it('refuses a wrong receipt with one generic WRONG_RECEIPT and no openpgp text', async () => {
    const nearMisses = [
      'stoic-banjo-turret-quill-amber-lilac-pelicans',
      'stoic-banjo-turret-quill-amber-lilac',
      'STOIC-BANJO-TURRET-QUILL-AMBER-LILAC-PELICAN',
      'stoic banjo turret quill amber lilac pelican',
      '',
    ];
    for (const wrong of nearMisses)
      await expectCryptoError(unlockReporterKey(material, wrong), 'WRONG_RECEIPT');
  });

  it('answers WRONG_RECEIPT for another salt, another reporter, or an altered or truncated blob', async () => {
    const other = await createReporterKey(receipt);
    const { bodyStart, end } = encryptedDataPacket(material.lockedPrivateKey);
    const cases: Array<{ lockedPrivateKey: Uint8Array; salt: Uint8Array }> = [
      { lockedPrivateKey: material.lockedPrivateKey, salt: other.salt },
      { lockedPrivateKey: material.lockedPrivateKey, salt: new Uint8Array(7) },
      { lockedPrivateKey: flipByte(material.lockedPrivateKey, bodyStart + 30), salt: material.salt },
      { lockedPrivateKey: flipByte(material.lockedPrivateKey, end - 1), salt: material.salt },
      { lockedPrivateKey: material.lockedPrivateKey.slice(0, end - 10), salt: material.salt },
      { lockedPrivateKey: new Uint8Array(), salt: material.salt },
    ];
    for (const locked of cases) await expectCryptoError(unlockReporterKey(locked, receipt), 'WRONG_RECEIPT');
  });

  it('requires a receipt to lock a key under', async () => {
    await expect(createReporterKey('')).rejects.toThrow(TypeError);
  });
});

describe('receipt lookup key', () => {
  it('is HMAC-SHA256 of the receipt under the pepper, in lower-case hex', () => {
    // Known answer: stored lookup keys must keep matching.
    expect(receiptLookupKey(pepper, receipt)).toBe(
      'd2209443dbc9aaa32d5f561a4b0688d07405098a45526f9bf5fb70acdec835c0',
    );
    expect(receiptLookupKey(new TextEncoder().encode(pepper), receipt)).toBe(
      receiptLookupKey(pepper, receipt),
    );
  });

  it('is deterministic and tells receipts and peppers apart', () => {
    const words = fc.array(fc.constantFrom('amber', 'banjo', 'lilac', 'quill', 'stoic', 'turret', 'yo-yo'), {
      minLength: 7,
      maxLength: 7,
    });
    fc.assert(
      fc.property(words, words, (a, b) => {
        const [first, second] = [a.join('-'), b.join('-')];
        expect(receiptLookupKey(pepper, first)).toBe(receiptLookupKey(pepper, first));
        expect(receiptLookupKey(pepper, first) === receiptLookupKey(pepper, second)).toBe(first === second);
        expect(receiptLookupKey(`${pepper}x`, first)).not.toBe(receiptLookupKey(pepper, first));
      }),
    );
  });

  it('matches an independent HMAC computation', () => {
    const expected = createHmac('sha256', pepper).update(receipt).digest('hex');
    expect(receiptLookupKey(pepper, receipt)).toBe(expected);
  });

  it('refuses a pepper shorter than 16 bytes and an empty receipt', () => {
    expect(() => receiptLookupKey('short', receipt)).toThrow(TypeError);
    expect(() => receiptLookupKey(new Uint8Array(15), receipt)).toThrow(TypeError);
    expect(() => receiptLookupKey(pepper, '')).toThrow(TypeError);
  });
});
