/**
 * Takes the hidden details out of a PDF without changing what it shows. A PDF names its author in more
 * places than its document information: the XMP packet (catalog and per object), the file identifier
 * (which ties a copy to the original the employer holds), the author of every comment and highlight,
 * application private data (/PieceInfo), objects left behind by earlier saves, and the EXIF of photos
 * embedded as JPEG. We remove all of those; pages, text, forms and images are kept as they were.
 *
 * pdf-lib cannot decrypt, so an encrypted PDF (even one that opens without a password but restricts
 * printing) is refused, as is one it cannot parse; the caller turns either into a 415 with advice.
 */
import {
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
} from 'pdf-lib';

export type PdfScrubResult =
  { ok: true; bytes: Buffer; pageCount: number } | { ok: false; reason: 'encrypted' | 'damaged' };

/** Keys whose values are metadata, wherever they appear (catalog, pages, images, forms, fonts). */
const METADATA_KEYS = ['Metadata', 'PieceInfo', 'LastModified'].map((key) => PDFName.of(key));

/** Markup annotations (PDF 32000-1 §12.5.6.2): their /T is the author's name, not a field name. */
const MARKUP_ANNOTATIONS = new Set(
  [
    'Text',
    'FreeText',
    'Line',
    'Square',
    'Circle',
    'Polygon',
    'PolyLine',
    'Highlight',
    'Underline',
    'Squiggly',
    'StrikeOut',
    'Stamp',
    'Caret',
    'Ink',
    'FileAttachment',
    'Sound',
    'Redact',
  ].map((subtype) => PDFName.of(subtype)),
);
const ANNOTATION_AUTHORSHIP_KEYS = ['T', 'M', 'CreationDate'].map((key) => PDFName.of(key));

const SUBTYPE = PDFName.of('Subtype');
const RECT = PDFName.of('Rect');
const FILTER = PDFName.of('Filter');
const LENGTH = PDFName.of('Length');
const DCT_DECODE = PDFName.of('DCTDecode');

export async function scrubPdf(input: Buffer): Promise<PdfScrubResult> {
  const doc = await PDFDocument.load(input, {
    ignoreEncryption: true,
    updateMetadata: false,
    throwOnInvalidObject: false,
  });
  if (doc.isEncrypted) return { ok: false, reason: 'encrypted' };
  const pageCount = doc.getPageCount();
  if (pageCount === 0) return { ok: false, reason: 'damaged' };

  const { context } = doc;
  context.trailerInfo.Info = undefined;
  context.trailerInfo.ID = undefined;
  const reachable = scrubReachable(context, context.trailerInfo.Root);
  if (reachable === undefined) return { ok: false, reason: 'damaged' };
  // pdf-lib writes every object it parsed, referenced or not: drop what the document no longer uses,
  // such as the Info dictionary and XMP we just unlinked or those of an earlier incremental save.
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!reachable.has(ref)) context.delete(ref);
  }

  const bytes = await doc.save({
    // Plain cross-reference table: readable by old viewers, and a test can see every dictionary.
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
  });
  return { ok: true, bytes: Buffer.from(bytes), pageCount };
}

/**
 * Walks everything reachable from the catalog, removing metadata as it goes (so what only metadata
 * referred to is never reached), and returns the objects still in use; undefined if an embedded JPEG
 * cannot be parsed, since we could not tell what it carries.
 */
