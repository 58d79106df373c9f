// Every OpenPGP packet we make keeps only the hour (docs/architecture.md "Reporter time"): a scope key
// is made at intake, an item's signature is readable in a copy of the database without any key, and the
// literal packet inside a message is what a handler decrypts. None of them may say when a reporter acted.
import { readKey, readSignature } from 'openpgp';
import { signDetached } from './item-signatures';
import { UnlockedKey } from './key-handles';
import { literalMessage, packetDate } from './openpgp-settings';
import { generateScopeKeyPair } from './scope-keys';
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
});
