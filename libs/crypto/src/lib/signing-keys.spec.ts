// The tenant signing key (docs/architecture.md "Exports"): sign-only, usable as an export
// signer, and refused as an encryption target. Its GnuPG side is in gnupg-interop.spec.ts.
import { readKey } from 'openpgp';
import { cheapUnlockedKey, expectCryptoError } from '../testing/crypto-test-support';
import { exportForRecipientBinary, verifyAndDecryptBinaryExport } from './case-export';
import { PublicKeyHandle, UnlockedKey } from './key-handles';
import { generateSigningKeyPair } from './signing-keys';

describe('tenant signing keys', () => {
  it('makes a sign-only v4 EdDSA key with no encryption subkey', async () => {
    const material = await generateSigningKeyPair({
      name: 'Demo Council exports',
      email: 'exports@demo.invalid',
    });
    expect(material.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(material.publicKey.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----')).toBe(true);
    const parsed = await readKey({ armoredKey: material.publicKey });
    expect(parsed.getFingerprint()).toBe(material.fingerprint);
    expect(parsed.keyPacket.version).toBe(4);
    expect(parsed.getAlgorithmInfo()).toEqual({ algorithm: 'eddsaLegacy', curve: 'ed25519Legacy' });
    expect(parsed.getSubkeys()).toHaveLength(0);
    expect(parsed.users[0]?.userID?.userID).toBe('Demo Council exports <exports@demo.invalid>');
  });

  it('hands back an unencrypted private key that opens as the same key', async () => {
    const material = await generateSigningKeyPair({ name: 'Demo Council exports' });
    const unlocked = await UnlockedKey.fromSerialized(material.privateKey);
    expect(unlocked.fingerprint).toBe(material.fingerprint);
    expect(unlocked.publicKey().toArmored()).toBe(material.publicKey);
  });

  it('signs exports that verify against the published public key only', async () => {
    const material = await generateSigningKeyPair({ name: 'Demo Council exports' });
    const signer = await UnlockedKey.fromSerialized(material.privateKey);
    const recipient = await cheapUnlockedKey();
    const message = await exportForRecipientBinary({
      content: 'Case NOL-2026-0042',
      filename: 'NOL-2026-0042.zip',
      recipient: recipient.publicKey(),
      signer,
    });
    const published = await PublicKeyHandle.parse(material.publicKey);
    const verified = await verifyAndDecryptBinaryExport({ message, recipient, signer: published });
    expect(new TextDecoder().decode(verified.content)).toBe('Case NOL-2026-0042');
    expect(verified.filename).toBe('NOL-2026-0042.zip');

    const other = await generateSigningKeyPair({ name: 'Another Council exports' });
    await expectCryptoError(
      verifyAndDecryptBinaryExport({
        message,
        recipient,
        signer: await PublicKeyHandle.parse(other.publicKey),
      }),
      'TAMPERED',
    );
  });

  it('cannot be encrypted to (INVALID_KEY): nothing sent to it could ever be read', async () => {
    const material = await generateSigningKeyPair({ name: 'Demo Council exports' });
    await expectCryptoError(
      exportForRecipientBinary({
        content: 'x',
        recipient: await PublicKeyHandle.parse(material.publicKey),
        signer: await cheapUnlockedKey(),
      }),
      'INVALID_KEY',
    );
  });

  it('refuses a key without a name', async () => {
    await expect(generateSigningKeyPair({ name: ' ' })).rejects.toThrow(TypeError);
  });
});
