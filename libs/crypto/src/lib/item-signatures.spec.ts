// Detached item signatures (docs/architecture.md "Encryption model"): a signature verifies only over the
// exact statement and only against the key that made it.
import { expectCryptoError } from '../testing/crypto-test-support';
import { signDetached, verifyDetached } from './item-signatures';
import { UnlockedKey } from './key-handles';
import { generateSigningKeyPair } from './signing-keys';

async function signingKey(): Promise<UnlockedKey> {
  const material = await generateSigningKeyPair({ name: 'Demo Council' });
  return UnlockedKey.fromSerialized(material.privateKey);
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

  it('takes only key handles', async () => {
    await expectCryptoError(verifyDetached(statement, new Uint8Array(), {} as never), 'INVALID_KEY');
  });
});
