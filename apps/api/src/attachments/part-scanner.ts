/**
 * Busboy, the multipart parser, skips a part whose Content-Disposition it cannot read (a bare quote in a
 * filename) without a word, and a file a reporter attached was once dropped that way while the report
 * was accepted. This scanner reads the same bytes alongside it and keeps each part's raw headers, so the
 * interceptor can tell when busboy saw fewer parts than the body holds, and name the ones it lost.
 */
import busboy from 'busboy';

const MAX_HEADER_CHARS = 1024;

export class PartScanner {
  private readonly delimiter: string;
  /** Stream offset of `carry[0]`. */
  private base = 0;
  /** Unexamined text kept from the last chunk, so a delimiter split across chunks is still found. */
  private carry = '\r\n';
  private closed = false;
  /** Each part's header text (latin1, as on the wire), up to the blank line or 1 KB. */
  readonly headers: { start: number; text: string; done: boolean }[] = [];

  constructor(boundary: string) {
    this.delimiter = `\r\n--${boundary}`;
    // The first delimiter may open the body without a line break before it: the carry supplies one.
    this.base = -2;
  }

  write(chunk: Buffer): void {
    if (this.closed) return;
    const text = this.carry + chunk.toString('latin1');
    this.continueHeaders(text);
    let from = 0;
    let keepFrom = Math.max(0, text.length - this.delimiter.length - 1);
    for (;;) {
      const at = text.indexOf(this.delimiter, from);
      if (at < 0) break;
      const after = at + this.delimiter.length;
      if (after + 2 > text.length) {
        keepFrom = Math.min(keepFrom, at);
        break;
      }
      if (text.startsWith('--', after)) {
        this.closed = true;
        return;
      }
      const start = this.base + text.indexOf('\r\n', after) + 2;
      this.headers.push({ start, text: '', done: false });
      this.continueHeaders(text);
      from = after;
      keepFrom = Math.max(keepFrom, after);
    }
    this.base += keepFrom;
    this.carry = text.slice(keepFrom);
  }

  private continueHeaders(text: string): void {
    const last = this.headers.at(-1);
    if (!last || last.done) return;
    const offset = last.start + last.text.length - this.base;
    if (offset < 0 || offset > text.length) return;
    last.text += text.slice(offset, offset + MAX_HEADER_CHARS - last.text.length);
    const end = last.text.indexOf('\r\n\r\n');
    if (end >= 0) last.text = last.text.slice(0, end);
    if (end >= 0 || last.text.length >= MAX_HEADER_CHARS) last.done = true;
  }
}

/** Would busboy read a part with these headers? (Asked of busboy itself, on those bytes alone.) */
export function busboyReadsPart(headerText: string): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = false;
    try {
      const parser = busboy({ headers: { 'content-type': 'multipart/form-data; boundary=nolanprobe' } });
      parser.on('file', (_name, stream) => {
        seen = true;
        stream.resume();
      });
      parser.on('field', () => (seen = true));
      parser.on('error', () => resolve(false));
      parser.on('close', () => resolve(seen));
      parser.end(Buffer.from(`--nolanprobe\r\n${headerText}\r\n\r\nx\r\n--nolanprobe--\r\n`, 'latin1'));
    } catch {
      resolve(false);
    }
  });
}

/** A part's headers as a person can read them in an error message: UTF-8, line breaks shown, short. */
export function describeHeader(headerText: string): string {
  const disposition =
    headerText.split(/\r\n(?=[A-Za-z-]+:)/).find((line) => /^content-disposition:/i.test(line)) ?? headerText;
  return (
    Buffer.from(disposition, 'latin1')
      .toString('utf8')
      .replace(/\r/g, '\\r')
      .replace(/\n/g, '\\n')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
      .replace(/[\u0000-\u001f\u007f]/g, '?')
      .slice(0, 160)
  );
}
