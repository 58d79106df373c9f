import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { fromBuffer } from 'file-type';
import { DocxUnreadableError, scrubDocx } from './docx-scrubber';
import { wordDocumentWithAuthor } from './testing/attachment-fixtures';

describe('scrubDocx', () => {
  it('takes the author out of the properties, changes, comments and people, and keeps the words', async () => {
    const before = wordDocumentWithAuthor();
    expect((await fromBuffer(before))?.ext).toBe('docx');
    const after = scrubDocx(before);
    const parts = unzipSync(after);
    const all = Object.values(parts)
      .map((p) => strFromU8(p))
      .join('\n');
    for (const hidden of ['Jane Smith', 'jsmith', 'JS"', 'Borsetshire', 'Tom Brown', 'S-1-5-21'])
      expect(all).not.toContain(hidden);
    expect(strFromU8(parts['word/document.xml'] as Uint8Array)).toContain(
      'Invoices were split to avoid tender.',
    );
    expect(strFromU8(parts['word/document.xml'] as Uint8Array)).toContain('w:author=""');
    expect(strFromU8(parts['word/comments.xml'] as Uint8Array)).toContain('Check this');
    // Every part is kept, so the document's relationships still resolve; it is still a Word document.
    expect(Object.keys(parts).sort()).toEqual(Object.keys(unzipSync(before)).sort());
    expect((await fromBuffer(after))?.ext).toBe('docx');
  });

  it('gives every zip entry the same fixed date', () => {
    const after = scrubDocx(wordDocumentWithAuthor());
    const dates = new Set<string>();
    unzipSync(after, {
      filter: (file) => {
        dates.add(String(file.name));
        return true;
      },
    });
    // The local header's date field (offset 10, 4 bytes) is the DOS date of 1 January 1980 for each.
    const dosDates = new Set<number>();
    for (let i = after.indexOf('PK\x03\x04'); i >= 0; i = after.indexOf('PK\x03\x04', i + 4))
      dosDates.add(after.readUInt32LE(i + 10));
    expect(dates.size).toBe(8);
    expect([...dosDates]).toEqual([(0 << 25) | (1 << 21) | (1 << 16)]);
  });

  it('refuses a zip that is not a Word document, and bytes that are not a zip', () => {
    expect(() => scrubDocx(Buffer.from(zipSync({ 'a.txt': strToU8('hello') })))).toThrow(DocxUnreadableError);
    expect(() => scrubDocx(Buffer.from('PK\x03\x04 not really'))).toThrow(DocxUnreadableError);
  });
});
