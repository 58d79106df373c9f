// Every OpenPGP packet we make keeps only the hour (docs/architecture.md "Reporter time"): a scope key
// is made at intake, an item's signature is readable in a copy of the database without any key, and the
// literal packet inside a message is what a handler decrypts. None of them may say when a reporter acted.
import { createMessage, generateKey, readKey, readSignature, sign } from 'openpgp';
import { signDetached, verifyDetached } from './item-signatures';
import { PublicKeyHandle, UnlockedKey } from './key-handles';
import { literalMessage, packetDate, PGP_CONFIG } from './openpgp-settings';
import { decryptWithScope, encryptToScope, generateScopeKeyPair } from './scope-keys';
import { generateSigningKeyPair } from './signing-keys';

const HOUR = 60 * 60 * 1000;
const onTheHour = (date: Date) => date.getTime() % HOUR === 0;

describe('OpenPGP packet dates', () => {
  it('puts a time on the hour, never after now, whatever the minute', () => {
    for (const minute of [0, 3, 7, 59]) {
      const now = Date.UTC(2026, 11, 6, 14, minute, 27, 345);
      const date = packetDate(now);
      expect(onTheHour(date)).toBe(true);
      expect(date.getTime()).toBeLessThanOrEqual(now);
      expect(now - date.getTime()).toBeLessThan(HOUR + 5 * 60 * 1000);
    }
  });

  it('makes scope keys and signing keys created on the hour', async () => {
    const scope = await readKey({ binaryKey: (await generateScopeKeyPair('report')).publicKey });
    expect(onTheHour(scope.getCreationTime())).toBe(true);
    const signing = await readKey({
      armoredKey: (await generateSigningKeyPair({ name: 'Council' })).publicKey,
    });
    expect(onTheHour(signing.getCreationTime())).toBe(true);
  });

  it('signs an item with a signature created on the hour', async () => {
    const key = await UnlockedKey.fromSerialized(
      (await generateSigningKeyPair({ name: 'Council' })).privateKey,
    );
    const signature = await readSignature({
      binarySignature: await signDetached(new TextEncoder().encode('an item'), key),
    });
    const created = signature.packets[0]?.created;
    expect(created).toBeInstanceOf(Date);
    expect(onTheHour(created as Date)).toBe(true);
  });

  it('writes literal data dated on the hour', async () => {
    const message = await literalMessage('a reporter’s words');
    const literal = message.packets.findPacket(11 as never) as unknown as { date: Date } | undefined;
    expect(literal).toBeDefined();
    expect(onTheHour((literal as { date: Date }).date)).toBe(true);
  });

  it('dates a packet made in an hour’s first minutes to that hour, the hour its row carries', () => {
    // A case's received_at and an item's time are the start of the clock hour: a packet dated to the hour
    // before would say the reporter acted in this hour's first minutes.
    for (const minute of [0, 2, 4, 5, 30, 59]) {
      const now = Date.UTC(2026, 11, 6, 14, minute, 27, 345);
      expect(packetDate(now).toISOString()).toBe('2026-12-06T14:00:00.000Z');
    }
  });

  it('accepts a key and a signature made on a host whose clock is a few minutes ahead', async () => {
    // Another host's hour has just begun; this host's clock still says the hour before.
    const ahead = new Date(Date.now() + 3 * 60 * 1000);
    const { privateKey } = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Scope' }],
      date: ahead,
      format: 'object',
      config: PGP_CONFIG,
    });
    const publicKey = await PublicKeyHandle.parse(privateKey.toPublic().armor());
    const sealed = await encryptToScope(new TextEncoder().encode('a reporter’s words'), publicKey);
    const opened = await decryptWithScope(sealed, privateKey.write() as Uint8Array);
    expect(new TextDecoder().decode(opened)).toBe('a reporter’s words');
    const statement = new TextEncoder().encode('an item');
    const signature = await sign({
      message: await createMessage({ binary: statement }),
      signingKeys: privateKey,
      date: ahead,
      detached: true,
      format: 'binary',
      config: PGP_CONFIG,
    });
    expect(await verifyDetached(statement, signature, publicKey)).toBe(true);
  });
});
