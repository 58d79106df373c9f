// Grants (docs/architecture.md "Case scope keys and grants"): a scope key encrypted to each grantee; granting
// re-encrypts the same key to a newcomer; revoking deletes a grant, after which the former grantee's own
// key opens nothing.
import { generateKey, readMessage } from 'openpgp';
import {
  cheapUnlockedKey,
  encryptedDataPacket,
  expectCryptoError,
  flipByte,
  packetSpans,
} from '../testing/crypto-test-support';
import { createGrant, createGrants, openGrant, openGrantAsKey, regrant } from './grants';
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

// One session key per scope (docs/performance.md "One session key per scope"): the grants of one call share
// their encrypted-data packet, and each is still a whole message to its one grantee.
describe('grants made together for one scope', () => {
  let scope: ScopeKeyPair;
  let grantees: UnlockedKey[];
  let outsider: UnlockedKey;

  beforeAll(async () => {
    scope = await generateScopeKeyPair('report');
    grantees = await Promise.all([cheapUnlockedKey(), cheapUnlockedKey(), cheapUnlockedKey()]);
    outsider = await cheapUnlockedKey();
  });

  it('gives each grantee, in order, a grant that opens to exactly the scope key', async () => {
    const grants = await createGrants(
      scope.privateKey,
      grantees.map((g) => g.publicKey()),
    );
    expect(grants).toHaveLength(grantees.length);
    for (const [i, grantee] of grantees.entries()) {
      const grant = grants[i] as Uint8Array;
      expect(await openGrant(grant, grantee)).toEqual(scope.privateKey);
      expect((await openGrantAsKey(grant, grantee)).fingerprint).toBe(scope.fingerprint);
      // Each grant names exactly its own grantee, so deleting it revokes that grantee alone.
      const recipients = (await readMessage({ binaryMessage: grant })).getEncryptionKeyIDs();
      expect(recipients).toHaveLength(1);
      for (const other of grantees.filter((g) => g !== grantee))
        await expectCryptoError(openGrant(grant, other), 'NOT_A_RECIPIENT');
    }
  });

  it('opens for no one else', async () => {
    const grants = await createGrants(
      scope.privateKey,
      grantees.map((g) => g.publicKey()),
    );
    for (const grant of grants) {
      await expectCryptoError(openGrant(grant, outsider), 'NOT_A_RECIPIENT');
      await expectCryptoError(regrant(grant, outsider, outsider.publicKey()), 'NOT_A_RECIPIENT');
    }
  });

  it('shares one encrypted-data packet among the grants of a call, each behind its own key packet', async () => {
    const [first, second] = (await createGrants(scope.privateKey, [
      (grantees[0] as UnlockedKey).publicKey(),
      (grantees[1] as UnlockedKey).publicKey(),
    ])) as [Uint8Array, Uint8Array];
    const [pkesk1, seipd1] = packetSpans(first);
    const [pkesk2, seipd2] = packetSpans(second);
    // A public-key encrypted session key packet (v3), then a SEIPDv1 packet, and nothing else.
    expect(packetSpans(first).map((p) => p.tag)).toEqual([1, 18]);
    expect(packetSpans(second).map((p) => p.tag)).toEqual([1, 18]);
    expect(first[pkesk1?.bodyStart ?? -1]).toBe(3);
    expect(first[seipd1?.bodyStart ?? -1]).toBe(1);
    const seipdOf = (grant: Uint8Array, span = encryptedDataPacket(grant)) =>
      Buffer.from(grant.subarray(span.start, span.end));
    expect(seipdOf(first, seipd1)).toEqual(seipdOf(second, seipd2));
    expect(Buffer.from(first.subarray(pkesk1?.start, pkesk1?.end))).not.toEqual(
      Buffer.from(second.subarray(pkesk2?.start, pkesk2?.end)),
    );
    // Another call for the same scope and grantees makes a new session key: nothing is shared across calls.
    const [again] = (await createGrants(scope.privateKey, [(grantees[0] as UnlockedKey).publicKey()])) as [
      Uint8Array,
    ];
    expect(seipdOf(again)).not.toEqual(seipdOf(first));
  });

  it('refuses a grant whose shared encrypted-data packet was altered, for every grantee', async () => {
    const grants = await createGrants(
      scope.privateKey,
      grantees.map((g) => g.publicKey()),
    );
    for (const [i, grantee] of grantees.entries()) {
      const grant = grants[i] as Uint8Array;
      const { bodyStart, end } = encryptedDataPacket(grant);
      await expectCryptoError(openGrant(flipByte(grant, bodyStart + 40), grantee), 'TAMPERED');
      await expectCryptoError(openGrant(flipByte(grant, end - 1), grantee), 'TAMPERED');
      await expectCryptoError(openGrant(grant.slice(0, grant.length - 10), grantee), 'TAMPERED');
    }
  });

  it('lets a grantee’s regrant to a newcomer stand alone, with a session key of its own', async () => {
    const [grant] = (await createGrants(scope.privateKey, [
      (grantees[0] as UnlockedKey).publicKey(),
      (grantees[1] as UnlockedKey).publicKey(),
    ])) as [Uint8Array];
    const newcomerGrant = await regrant(grant, grantees[0] as UnlockedKey, outsider.publicKey());
    expect(await openGrant(newcomerGrant, outsider)).toEqual(scope.privateKey);
    expect(Buffer.from(grant.subarray(encryptedDataPacket(grant).start))).not.toEqual(
      Buffer.from(newcomerGrant.subarray(encryptedDataPacket(newcomerGrant).start)),
    );
  });

  it('makes no grant for no grantee, and refuses a bad scope key or a grantee that cannot encrypt', async () => {
    expect(await createGrants(scope.privateKey, [])).toEqual([]);
    await expectCryptoError(
      createGrants(scope.publicKey, [(grantees[0] as UnlockedKey).publicKey()]),
      'INVALID_KEY',
    );
    const signOnly = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Signing only' }],
      subkeys: [],
      format: 'binary',
    });
    await expectCryptoError(
      createGrants(scope.privateKey, [
        (grantees[0] as UnlockedKey).publicKey(),
        await PublicKeyHandle.parse(signOnly.publicKey),
      ]),
      'INVALID_KEY',
    );
  });
});
