/**
 * Size buckets for scope content (docs/architecture.md "Reporter time"): an OpenPGP message is as long
 * as what it holds plus a fixed overhead, so without padding a dump tells the length of every report,
 * message, identity and file. Each message encrypted to a scope carries, after its literal data and
 * inside the encryption, an OpenPGP Padding packet (RFC 9580 §5.15) sized so that the encrypted packets
 * fill the content's bucket exactly:
 * - up to 4 KiB: one bucket (almost every report, message and identity);
 * - up to 64 KiB: the next power of two;
 * - beyond: Padmé (the length rounded so at most about half its bits are significant; overhead under
 *   12%, and a size known only to about 1/32 of itself or coarser).
 * Readers ignore Padding packets: openpgp.js drops them and GnuPG 2.2 skips them (gnupg-interop.spec.ts
 * decrypts padded scope content with gpg), so the plaintext is exactly what was written.
 */
import * as pgp from 'openpgp';
import type { Message } from 'openpgp';

export const SMALLEST_BUCKET = 4096;
const POWER_OF_TWO_UP_TO = 65536;
/** The smallest Padding packet we add (tag, length and a body of at least one byte). */
const MIN_PADDING = 8;

interface PaddingPacketLike {
  /** The packet's body as written. Zeros: it is inside the encryption, and never compressed. */
  padding: Uint8Array | null;
}
/** openpgp 6 implements the Padding packet but its type declarations do not list it. */
const { PaddingPacket } = pgp as unknown as { PaddingPacket: new () => PaddingPacketLike };

/** The bucket for `length` bytes of encrypted packets. */
export function bucketOf(length: number): number {
  if (length <= SMALLEST_BUCKET) return SMALLEST_BUCKET;
  if (length <= POWER_OF_TWO_UP_TO) return 2 ** Math.ceil(Math.log2(length));
  const e = Math.floor(Math.log2(length));
  const s = Math.floor(Math.log2(e)) + 1;
  const step = 2 ** (e - s);
  return Math.ceil(length / step) * step;
}

/** Adds the Padding packet that brings `message`'s packets to their bucket; returns the message. */
export function padToBucket<T extends Message<Uint8Array>>(message: T): T {
  const unpadded = message.packets.write().length;
  const target = bucketOf(unpadded + MIN_PADDING);
  // A packet's length header is 2 to 6 bytes depending on its body: start from the body that would fill
  // the bucket with the shortest header and correct by what the real header adds.
  let body = target - unpadded - 2;
  for (let attempt = 0; attempt < 4; attempt++) {
    const padding = new PaddingPacket();
    // Not createPadding: it draws from getRandomValues, which refuses more than 64 KiB at once.
    padding.padding = new Uint8Array(body);
    // Measured alone, so a large file is not serialised again for each try.
    const alone = new pgp.PacketList();
    alone.push(padding as never);
    const over = unpadded + alone.write().length - target;
    if (over === 0) {
      message.packets.push(padding as never);
      return message;
    }
    body -= over;
  }
  throw new Error(`could not pad ${unpadded} bytes to ${target}`);
}
