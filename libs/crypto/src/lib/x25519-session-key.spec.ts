// The session key found with node:crypto (x25519-session-key.ts) is the one openpgp's own path finds, for
// any content Nolan encrypts to a scope key; for a message not to the key, or whose wrapped key was
// altered, it finds none, and decryption still answers as before (docs/performance.md "Opening a case").
import fc from 'fast-check';
import { decryptSessionKeys } from 'openpgp';
import { expectCryptoError, flipByte, packetSpans } from '../testing/crypto-test-support';
import { createGrants, openGrant } from './grants';
import { privateKeyOf, UnlockedKey } from './key-handles';
import { readBinaryMessage } from './openpgp-settings';
import { decryptWithScope, encryptToScope, generateScopeKeyPair } from './scope-keys';
import { x25519SessionKey } from './x25519-session-key';

describe('the X25519 session key with node:crypto', () => {
  it('finds the session key openpgp finds, for any content', async () => {
    const scope = await generateScopeKeyPair('report');
    const key = privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (content) => {
        const ciphertext = await encryptToScope(content, scope.publicKey);
        const found = x25519SessionKey(await readBinaryMessage(ciphertext), key);
        const [expected] = await decryptSessionKeys({
          message: await readBinaryMessage(ciphertext),
          decryptionKeys: key,
        });
        expect(found).not.toBeNull();
        expect(found?.algorithm).toBe(expected?.algorithm);
        expect(Buffer.from(found?.data ?? []).equals(Buffer.from(expected?.data ?? []))).toBe(true);
        const plaintext = await decryptWithScope(ciphertext, scope.privateKey);
        expect(Buffer.from(plaintext).equals(Buffer.from(content))).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('finds none for another key, and none once the wrapped key is altered', async () => {
    const [scope, other] = await Promise.all([
      generateScopeKeyPair('report'),
      generateScopeKeyPair('internal'),
    ]);
    const ciphertext = await encryptToScope('the report', scope.publicKey);
    const key = privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey));
    const otherKey = privateKeyOf(await UnlockedKey.fromSerialized(other.privateKey));
    expect(x25519SessionKey(await readBinaryMessage(ciphertext), otherKey)).toBeNull();
    await expectCryptoError(decryptWithScope(ciphertext, other.privateKey), 'NOT_A_RECIPIENT');
    // The session-key packet (tag 1) ends with the wrapped session key: alter its last byte.
    const pkesk = packetSpans(ciphertext).find((packet) => packet.tag === 1);
    expect(pkesk).toBeDefined();
    const altered = flipByte(ciphertext, (pkesk?.end ?? 0) - 1);
    expect(x25519SessionKey(await readBinaryMessage(altered), key)).toBeNull();
    await expectCryptoError(decryptWithScope(altered, scope.privateKey), 'TAMPERED');
  });

  it('finds the session key of each grant of a scope made together, for its own grantee only', async () => {
    const [scope, first, second] = await Promise.all([
      generateScopeKeyPair('report'),
      generateScopeKeyPair('internal'),
      generateScopeKeyPair('identity'),
    ]);
    const holders = await Promise.all(
      [first, second].map((pair) => UnlockedKey.fromSerialized(pair.privateKey)),
    );
    const grants = await createGrants(
      scope.privateKey,
      holders.map((holder) => holder.publicKey()),
    );
    for (const [index, grant] of grants.entries()) {
      const own = privateKeyOf(holders[index] as UnlockedKey);
      const other = privateKeyOf(holders[1 - index] as UnlockedKey);
      expect(x25519SessionKey(await readBinaryMessage(grant), own)).not.toBeNull();
      expect(x25519SessionKey(await readBinaryMessage(grant), other)).toBeNull();
      const opened = await openGrant(grant, holders[index] as UnlockedKey);
      expect(Buffer.from(opened).equals(Buffer.from(scope.privateKey))).toBe(true);
    }
  });
});
