// Why this exists: the few OpenPGP encodings this library writes itself with node:crypto (key pairs,
// session-key packets, signatures: docs/architecture.md "OpenPGP profile"), written once: big-endian
// lengths, multiprecision integers, new-format packet and subpacket headers, and the two-byte checksum a
// secret key and a v3 session key carry. openpgp reads every packet made with them.
// Supports docs/architecture.md "OpenPGP profile".

export function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

export function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/** A multiprecision integer: its length in bits, then its bytes without leading zeros (RFC 4880 §3.2). */
export function mpi(value: Uint8Array): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const bytes = Buffer.from(value.subarray(start));
  const first = bytes[0] ?? 0;
  // Zero has no bytes at all; no key or signature value here may be zero (one in 2^256 would be).
  if (first === 0) throw new Error('a zero MPI');
  const bits = (bytes.length - 1) * 8 + (32 - Math.clz32(first));
  return Buffer.concat([u16(bits), bytes]);
}

/** A packet with a new-format header (RFC 4880 §4.2.2); every packet here is under 8,384 bytes. */
export function packet(tag: number, body: Buffer): Buffer {
  const length = body.length;
  const header =
    length < 192
      ? Buffer.from([0xc0 | tag, length])
      : Buffer.from([0xc0 | tag, ((length - 192) >> 8) + 192, (length - 192) & 0xff]);
  return Buffer.concat([header, body]);
}

export function subpacket(type: number, body: Buffer): Buffer {
  // Every subpacket here is under 192 bytes: a one-byte length, which counts the type.
  return Buffer.concat([Buffer.from([body.length + 1, type]), body]);
}

/** OpenPGP's two-byte checksum (a secret key's MPIs, a v3 session key): the sum of the bytes, mod 65536. */
export function checksum(bytes: Uint8Array): Buffer {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) % 65536;
  return u16(sum);
}