function scrubReachable(context: PDFContext, root: PDFObject | undefined): Set<PDFRef> | undefined {
  const reached = new Set<PDFRef>();
  const pending: PDFObject[] = root === undefined ? [] : [root];
  for (let object = pending.pop(); object !== undefined; object = pending.pop()) {
    if (object instanceof PDFRef) {
      if (reached.has(object)) continue;
      reached.add(object);
      let target = context.lookup(object);
      if (target instanceof PDFRawStream && isPlainJpeg(target.dict)) {
        const stripped = stripJpegMetadata(target.contents);
        if (stripped === undefined) return undefined;
        target.dict.set(LENGTH, PDFNumber.of(stripped.length));
        target = PDFRawStream.of(target.dict, stripped);
        context.assign(object, target);
      }
      if (target !== undefined) pending.push(target);
    } else if (object instanceof PDFDict || object instanceof PDFStream) {
      const dict = object instanceof PDFStream ? object.dict : object;
      scrubDict(dict);
      for (const value of dict.values()) pending.push(value);
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) pending.push(value);
    }
  }
  return reached;
}

function scrubDict(dict: PDFDict): void {
  for (const key of METADATA_KEYS) dict.delete(key);
  const subtype = dict.get(SUBTYPE);
  if (subtype instanceof PDFName && MARKUP_ANNOTATIONS.has(subtype) && dict.has(RECT)) {
    for (const key of ANNOTATION_AUTHORSHIP_KEYS) dict.delete(key);
  }
}

/** A stream whose only filter is DCTDecode holds a JPEG file byte for byte. */
function isPlainJpeg(dict: PDFDict): boolean {
  const filter = dict.get(FILTER);
  if (filter === DCT_DECODE) return true;
  return filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === DCT_DECODE;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;

/**
 * The JPEG without the segments that carry metadata: COM, APP1 (EXIF, with GPS, and XMP), APP13
 * (IPTC) and every other application segment except the ICC profile (APP2) and Adobe's colour
 * transform (APP14), which decoding needs. Anything after the end-of-image marker (the extra images a
 * phone appends, each with its own EXIF) is dropped too. The compressed image data is untouched.
 * Returns undefined if the bytes are not a JPEG we can walk.
 */
export function stripJpegMetadata(jpeg: Uint8Array): Uint8Array | undefined {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) return undefined;
  const kept: Uint8Array[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at < jpeg.length) {
    if (jpeg[at] !== 0xff) return undefined;
    while (jpeg[at + 1] === 0xff) at += 1; // fill bytes before a marker
    if (at + 1 >= jpeg.length) return undefined;
    const marker = jpeg[at + 1];
    if (marker === EOI) {
      kept.push(jpeg.subarray(at, at + 2));
      return Buffer.concat(kept);
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(jpeg.subarray(at, at + 2)); // markers without a length
      at += 2;
      continue;
    }
    if (at + 4 > jpeg.length) return undefined;
    const end = at + 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
    if (end < at + 4 || end > jpeg.length) return undefined;
    if (keepSegment(marker, jpeg.subarray(at + 4, end))) kept.push(jpeg.subarray(at, end));
    at = end;
    if (marker === SOS) {
      // Entropy-coded data runs to the next marker; inside it 0xFF is followed only by 0x00 (stuffing)
      // or a restart marker. A scan cut off at the end of the stream is kept as it is.
      let scanEnd = at;
      while (scanEnd + 1 < jpeg.length && !isMarkerStart(jpeg[scanEnd], jpeg[scanEnd + 1])) scanEnd += 1;
      if (scanEnd + 1 >= jpeg.length) scanEnd = jpeg.length;
      kept.push(jpeg.subarray(at, scanEnd));
      at = scanEnd;
    }
  }
  return Buffer.concat(kept);
}

function isMarkerStart(byte: number, next: number): boolean {
  return byte === 0xff && next !== 0x00 && !(next >= 0xd0 && next <= 0xd7);
}

function keepSegment(marker: number, payload: Uint8Array): boolean {
  if (marker === COM) return false;
  if (marker < 0xe1 || marker > 0xef) return true; // APP0 (JFIF) and the image's own segments
  if (marker === 0xe2) return startsWith(payload, 'ICC_PROFILE\0');
  if (marker === 0xee) return startsWith(payload, 'Adobe');
  return false;
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  return Buffer.from(bytes.subarray(0, prefix.length)).toString('latin1') === prefix;
}
