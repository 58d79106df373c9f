// The session key found with node:crypto (x25519-session-key.ts) is the one openpgp's own path finds, for
// any content Nolan encrypts to a scope key; for a message not to the key, or whose wrapped key was
// altered, it finds none, and decryption still answers as before (docs/performance.md "Opening a case").
import fc from 'fast-check';
import { decryptSessionKeys, encryptSessionKey, generateKey, readMessage } from 'openpgp';
import { expectCryptoError, flipByte, packetSpans } from '../testing/crypto-test-support';
import { createGrants, openGrant } from './grants';
import { PublicKeyHandle, privateKeyOf, publicKeyOf, UnlockedKey } from './key-handles';
import { PGP_CONFIG, literalMessage, readBinaryMessage } from './openpgp-settings';
import { decryptWithScope, encryptToScope, generateScopeKeyPair } from './scope-keys';
import { decryptForKey } from './public-key-decryption';
import { messageOf, sealToEach } from './sealed-to-each';
import { x25519KeyPacket, x25519SessionKey } from './x25519-session-key';

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

describe('the X25519 session-key packet made with node:crypto', () => {
  const aes256 = (bytes: Uint8Array) => ({ data: bytes, algorithm: 'aes256' as const });

  it('is made for every key Nolan makes, and openpgp finds in it the session key it carries', async () => {
    const scope = await generateScopeKeyPair('report');
    const key = privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey));
    const recipient = key.toPublic();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom('aes128', 'aes256'),
        async (bytes, algorithm) => {
          const sessionKey = { data: algorithm === 'aes128' ? bytes.subarray(0, 16) : bytes, algorithm };
          const packet = await x25519KeyPacket(recipient, sessionKey);
          expect(packet).not.toBeNull();
          const message = await readMessage({ binaryMessage: packet as Uint8Array });
          const [found] = await decryptSessionKeys({ message, decryptionKeys: key, config: PGP_CONFIG });
          expect(found?.algorithm).toBe(algorithm);
          expect(Buffer.from(found?.data ?? []).equals(Buffer.from(sessionKey.data))).toBe(true);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('is laid out as openpgp lays out its own packet to the same key (version, key ID, algorithm, sizes)', async () => {
    const scope = await generateScopeKeyPair('internal');
    const recipient = privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey)).toPublic();
    const sessionKey = aes256(new Uint8Array(32).fill(7));
    const ours = (await x25519KeyPacket(recipient, sessionKey)) as Uint8Array;
    const theirs = await encryptSessionKey({
      ...sessionKey,
      encryptionKeys: recipient,
      format: 'binary',
      config: PGP_CONFIG,
    });
    expect(ours.length).toBe(theirs.length);
    // Header, version, key ID, algorithm and the ephemeral point's MPI length: all but the random bytes.
    expect(Buffer.from(ours.subarray(0, 14)).equals(Buffer.from(theirs.subarray(0, 14)))).toBe(true);
    // The wrapped key's length byte, after the 0x40 and 32 bytes of the ephemeral point.
    expect(ours[47]).toBe(theirs[47]);
    const [ourSpan] = packetSpans(ours);
    expect(ourSpan).toEqual({ tag: 1, start: 0, bodyStart: 2, end: ours.length });
  });

  it('makes a fresh ephemeral key for every packet', async () => {
    const scope = await generateScopeKeyPair('identity');
    const recipient = privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey)).toPublic();
    const sessionKey = aes256(new Uint8Array(32).fill(1));
    const [first, second] = await Promise.all([
      x25519KeyPacket(recipient, sessionKey),
      x25519KeyPacket(recipient, sessionKey),
    ]);
    expect(Buffer.from(first as Uint8Array).subarray(14, 47)).not.toEqual(
      Buffer.from(second as Uint8Array).subarray(14, 47),
    );
  });

  it('is not made for a key of another shape, whose packet openpgp then makes', async () => {
    const { privateKey } = await generateKey({
      type: 'curve25519',
      userIDs: [{ name: 'a v6-style X25519 key' }],
      format: 'object',
      config: PGP_CONFIG,
    });
    expect(await x25519KeyPacket(privateKey.toPublic(), aes256(new Uint8Array(32)))).toBeNull();
    const { privateKey: rsa } = await generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs: [{ name: 'an RSA key' }],
      format: 'object',
      config: PGP_CONFIG,
    });
    const scope = await generateScopeKeyPair('report');
    const scopeKey = privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey));
    // The scope key's packet in the same message is still made with node:crypto.
    expect(await x25519KeyPacket(scopeKey.toPublic(), aes256(new Uint8Array(32)))).not.toBeNull();
    const message = await literalMessage('to both');
    const { keyPackets, sealed } = await sealToEach(message, [
      rsa.toPublic(),
      privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey)).toPublic(),
    ]);
    expect(keyPackets).toHaveLength(2);
    for (const [index, key] of [
      rsa,
      privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey)),
    ].entries()) {
      const whole = await readBinaryMessage(messageOf(keyPackets[index] as Uint8Array, sealed));
      const { data } = await decryptForKey(whole, key);
      expect(new TextDecoder().decode(data)).toBe('to both');
    }
  });

  it('makes scope content that openpgp and the node:crypto reader both open', async () => {
    const scope = await generateScopeKeyPair('report');
    const handle = await PublicKeyHandle.parse(scope.publicKey);
    const key = privateKeyOf(await UnlockedKey.fromSerialized(scope.privateKey));
    const ciphertext = await encryptToScope('the report', handle);
    const [fromOpenpgp] = await decryptSessionKeys({
      message: await readBinaryMessage(ciphertext),
      decryptionKeys: key,
    });
    const fromNode = x25519SessionKey(await readBinaryMessage(ciphertext), key);
    expect(Buffer.from(fromNode?.data ?? []).equals(Buffer.from(fromOpenpgp?.data ?? []))).toBe(true);
    expect(publicKeyOf(handle).getFingerprint()).toBe(scope.fingerprint);
  });
});
