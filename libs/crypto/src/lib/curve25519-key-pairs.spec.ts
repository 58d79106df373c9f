// The key pairs written with node:crypto are the keys openpgp's generateKey writes with the same settings,
// field for field and subpacket for subpacket, and openpgp verifies and uses them (GnuPG reads them in
// gnupg-interop.spec.ts, through generateScopeKeyPair and generateStaffKeyPair).
import { createMessage, decrypt, encrypt, generateKey, readMessage, readPrivateKey } from 'openpgp';
import type { PrivateKey } from 'openpgp';
import { packetSpans } from '../testing/crypto-test-support';
import * as keyPairs from './curve25519-key-pairs';
import { curve25519KeyPair } from './curve25519-key-pairs';
import { FULL_PGP_CONFIG, PGP_CONFIG, generateV4KeyPair, packetDate, validAt } from './openpgp-settings';

/** The types (with the critical bit) and lengths of a v4 signature's hashed subpackets, in order. */
function hashedSubpackets(signatureBody: Uint8Array): string[] {
  const length = ((signatureBody[4] ?? 0) << 8) | (signatureBody[5] ?? 0);
  const area = signatureBody.subarray(6, 6 + length);
  const found: string[] = [];
  for (let offset = 0; offset < area.length;) {
    const size = area[offset] ?? 0; // every subpacket here is under 192 bytes
    found.push(`${area[offset + 1]}:${size}`);
    offset += 1 + size;
  }
  return found;
}

function packetsOf(bytes: Uint8Array): { tag: number; body: Uint8Array }[] {
  return packetSpans(bytes).map((span) => ({
    tag: span.tag,
    body: bytes.subarray(span.bodyStart, span.end),
  }));
}

async function both(userID: { name: string; email?: string }): Promise<[Uint8Array, Uint8Array]> {
  const date = packetDate();
  const ours = curve25519KeyPair(userID, date);
  const { privateKey: theirs } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userID],
    date,
    format: 'binary',
    config: PGP_CONFIG,
  });
  return [ours, theirs];
}

