// Detached signatures written with node:crypto are the packets openpgp's sign writes, openpgp verifies
// them, and a key of another shape is still signed for by openpgp.
import { createMessage, generateKey, readSignature, sign, verify } from 'openpgp';
import { packetSpans } from '../testing/crypto-test-support';
import { detachedSignature, eddsaSigningKey } from './eddsa-signatures';
import { signDetached, verifyDetached } from './item-signatures';
import { privateKeyOf, publicKeyHandleOf, unlockedKeyOf } from './key-handles';
import { FULL_PGP_CONFIG, PGP_CONFIG, generateV4KeyPair, packetDate, validAt } from './openpgp-settings';

/** The types (with the critical bit) and sizes of a v4 signature's hashed subpackets, in order. */
function hashedSubpackets(signaturePacket: Uint8Array): string[] {
  const [span] = packetSpans(signaturePacket);
  const body = signaturePacket.subarray(span?.bodyStart ?? 0, span?.end ?? 0);
  const length = ((body[4] ?? 0) << 8) | (body[5] ?? 0);
  const area = body.subarray(6, 6 + length);
  const found: string[] = [];
  for (let offset = 0; offset < area.length;) {
    const size = area[offset] ?? 0;
    found.push(`${area[offset + 1]}:${size}`);
    offset += 1 + size;
  }
  return found;
}

describe('detached signatures written with node:crypto', () => {
  const statement = new TextEncoder().encode('item 1 of case 2, by the reporter, at the hour');

  it('are laid out as openpgp lays out its own, dated to the hour', async () => {
    const key = await generateV4KeyPair({ name: 'Nolan reporter' });
    const date = packetDate();
    const signing = await eddsaSigningKey(key, date, FULL_PGP_CONFIG);
    expect(signing).not.toBeNull();
    const ours = detachedSignature(statement, signing as NonNullable<typeof signing>, date);
    const theirs = await sign({
      message: await createMessage({ binary: statement, date }),
      signingKeys: key,
      date,
      detached: true,
      format: 'binary',
      config: PGP_CONFIG,
    });
    // The tag, then version, type, algorithms and the hashed area's length (not the packet's length: R
    // and S are MPIs, a byte shorter when one starts with a zero byte), then each subpacket's type and size.
    expect(ours[0]).toBe(theirs[0]);
    expect(Buffer.from(ours.subarray(2, 8))).toEqual(Buffer.from(theirs.subarray(2, 8)));
    expect(hashedSubpackets(ours)).toEqual(hashedSubpackets(theirs));
    const parsed = await readSignature({ binarySignature: ours });
    expect(parsed.packets[0]?.created?.getTime()).toBe(date.getTime());
    // openpgp itself verifies it.
    const { signatures } = await verify({
      message: await createMessage({ binary: statement }),
      signature: parsed,
      verificationKeys: key.toPublic(),
      date: validAt(),
      config: PGP_CONFIG,
    });
    await expect(signatures[0]?.verified).resolves.toBe(true);
  });

  it('are what signDetached makes for the keys Nolan makes, and openpgp verifies them', async () => {
    const key = unlockedKeyOf(await generateV4KeyPair({ name: 'Nolan reporter' }));
    expect(await eddsaSigningKey(privateKeyOf(key), packetDate(), FULL_PGP_CONFIG)).not.toBeNull();
    const warning = jest.spyOn(process, 'emitWarning');
    const signature = await signDetached(statement, key).finally(() => warning.mockRestore());
    // Made by node:crypto: nothing fell back to openpgp.
    expect(warning).not.toHaveBeenCalled();
    expect(await verifyDetached(statement, signature, key.publicKey())).toBe(true);
    const altered = statement.slice();
    altered[0] = (altered[0] ?? 0) ^ 0x01;
    expect(await verifyDetached(altered, signature, key.publicKey())).toBe(false);
    const forged = signature.slice();
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0x01;
    expect(await verifyDetached(statement, forged, key.publicKey())).toBe(false);
    const other = unlockedKeyOf(await generateV4KeyPair({ name: 'Nolan reporter' }));
    expect(await verifyDetached(statement, signature, other.publicKey())).toBe(false);
  });

  it('are left to openpgp for a key of another shape', async () => {
    const { privateKey: rsa } = await generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs: [{ name: 'an RSA key' }],
      date: packetDate(),
      format: 'object',
      config: PGP_CONFIG,
    });
    // A valid signing key now (openpgp signs with it below), but not EdDSA.
    expect(await rsa.getSigningKey(undefined, packetDate(), undefined, FULL_PGP_CONFIG)).toBeDefined();
    expect(await eddsaSigningKey(rsa, packetDate(), FULL_PGP_CONFIG)).toBeNull();
    const signature = await signDetached(statement, unlockedKeyOf(rsa));
    expect(await verifyDetached(statement, signature, publicKeyHandleOf(rsa.toPublic()))).toBe(true);
  });
});

describe('a signing key whose seed is not its public point', () => {
  it('is not used by node:crypto, whose import would not notice', async () => {
    const key = await generateV4KeyPair({ name: 'Nolan reporter' });
    const other = await generateV4KeyPair({ name: 'Nolan reporter' });
    const packet = key.keyPacket as unknown as { privateParams: { seed: Uint8Array } };
    const otherPacket = other.keyPacket as unknown as { privateParams: { seed: Uint8Array } };
    packet.privateParams.seed = otherPacket.privateParams.seed;
    expect(await eddsaSigningKey(key, packetDate(), FULL_PGP_CONFIG)).toBeNull();
  });
});
