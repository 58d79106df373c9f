// Grants (docs/architecture.md "Case scope keys and grants"): a scope key encrypted to each grantee; granting
// re-encrypts the same key to a newcomer; revoking deletes a grant, after which the former grantee's own
// key opens nothing.
import { generateKey } from 'openpgp';
import {
  cheapUnlockedKey,
  encryptedDataPacket,
  expectCryptoError,
  flipByte,
} from '../testing/crypto-test-support';
import { createGrant, openGrant, openGrantAsKey, regrant } from './grants';
import { PublicKeyHandle } from './key-handles';
import type { UnlockedKey } from './key-handles';
import { decryptWithScope, encryptToScope, generateScopeKeyPair } from './scope-keys';
import type { ScopeKeyPair } from './scope-keys';

const note = 'Interviewed the procurement officer; minutes attached.';

describe('grants', () => {
  let scope: ScopeKeyPair;
  let handler: UnlockedKey;
  let escrow: UnlockedKey;
  let newcomer: UnlockedKey;

  beforeAll(async () => {
    scope = await generateScopeKeyPair('internal');
    [handler, escrow, newcomer] = await Promise.all([
      cheapUnlockedKey(),
      cheapUnlockedKey(),
      cheapUnlockedKey(),
    ]);
  });

  it('gives the grantee back exactly the scope key', async () => {
    const grant = await createGrant(scope.privateKey, handler.publicKey());
    expect(await openGrant(grant, handler)).toEqual(scope.privateKey);
    expect((await openGrantAsKey(grant, handler)).fingerprint).toBe(scope.fingerprint);
  });

  it('accepts an already parsed scope key', async () => {
    const parsed = await openGrantAsKey(await createGrant(scope.privateKey, handler.publicKey()), handler);
    const grant = await createGrant(parsed, escrow.publicKey());
    expect(await openGrant(grant, escrow)).toEqual(scope.privateKey);
  });

  it('lets the grantee read content added before and after the grant', async () => {
    const before = await encryptToScope(note, scope.publicKey);
    const scopeKey = await openGrantAsKey(await createGrant(scope.privateKey, handler.publicKey()), handler);
    const after = await encryptToScope(`${note} (2)`, scope.publicKey);
    expect(new TextDecoder().decode(await decryptWithScope(before, scopeKey))).toBe(note);
    expect(new TextDecoder().decode(await decryptWithScope(after, scopeKey))).toBe(`${note} (2)`);
  });

  it('regrants the newcomer the same scope key', async () => {
    const handlerGrant = await createGrant(scope.privateKey, handler.publicKey());
    const newcomerGrant = await regrant(handlerGrant, handler, newcomer.publicKey());
    expect(await openGrant(newcomerGrant, newcomer)).toEqual(scope.privateKey);
    const content = await encryptToScope(note, scope.publicKey);
    expect(
      new TextDecoder().decode(await decryptWithScope(content, await openGrant(newcomerGrant, newcomer))),
    ).toBe(note);
  });

  it('leaves a revoked grantee unable to read content or open the remaining grants', async () => {
    const grants = new Map([
      [handler.fingerprint, await createGrant(scope.privateKey, handler.publicKey())],
      [escrow.fingerprint, await createGrant(scope.privateKey, escrow.publicKey())],
      [newcomer.fingerprint, await createGrant(scope.privateKey, newcomer.publicKey())],
    ]);
    const content = await encryptToScope(note, scope.publicKey);

    // Revoking is deleting the grant row.
    grants.delete(newcomer.fingerprint);

    await expectCryptoError(decryptWithScope(content, newcomer), 'NOT_A_RECIPIENT');
    await expectCryptoError(decryptWithScope(content, newcomer.serialize()), 'NOT_A_RECIPIENT');
    for (const grant of grants.values()) {
      await expectCryptoError(openGrant(grant, newcomer), 'NOT_A_RECIPIENT');
      await expectCryptoError(regrant(grant, newcomer, newcomer.publicKey()), 'NOT_A_RECIPIENT');
    }
    // Those still granted read on.
    const escrowGrant = grants.get(escrow.fingerprint) ?? new Uint8Array();
    expect(await decryptWithScope(content, await openGrant(escrowGrant, escrow))).toEqual(
      new TextEncoder().encode(note),
    );
  });

  it('detects a tampered or truncated grant and returns no key', async () => {
    const grant = await createGrant(scope.privateKey, handler.publicKey());
    const { bodyStart, end } = encryptedDataPacket(grant);
    await expectCryptoError(openGrant(flipByte(grant, bodyStart + 40), handler), 'TAMPERED');
    await expectCryptoError(openGrant(flipByte(grant, end - 1), handler), 'TAMPERED');
    await expectCryptoError(openGrant(grant.slice(0, grant.length - 10), handler), 'TAMPERED');
    await expectCryptoError(openGrant(grant.slice(0, bodyStart + 5), handler), 'TAMPERED');
  });

  it('refuses a grant that decrypts to something other than a private key', async () => {
    const notAKey = await encryptToScope('not a key', handler.publicKey());
    await expectCryptoError(openGrant(notAKey, handler), 'TAMPERED');
    const publicOnly = await encryptToScope(scope.publicKey, handler.publicKey());
    await expectCryptoError(openGrant(publicOnly, handler), 'TAMPERED');
  });

  it('refuses to grant something that is not an unencrypted private key', async () => {
    await expectCryptoError(createGrant(scope.publicKey, handler.publicKey()), 'INVALID_KEY');
    await expectCryptoError(createGrant(new Uint8Array(), handler.publicKey()), 'INVALID_KEY');
  });

  it('refuses to grant to a key that cannot encrypt', async () => {
    const signOnly = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Signing only' }],
      subkeys: [],
      format: 'binary',
    });
    const grantee = await PublicKeyHandle.parse(signOnly.publicKey);
    await expectCryptoError(createGrant(scope.privateKey, grantee), 'INVALID_KEY');
  });
});