describe('key pairs written with node:crypto', () => {
  it('are laid out as openpgp lays out its own: packets, key fields and signature subpackets', async () => {
    for (const userID of [
      { name: 'Nolan case scope: report' },
      { name: 'A Handler', email: 'a@example.org' },
    ]) {
      const [ours, theirs] = await both(userID);
      const ourPackets = packetsOf(ours);
      const theirPackets = packetsOf(theirs);
      expect(ourPackets.map((p) => p.tag)).toEqual(theirPackets.map((p) => p.tag));
      expect(ourPackets.map((p) => p.tag)).toEqual([5, 13, 2, 7, 2]);
      for (const [index, ours] of ourPackets.entries()) {
        const theirs = theirPackets[index] as { tag: number; body: Uint8Array };
        if (ours.tag === 2) {
          // Version, type, algorithms, and each hashed subpacket's type and size.
          expect(Buffer.from(ours.body.subarray(0, 4))).toEqual(Buffer.from(theirs.body.subarray(0, 4)));
          expect(hashedSubpackets(ours.body)).toEqual(hashedSubpackets(theirs.body));
        } else if (ours.tag === 13) {
          expect(Buffer.from(ours.body)).toEqual(Buffer.from(theirs.body));
        } else {
          // The public part whole but for the point's 32 random bytes: version, creation time, algorithm,
          // curve, the point's MPI header and 0x40, and (for the subkey) the KDF; then the secret's S2K
          // usage (unprotected).
          const pointAt = ours.tag === 5 ? 19 : 20;
          const publicEnd = pointAt + 32 + (ours.tag === 5 ? 0 : 4);
          const masked = (body: Uint8Array) =>
            Buffer.concat([body.subarray(0, pointAt), body.subarray(pointAt + 32, publicEnd + 1)]);
          expect(masked(ours.body)).toEqual(masked(theirs.body));
          expect(ours.body[publicEnd]).toBe(0);
          if (ours.tag === 7) {
            // The X25519 secret, clamped, is always a 255-bit MPI: its header is fixed.
            expect(Buffer.from(ours.body.subarray(publicEnd + 1, publicEnd + 3))).toEqual(
              Buffer.from(theirs.body.subarray(publicEnd + 1, publicEnd + 3)),
            );
          }
        }
      }
      const [ourKey, theirKey] = await Promise.all([
        readPrivateKey({ binaryKey: ours, config: PGP_CONFIG }),
        readPrivateKey({ binaryKey: theirs, config: PGP_CONFIG }),
      ]);
      const summary = async (key: PrivateKey) => {
        const { selfCertification: cert } = await key.getPrimaryUser(validAt(), undefined, FULL_PGP_CONFIG);
        const [subkey] = key.getSubkeys();
        const binding = subkey?.bindingSignatures[0];
        return {
          userIDs: key.getUserIDs(),
          algorithm: key.getAlgorithmInfo(),
          created: key.getCreationTime(),
          subkey: subkey?.getAlgorithmInfo(),
          kdf: (subkey?.keyPacket.publicParams as { kdfParams?: { hash: number; cipher: number } })
            ?.kdfParams,
          subkeyCreated: subkey?.getCreationTime(),
          cert: {
            symmetric: cert.preferredSymmetricAlgorithms,
            hash: cert.preferredHashAlgorithms,
            compression: cert.preferredCompressionAlgorithms,
            keyFlags: cert.keyFlags,
            features: cert.features,
            primary: cert.isPrimaryUserID,
            notations: cert.rawNotations.map(({ name, value }) => [name, value.length]),
          },
          binding: {
            keyFlags: binding?.keyFlags,
            notations: binding?.rawNotations.map(({ name, value }) => [name, value.length]),
          },
        };
      };
      expect(await summary(ourKey)).toEqual(await summary(theirKey));
    }
  });

  it('verify, and encrypt, decrypt, sign and check a signature as openpgp’s own do', async () => {
    const key = await generateV4KeyPair({ name: 'Nolan reporter' });
    await expect(key.verifyPrimaryKey(validAt(), undefined, FULL_PGP_CONFIG)).resolves.toBeUndefined();
    const encryptionKey = await key.getEncryptionKey(undefined, validAt(), undefined, FULL_PGP_CONFIG);
    expect(encryptionKey.getKeyID().equals(key.getKeyID())).toBe(false);
    const armored = await encrypt({
      message: await createMessage({ text: 'a concern' }),
      encryptionKeys: key.toPublic(),
      signingKeys: key,
      date: validAt(),
      config: PGP_CONFIG,
    });
    const { data, signatures } = await decrypt({
      message: await readMessage({ armoredMessage: armored }),
      decryptionKeys: key,
      verificationKeys: key.toPublic(),
      expectSigned: true,
      date: validAt(),
      config: PGP_CONFIG,
    });
    expect(data).toBe('a concern');
    await expect(signatures[0]?.verified).resolves.toBe(true);
  });

  it('are refused by openpgp once a self-signature is altered', async () => {
    const bytes = curve25519KeyPair({ name: 'Nolan case scope: internal' }, packetDate());
    const spans = packetSpans(bytes).filter((span) => span.tag === 2);
    const [certification, binding] = spans;
    const flipped = (at: number) => {
      const copy = bytes.slice();
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      return readPrivateKey({ binaryKey: copy, config: PGP_CONFIG });
    };
    // The last byte of each signature is S's last byte.
    const badCertification = await flipped((certification?.end ?? 0) - 1);
    await expect(badCertification.verifyPrimaryKey(validAt(), undefined, FULL_PGP_CONFIG)).rejects.toThrow();
    const badBinding = await flipped((binding?.end ?? 0) - 1);
    await expect(
      badBinding.getEncryptionKey(undefined, validAt(), undefined, FULL_PGP_CONFIG),
    ).rejects.toThrow();
  });

  it('are new every time, dated to the hour they are made in', async () => {
    const [first, second] = await Promise.all([
      generateV4KeyPair({ name: 'Nolan case scope: report' }),
      generateV4KeyPair({ name: 'Nolan case scope: report' }),
    ]);
    expect(first.getFingerprint()).not.toBe(second.getFingerprint());
    expect(first.getSubkeys()[0]?.getFingerprint()).not.toBe(second.getSubkeys()[0]?.getFingerprint());
    expect(first.getCreationTime().getTime()).toBe(packetDate().getTime());
  });

  it('are made by openpgp if node:crypto fails, which is said once, as a warning', async () => {
    const failing = jest.spyOn(keyPairs, 'curve25519KeyPair').mockImplementation(() => {
      throw new Error('no Ed25519 here');
    });
    const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const [first, second] = [
        await generateV4KeyPair({ name: 'Nolan case scope: report' }),
        await generateV4KeyPair({ name: 'Nolan case scope: report' }),
      ];
      for (const key of [first, second]) {
        await expect(key.verifyPrimaryKey(validAt(), undefined, FULL_PGP_CONFIG)).resolves.toBeUndefined();
      }
      expect(failing).toHaveBeenCalledTimes(2);
      const said = warning.mock.calls.filter(
        ([, options]) => (options as { code?: string } | undefined)?.code === 'NOLAN_CRYPTO_FALLBACK',
      );
      expect(said).toHaveLength(1);
      expect(String(said[0]?.[0])).toMatch(/key pairs made with node:crypto failed/);
    } finally {
      failing.mockRestore();
      warning.mockRestore();
    }
  });

  it('are checked by openpgp where they are made, so that using one checks no signature again', async () => {
    const verifying = jest.spyOn(globalThis.crypto.subtle, 'verify');
    try {
      const key = await generateV4KeyPair({ name: 'Nolan case scope: report' });
      const checkedWhenMade = verifying.mock.calls.length;
      expect(checkedWhenMade).toBeGreaterThanOrEqual(2);
      // What intake does with a new key: its public half encrypted to, its private half signing.
      const publicKey = key.toPublic();
      await publicKey.verifyPrimaryKey(validAt(), undefined, FULL_PGP_CONFIG);
      await publicKey.getEncryptionKey(undefined, validAt(), undefined, FULL_PGP_CONFIG);
      await key.getSigningKey(undefined, validAt(), undefined, FULL_PGP_CONFIG);
      expect(verifying.mock.calls.length).toBe(checkedWhenMade);
    } finally {
      verifying.mockRestore();
    }
  });
});
