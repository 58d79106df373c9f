/**
 * The plaintext layout of case items before encryption. A JSON item is its UTF-8 JSON; a file is a
 * 4-byte header length, a JSON header ({ name, mediaType }) and the bytes — so names and types are
 * encrypted with the file, and nothing about a file but its size class is readable in the store.
 */
export interface FileHeader {
  name: string;
  mediaType: string;
}

export function packJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function unpackJson<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

export function packFile(header: FileHeader, bytes: Uint8Array): Uint8Array {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length);
  return Buffer.concat([length, head, bytes]);
}

export function unpackFile(packed: Uint8Array): { header: FileHeader; bytes: Buffer } {
  const buffer = Buffer.from(packed);
  const length = buffer.readUInt32BE(0);
  return {
    header: JSON.parse(buffer.subarray(4, 4 + length).toString('utf8')) as FileHeader,
    bytes: buffer.subarray(4 + length),
  };
}
