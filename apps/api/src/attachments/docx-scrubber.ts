/**
 * Takes the hidden details out of a Word (.docx) file for staff evidence (docs/architecture.md
 * "Encryption model"): a .docx is a zip of XML parts, and who wrote it lives in known places. The
 * document properties (docProps/core.xml: author, last modified by, dates; app.xml: company, manager,
 * template; custom.xml: anything) are replaced by empty ones, and every author, initials and user id on
 * tracked changes, comments and the people list is blanked. Parts are kept, not dropped, so the
 * relationships and content types still match and Word opens the file. The zip's own entry dates are
 * set to one fixed date, so they say nothing of when the file was made.
 *
 * What it does not touch is the words themselves: a name typed in the text is evidence.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

const EMPTY_CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
const EMPTY_APP =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>';
const EMPTY_CUSTOM =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ' +
  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';

const REPLACED: Readonly<Record<string, string>> = {
  'docprops/core.xml': EMPTY_CORE,
  'docprops/app.xml': EMPTY_APP,
  'docprops/custom.xml': EMPTY_CUSTOM,
};

/** Attributes that name a person: w:author/w:initials on changes and comments, w15 people's ids. */
const PERSON_ATTRIBUTES = /\b((?:w|w15|w16cex|w16cid):(?:author|initials|userId|providerId))="[^"]*"/g;
/** 1 January 1980, the earliest date a zip entry can hold. */
const FIXED_DATE = new Date(1980, 0, 1);
/** A zip bomb guard: the parts of a real document, unpacked, stay far below this. */
const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;

export class DocxUnreadableError extends Error {}

export function scrubDocx(bytes: Uint8Array): Buffer {
  let unpacked = 0;
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes, {
      filter: (file) => {
        unpacked += file.originalSize;
        if (unpacked > MAX_UNPACKED_BYTES) throw new DocxUnreadableError('too large unpacked');
        return true;
      },
    });
  } catch {
    throw new DocxUnreadableError('not a readable zip');
  }
  if (!parts['[Content_Types].xml'] || !parts['word/document.xml']) {
    throw new DocxUnreadableError('not a Word document');
  }
  const out: Zippable = {};
  for (const [name, data] of Object.entries(parts)) {
    const replacement = REPLACED[name.toLowerCase()];
    let content: Uint8Array = data;
    if (replacement !== undefined) content = strToU8(replacement);
    else if (/\.(xml|rels)$/i.test(name)) {
      content = strToU8(strFromU8(data).replace(PERSON_ATTRIBUTES, '$1=""'));
    }
    out[name] = [content, { mtime: FIXED_DATE }];
  }
  return Buffer.from(zipSync(out, { level: 6 }));
}
