// Staff and escrow keys (docs/architecture.md "Staff keys"). Each Argon2 unlock costs about
// 0.2 s per key packet, so one key pair is generated for the whole file.
import { readKey, readPrivateKey } from 'openpgp';
import { expectCryptoError } from '../testing/crypto-test-support';
import { PublicKeyHandle } from './key-handles';
import { createGrant, openGrant } from './grants';
import { generateScopeKeyPair } from './scope-keys';
import { useCheapKeyProtectionInTests } from './openpgp-settings';
import { changePassphrase, generateStaffKeyPair, isLockedPrivateKey, unlockPrivateKey } from './staff-keys';
import type { StaffKeyMaterial } from './staff-keys';

const passphrase = 'correct horse battery staple';

describe('staff keys', () => {
  let staff: StaffKeyMaterial;

  beforeAll(async () => {
    staff = await generateStaffKeyPair({ name: 'Alex Handler', email: 'alex@council.example', passphrase });
  });

  it('generates a v4 Curve25519 key pair that GnuPG 2.2 can read', async () => {
    const publicKey = await readKey({ armoredKey: staff.publicKey });
    expect(publicKey.isPrivate()).toBe(false);
    expect(publicKey.getFingerprint()).toBe(staff.fingerprint);
    expect(publicKey.keyPacket.version).toBe(4);
    expect(publicKey.getAlgorithmInfo()).toEqual({ algorithm: 'eddsaLegacy', curve: 'ed25519Legacy' });
    expect(publicKey.subkeys).toHaveLength(1);
    expect(publicKey.subkeys[0]?.getAlgorithmInfo()).toEqual({
      algorithm: 'ecdh',
      curve: 'curve25519Legacy',
    });
    const users = publicKey.getUserIDs();
    expect(users).toEqual(['Alex Handler <alex@council.example>']);
  });

  it('does not advertise AEAD, so messages to the key stay SEIPDv1', async () => {
    const [user] = (await readKey({ armoredKey: staff.publicKey })).users;
    const features = user?.selfCertifications.map((signature) => signature.features?.[0]);
    // 0x01: modification detection (SEIPDv1) only; 0x08 would be SEIPDv2.
    expect(features).toEqual([0x01]);
  });

  it('protects every private key packet with Argon2 S2K', async () => {
    const locked = await readPrivateKey({ armoredKey: staff.encryptedPrivateKey });
    expect(locked.isDecrypted()).toBe(false);
    for (const { keyPacket } of locked.getKeys()) {
      const packet = keyPacket as unknown as {
        s2kUsage: number;
        s2k: { type: string; t: number; encodedM: number };
      };
      expect(packet.s2kUsage).toBe(253);
      expect(packet.s2k).toMatchObject({ type: 'argon2', t: 3, encodedM: 16 });
    }
  });

  it('unlocks with the passphrase into the same key', async () => {
    const unlocked = await unlockPrivateKey(staff.encryptedPrivateKey, passphrase);
    expect(unlocked.fingerprint).toBe(staff.fingerprint);
    expect(unlocked.publicKey().fingerprint).toBe(staff.fingerprint);
  });

  it('refuses a wrong passphrase with WRONG_PASSPHRASE and no openpgp text', async () => {
    await expectCryptoError(
      unlockPrivateKey(staff.encryptedPrivateKey, `${passphrase}!`),
      'WRONG_PASSPHRASE',
    );
    await expectCryptoError(unlockPrivateKey(staff.encryptedPrivateKey, ''), 'WRONG_PASSPHRASE');
  });

  it('tells a locked private key from an unprotected one without trying a passphrase', async () => {
    expect(await isLockedPrivateKey(staff.encryptedPrivateKey)).toBe(true);
    const unprotected = (
      await readPrivateKey({ binaryKey: (await generateScopeKeyPair('internal')).privateKey })
    ).armor();
    expect(await isLockedPrivateKey(unprotected)).toBe(false);
    await expectCryptoError(isLockedPrivateKey(staff.publicKey), 'INVALID_KEY');
  });

  it('refuses something that is not a protected private key with INVALID_KEY', async () => {
    await expectCryptoError(
      unlockPrivateKey('-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n', passphrase),
      'INVALID_KEY',
    );
    await expectCryptoError(unlockPrivateKey(staff.publicKey, passphrase), 'INVALID_KEY');
    const unprotected = (
      await readPrivateKey({ binaryKey: (await generateScopeKeyPair('internal')).privateKey })
    ).armor();
    await expectCryptoError(unlockPrivateKey(unprotected, passphrase), 'INVALID_KEY');
  });

  it('changes the passphrase, keeping the key and refusing the old passphrase', async () => {
    const newPassphrase = 'a completely different passphrase';
    const changed = await changePassphrase(staff.encryptedPrivateKey, passphrase, newPassphrase);
    expect(changed).not.toBe(staff.encryptedPrivateKey);

    const unlocked = await unlockPrivateKey(changed, newPassphrase);
    expect(unlocked.fingerprint).toBe(staff.fingerprint);
    await expectCryptoError(unlockPrivateKey(changed, passphrase), 'WRONG_PASSPHRASE');

    // Same key, so what was granted to it before the change still opens.
    const scope = await generateScopeKeyPair('internal');
    const grant = await createGrant(scope.privateKey, await PublicKeyHandle.parse(staff.publicKey));
    expect(await openGrant(grant, unlocked)).toEqual(scope.privateKey);
  });

  it('refuses to change the passphrase without the old one', async () => {
    await expectCryptoError(
      changePassphrase(staff.encryptedPrivateKey, 'wrong', 'new passphrase'),
      'WRONG_PASSPHRASE',
    );
  });

  it('requires a non-empty passphrase to protect a key', async () => {
    await expect(
      generateStaffKeyPair({ name: 'A', email: 'a@council.example', passphrase: '' }),
    ).rejects.toThrow(TypeError);
  });
});

describe('cheap key protection for test processes', () => {
  it('refuses to switch on outside NODE_ENV=test', () => {
    const before = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      expect(() => useCheapKeyProtectionInTests()).toThrow('test processes only');
    } finally {
      process.env['NODE_ENV'] = before;
    }
  });

  // Last in this file: it changes how keys made afterwards in this process are protected.
  it('makes keys with the same Argon2 S2K at a lower cost, which still unlock only with the passphrase', async () => {
    const s2kOf = async (armored: string) => {
      const key = await readPrivateKey({ armoredKey: armored });
      const { s2k } = key.keyPacket as unknown as {
        s2k: { type: string; t: number; p: number; encodedM: number };
      };
      return { type: s2k.type, t: s2k.t, p: s2k.p, encodedM: s2k.encodedM };
    };
    const standard = await generateStaffKeyPair({ name: 'A', email: 'a@example.org', passphrase: 'pw one' });
    expect(await s2kOf(standard.encryptedPrivateKey)).toEqual({ type: 'argon2', t: 3, p: 4, encodedM: 16 });
    useCheapKeyProtectionInTests();
    const cheap = await generateStaffKeyPair({ name: 'B', email: 'b@example.org', passphrase: 'pw two' });
    expect(await s2kOf(cheap.encryptedPrivateKey)).toEqual({ type: 'argon2', t: 1, p: 1, encodedM: 10 });
    await expect(unlockPrivateKey(cheap.encryptedPrivateKey, 'pw two')).resolves.toBeDefined();
    await expectCryptoError(unlockPrivateKey(cheap.encryptedPrivateKey, 'pw one'), 'WRONG_PASSPHRASE');
  });
});
