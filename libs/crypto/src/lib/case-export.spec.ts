// Exports (docs/architecture.md "Exports"): a signed, encrypted, armored OpenPGP message. The
// GnuPG side of the same promise is in gnupg-interop.spec.ts.
import { generateKey, readMessage } from 'openpgp';
import { cheapUnlockedKey, expectCryptoError } from '../testing/crypto-test-support';
import {
  exportForRecipient,
  exportForRecipientBinary,
  verifyAndDecryptBinaryExport,
  verifyAndDecryptExport,
} from './case-export';
import { PublicKeyHandle } from './key-handles';
import type { UnlockedKey } from './key-handles';

const content = 'Case NOL-2026-0042\r\nFindings: substantiated.\nLlanelli — Ŵ\n';

describe('case export', () => {
  let recipient: UnlockedKey;
  let tenant: UnlockedKey;
  let stranger: UnlockedKey;

  beforeAll(async () => {
    [recipient, tenant, stranger] = await Promise.all([
      cheapUnlockedKey(),
      cheapUnlockedKey(),
      cheapUnlockedKey(),
    ]);
  });

  it('round-trips content and file name, signed by the tenant', async () => {
    const armored = await exportForRecipient({
      content,
      filename: 'NOL-2026-0042.txt',
      recipient: recipient.publicKey(),
      signer: tenant,
    });
    const verified = await verifyAndDecryptExport({ armored, recipient, signer: tenant.publicKey() });
    expect(new TextDecoder().decode(verified.content)).toBe(content);
    expect(verified.filename).toBe('NOL-2026-0042.txt');
  });

  it('exports bytes unchanged', async () => {
    const bytes = new Uint8Array([0, 255, 13, 10, 10, 13, 1]);
    const armored = await exportForRecipient({
      content: bytes,
      recipient: recipient.publicKey(),
      signer: tenant,
    });
    expect(
      (await verifyAndDecryptExport({ armored, recipient, signer: tenant.publicKey() })).content,
    ).toEqual(bytes);
  });

  it('writes plain armor: no version or comment header, SEIPDv1, signature inside the encryption', async () => {
    const armored = await exportForRecipient({ content, recipient: recipient.publicKey(), signer: tenant });
    expect(armored.startsWith('-----BEGIN PGP MESSAGE-----\n\n')).toBe(true);
    expect(armored).not.toMatch(/^(Version|Comment):/m);
    const message = await readMessage({ armoredMessage: armored });
    expect(message.packets.map((packet) => (packet.constructor as unknown as { tag: number }).tag)).toEqual([
      1, 18,
    ]);
    expect((message.packets[1] as unknown as { version: number }).version).toBe(1);
  });

  it('refuses an export not signed by the expected signer with TAMPERED', async () => {
    const armored = await exportForRecipient({ content, recipient: recipient.publicKey(), signer: stranger });
    await expectCryptoError(
      verifyAndDecryptExport({ armored, recipient, signer: tenant.publicKey() }),
      'TAMPERED',
    );
  });

  it('refuses an export for someone else with NOT_A_RECIPIENT', async () => {
    const armored = await exportForRecipient({ content, recipient: recipient.publicKey(), signer: tenant });
    await expectCryptoError(
      verifyAndDecryptExport({ armored, recipient: stranger, signer: tenant.publicKey() }),
      'NOT_A_RECIPIENT',
    );
  });

  it('detects an altered export', async () => {
    const armored = await exportForRecipient({ content, recipient: recipient.publicKey(), signer: tenant });
    const lines = armored.split('\n');
    // Alter one base64 character in the middle of the body (not the checksum line).
    const index = Math.floor(lines.length / 2);
    const line = lines[index] ?? '';
    lines[index] = `${line.slice(0, 10)}${line[10] === 'A' ? 'B' : 'A'}${line.slice(11)}`;
    await expectCryptoError(
      verifyAndDecryptExport({ armored: lines.join('\n'), recipient, signer: tenant.publicKey() }),
      'TAMPERED',
    );
  });

  it('refuses text that is not an armored message with INVALID_MESSAGE', async () => {
    await expectCryptoError(
      verifyAndDecryptExport({ armored: 'hello', recipient, signer: tenant.publicKey() }),
      'INVALID_MESSAGE',
    );
  });

  it('refuses a recipient key that cannot encrypt with INVALID_KEY', async () => {
    const signOnly = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'S' }],
      subkeys: [],
      format: 'binary',
    });
    const handle = await PublicKeyHandle.parse(signOnly.publicKey);
    await expectCryptoError(
      exportForRecipient({ content, recipient: handle, signer: tenant }),
      'INVALID_KEY',
    );
  });
});

describe('binary case export', () => {
  let recipient: UnlockedKey;
  let tenant: UnlockedKey;

  beforeAll(async () => {
    [recipient, tenant] = await Promise.all([cheapUnlockedKey(), cheapUnlockedKey()]);
  });

  it('round-trips bytes and file name as binary OpenPGP packets (PKESK, SEIPDv1)', async () => {
    const bytes = new Uint8Array([80, 75, 3, 4, 0, 255, 13, 10]);
    const message = await exportForRecipientBinary({
      content: bytes,
      filename: 'NOL-2026-0042.zip',
      recipient: recipient.publicKey(),
      signer: tenant,
    });
    expect(message).toBeInstanceOf(Uint8Array);
    const parsed = await readMessage({ binaryMessage: message });
    expect(parsed.packets.map((packet) => (packet.constructor as unknown as { tag: number }).tag)).toEqual([
      1, 18,
    ]);
    const verified = await verifyAndDecryptBinaryExport({ message, recipient, signer: tenant.publicKey() });
    expect(verified.content).toEqual(bytes);
    expect(verified.filename).toBe('NOL-2026-0042.zip');
  });

  it('detects a flipped byte anywhere in the encrypted data', async () => {
    const message = await exportForRecipientBinary({
      content: 'x'.repeat(2000),
      recipient: recipient.publicKey(),
      signer: tenant,
    });
    for (const at of [message.length - 1, Math.floor(message.length / 2), message.length - 40]) {
      const altered = message.slice();
      altered[at] = (altered[at] as number) ^ 0x01;
      await expectCryptoError(
        verifyAndDecryptBinaryExport({ message: altered, recipient, signer: tenant.publicKey() }),
        'TAMPERED',
      );
    }
  });

  it('refuses bytes that are not an OpenPGP message with INVALID_MESSAGE', async () => {
    await expectCryptoError(
      verifyAndDecryptBinaryExport({
        message: new TextEncoder().encode('PK not a message'),
        recipient,
        signer: tenant.publicKey(),
      }),
      'INVALID_MESSAGE',
    );
  });
});
