/**
 * Reading the annual report's downloads in tests: the text a PDF draws, the rows of a CSV, and a
 * supertest parser that keeps a binary body as its bytes (docs/dashboard.md "The annual report").
 */
import { inflateSync } from 'node:zlib';

/** The text drawn in a PDF made by pdf-lib: its content streams, inflated, and their hex strings decoded. */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  const re = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(raw))) {
    const start = match.index + match[0].length;
    const bytes = Buffer.from(raw.slice(start, raw.indexOf('endstream', start)), 'latin1');
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const m of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      out.push(Buffer.from(m[1] as string, 'hex').toString('latin1'));
  }
  return out.join('\n');
}

/** The rows of a CSV (RFC 4180: quoted cells may hold commas and doubled quotes). */
export function csvRows(text: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!).slice(0, -1))
    .map((cells) => cells.map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)));
}

/** supertest's parser for a binary body, so a PDF arrives as its bytes. */
export const binary = (res: NodeJS.ReadableStream, cb: (e: Error | null, b: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
