// Keys cross the library boundary as opaque handles (docs/architecture.md "Encryption model"): these specs
// pin how they are read, what they expose and what they refuse.
import { encryptKey, readKey, readPrivateKey, revokeKey } from 'openpgp';
import type * as OpenPGP from 'openpgp';
import { expectCryptoError } from '../testing/crypto-test-support';
import { PublicKeyHandle, UnlockedKey } from './key-handles';
import { encryptToScope, generateScopeKeyPair } from './scope-keys';

// readKey is wrapped (still the real one) so a spec can tell whether a key was parsed or remembered.
jest.mock('openpgp', () => {
  const actual: typeof OpenPGP = jest.requireActual('openpgp');
  return { ...actual, readKey: jest.fn(actual.readKey) };
});
const readKeyCalls = jest.mocked(readKey);

describe('PublicKeyHandle', () => {
  it('reads the same key from binary and from armor', async () => {
    const pair = await generateScopeKeyPair('report');
    const fromBinary = await PublicKeyHandle.parse(pair.publicKey);
    const fromArmor = await PublicKeyHandle.parse(fromBinary.toArmored());
    expect(fromBinary.fingerprint).toBe(pair.fingerprint);
    expect(fromArmor.fingerprint).toBe(pair.fingerprint);
    expect(fromArmor.toBinary()).toEqual(pair.publicKey);
    expect(pair.fingerprint).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reduces a private key to its public part', async () => {
    const pair = await generateScopeKeyPair('report');
    const handle = await PublicKeyHandle.parse(pair.privateKey);
    expect(handle.toBinary()).toEqual(pair.publicKey);
  });

  it('refuses bytes and text that are not a key', async () => {
    const pair = await generateScopeKeyPair('report');
    await expectCryptoError(PublicKeyHandle.parse(new Uint8Array()), 'INVALID_KEY');
    await expectCryptoError(PublicKeyHandle.parse(new Uint8Array([1, 2, 3])), 'INVALID_KEY');
    await expectCryptoError(PublicKeyHandle.parse(pair.publicKey.slice(0, 40)), 'INVALID_KEY');
    await expectCryptoError(PublicKeyHandle.parse('not a key'), 'INVALID_KEY');
    await expectCryptoError(PublicKeyHandle.parse(undefined as unknown as string), 'INVALID_KEY');
  });

  it('never parses a public key it generated, and parses any other key only once', async () => {
    const pair = await generateScopeKeyPair('report');
    const armored = (await PublicKeyHandle.parse(pair.publicKey)).toArmored();
    readKeyCalls.mockClear();
    await PublicKeyHandle.parse(pair.publicKey.slice());
    await encryptToScope('content', pair.publicKey);
    expect(readKeyCalls).not.toHaveBeenCalled();
    const first = await PublicKeyHandle.parse(armored);
    const again = await PublicKeyHandle.parse(armored);
    expect(readKeyCalls).toHaveBeenCalledTimes(1);
    expect(again.fingerprint).toBe(first.fingerprint);
  });

  it('refuses a remembered key once it carries a revocation', async () => {
    const pair = await generateScopeKeyPair('report');
    await PublicKeyHandle.parse(pair.publicKey);
    const { publicKey: revoked } = await revokeKey({
      key: await readPrivateKey({ binaryKey: pair.privateKey }),
      format: 'binary',
    });
    await expectCryptoError(PublicKeyHandle.parse(revoked), 'INVALID_KEY');
  });

  it('shows only its fingerprint when serialised to JSON', async () => {
    const handle = await PublicKeyHandle.parse((await generateScopeKeyPair('report')).publicKey);
    expect(JSON.parse(JSON.stringify(handle))).toEqual({ fingerprint: handle.fingerprint });
  });
});

describe('UnlockedKey', () => {
  it('survives serialize and fromSerialized with the same fingerprint and bytes', async () => {
    const pair = await generateScopeKeyPair('internal');
    const key = await UnlockedKey.fromSerialized(pair.privateKey);
    const again = await UnlockedKey.fromSerialized(key.serialize());
    expect(again.fingerprint).toBe(pair.fingerprint);
    expect(again.serialize()).toEqual(pair.privateKey);
    expect(key.publicKey().toBinary()).toEqual(pair.publicKey);
  });

  it('refuses a private key that is still passphrase-protected', async () => {
    const pair = await generateScopeKeyPair('internal');
    const locked = await encryptKey({
      privateKey: await readPrivateKey({ binaryKey: pair.privateKey }),
      passphrase: 'pw',
    });
    await expectCryptoError(UnlockedKey.fromSerialized(locked.write()), 'INVALID_KEY');
  });

  it('refuses a public key and bytes that are not a key', async () => {
    const pair = await generateScopeKeyPair('internal');
    await expectCryptoError(UnlockedKey.fromSerialized(pair.publicKey), 'INVALID_KEY');
    await expectCryptoError(UnlockedKey.fromSerialized(new Uint8Array([0xc5, 1, 2])), 'INVALID_KEY');
  });

  it('keeps its key material out of JSON and inspection', async () => {
    const key = await UnlockedKey.fromSerialized((await generateScopeKeyPair('internal')).privateKey);
    expect(JSON.parse(JSON.stringify(key))).toEqual({ fingerprint: key.fingerprint });
    expect(Object.keys(key)).toEqual(['fingerprint']);
  });
});
