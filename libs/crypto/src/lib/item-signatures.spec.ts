// Detached item signatures (docs/architecture.md "Encryption model"): a signature verifies only over the
// exact statement and only against the key that made it.
import { expectCryptoError } from '../testing/crypto-test-support';
import { signatureChecksMade, signDetached, verifyDetached } from './item-signatures';
import { reformatKey } from 'openpgp';
import { PublicKeyHandle, UnlockedKey, privateKeyOf } from './key-handles';
import { PGP_CONFIG } from './openpgp-settings';
import { generateSigningKeyPair } from './signing-keys';

async function signingKey(): Promise<UnlockedKey> {
  const material = await generateSigningKeyPair({ name: 'Demo Council' });
  return UnlockedKey.fromSerialized(material.privateKey);
}

/** The same key material with other self-signatures (another user ID, dated when the key was made). */
async function withExtraUserId(key: UnlockedKey): Promise<Uint8Array> {
  const privateKey = privateKeyOf(key);
  const { publicKey } = await reformatKey({
    privateKey,
    userIDs: [{ name: 'Demo Council' }, { name: 'Someone else' }],
    date: privateKey.getCreationTime(),
    format: 'binary',
    config: PGP_CONFIG,
  });
  return publicKey;
}

describe('item signatures', () => {
  const statement = new TextEncoder().encode('{"id":"1","kind":"message","author":"reporter"}');

  it('verifies a signature over the same statement by the same key', async () => {
    const key = await signingKey();
    const signature = await signDetached(statement, key);
    await expect(verifyDetached(statement, signature, key.publicKey())).resolves.toBe(true);
  });

  it('refuses a changed statement, another key, and bytes that are not a signature', async () => {
    const key = await signingKey();
    const other = await signingKey();
    const signature = await signDetached(statement, key);
    const changed = new TextEncoder().encode('{"id":"1","kind":"message","author":"staff"}');
    await expect(verifyDetached(changed, signature, key.publicKey())).resolves.toBe(false);
    await expect(verifyDetached(statement, signature, other.publicKey())).resolves.toBe(false);
    await expect(verifyDetached(statement, new Uint8Array([1, 2, 3]), key.publicKey())).resolves.toBe(false);
    const forged = await signDetached(statement, other);
    await expect(verifyDetached(statement, forged, key.publicKey())).resolves.toBe(false);
  });

  it('answers the same bytes again from memory, and checks anything changed afresh', async () => {
    const key = await signingKey();
    const other = await signingKey();
    const signature = await signDetached(statement, key);
    const forged = await signDetached(statement, other);
    await expect(verifyDetached(statement, signature, key.publicKey())).resolves.toBe(true);
    const checks = signatureChecksMade();
    // The same statement, signature and key: remembered, not checked again.
    await expect(verifyDetached(statement, new Uint8Array(signature), key.publicKey())).resolves.toBe(true);
    expect(signatureChecksMade()).toBe(checks);
    // A statement changed after the first read (another author, another ciphertext hash): checked, false.
    const changed = new TextEncoder().encode('{"id":"1","kind":"message","author":"staff"}');
    await expect(verifyDetached(changed, signature, key.publicKey())).resolves.toBe(false);
    // Another signature over the same statement, or the same one against another key: checked, false.
    await expect(verifyDetached(statement, forged, key.publicKey())).resolves.toBe(false);
    await expect(verifyDetached(statement, signature, other.publicKey())).resolves.toBe(false);
    const flipped = new Uint8Array(signature);
    flipped[flipped.length - 1] ^= 1;
    await expect(verifyDetached(statement, flipped, key.publicKey())).resolves.toBe(false);
    expect(signatureChecksMade()).toBe(checks + 4);
    // A failure is never remembered as anything: asked again, it is checked again and fails again.
    await expect(verifyDetached(changed, signature, key.publicKey())).resolves.toBe(false);
    await expect(verifyDetached(statement, forged, key.publicKey())).resolves.toBe(false);
    expect(signatureChecksMade()).toBe(checks + 6);
  });

  it('keys the memory by the whole key, not only its fingerprint', async () => {
    const key = await signingKey();
    const signature = await signDetached(statement, key);
    await expect(verifyDetached(statement, signature, key.publicKey())).resolves.toBe(true);
    const checks = signatureChecksMade();
    // The same key parsed afresh from its packets is the same key: remembered.
    const same = await PublicKeyHandle.parse(key.publicKey().toBinary());
    await expect(verifyDetached(statement, signature, same)).resolves.toBe(true);
    expect(signatureChecksMade()).toBe(checks);
    // The same primary key with a user ID added (other packets, the same fingerprint): checked afresh.
    const packets = key.publicKey().toBinary();
    const extended = await PublicKeyHandle.parse(await withExtraUserId(key));
    expect(extended.fingerprint).toBe(key.fingerprint);
    expect(Buffer.from(extended.toBinary()).equals(Buffer.from(packets))).toBe(false);
    await expect(verifyDetached(statement, signature, extended)).resolves.toBe(true);
    expect(signatureChecksMade()).toBe(checks + 1);
  });

  it('takes only key handles', async () => {
    await expectCryptoError(verifyDetached(statement, new Uint8Array(), {} as never), 'INVALID_KEY');
  });
});
