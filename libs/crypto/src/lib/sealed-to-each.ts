// Why this exists: a message to one or more public keys is an encrypted-data packet under a fresh session
// key, and per recipient a packet that gives them that session key (a PKESK). Content to a scope and a
// scope's grants are both made that way, and the recipients' packets are where the public-key work is,
// so they are made here, in one place: with node:crypto where the key is of the shape Nolan makes
// (x25519-session-key.ts; about an eighth of openpgp's CPU), with openpgp's encryptSessionKey otherwise.
// Implements docs/architecture.md "Encryption model" (its cost: docs/performance.md "Session-key packets
// with node:crypto").
import { encrypt, encryptSessionKey, generateSessionKey } from 'openpgp';
import type { Message, PublicKey } from 'openpgp';
import { PGP_CONFIG, validAt } from './openpgp-settings';
import { x25519KeyPacket } from './x25519-session-key';

export interface SealedToEach {
  /** Each recipient's session-key packet, in the order the recipients were given. */
  keyPackets: Uint8Array[];
  /** The one encrypted-data packet (SEIPDv1 with MDC) every recipient's packet opens. */
  sealed: Uint8Array;
}

/**
 * Encrypts `message` once under a fresh session key, its cipher the one every recipient's key accepts
 * (AES-256 for the keys this system makes), as a message to all of them would pick. AEAD is dropped even
 * if every key offered it: messages stay SEIPDv1 with MDC, which GnuPG 2.2 reads (docs/architecture.md
 * "OpenPGP profile"). A recipient's packet followed by `sealed` is a complete, standard OpenPGP message to
 * that recipient, byte for byte what openpgp's encrypt writes to them but for the random values.
 */
export async function sealToEach(
  message: Message<Uint8Array>,
  recipients: readonly PublicKey[],
): Promise<SealedToEach> {
  const date = validAt();
  const { data, algorithm } = await generateSessionKey({
    encryptionKeys: [...recipients],
    date,
    config: PGP_CONFIG,
  });
  const sessionKey = { data, algorithm };
  // With a session key and no recipient, openpgp writes the encrypted-data packet alone.
  const sealed = await encrypt({ message, sessionKey, format: 'binary', config: PGP_CONFIG });
  const keyPackets = await Promise.all(
    recipients.map(
      async (recipient) =>
        (await x25519KeyPacket(recipient, sessionKey, date)) ??
        encryptSessionKey({
          ...sessionKey,
          encryptionKeys: recipient,
          date,
          format: 'binary',
          config: PGP_CONFIG,
        }),
    ),
  );
  return { keyPackets, sealed };
}

/** One recipient's packet and the encrypted data, as one message. */
export function messageOf(keyPacket: Uint8Array, sealed: Uint8Array): Uint8Array {
  const message = new Uint8Array(keyPacket.length + sealed.length);
  message.set(keyPacket, 0);
  message.set(sealed, keyPacket.length);
  return message;
}
