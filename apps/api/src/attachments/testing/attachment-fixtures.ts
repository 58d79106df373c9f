/**
 * Files for the attachment specs, built in memory so the tests show exactly what metadata goes in: a
 * marker string is written into every place a real file could name its owner (EXIF, GPS, XMP, IPTC,
 * comments, PNG text chunks, PDF document information, XMP, annotation authors, embedded photos), and
 * the specs assert it appears nowhere in what comes out.
 */
import { crc32, inflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

export const MARKER = 'NolanMarker-JaneWhistler-07700900123';

/** 40 × 20, red, with a blue 10 × 10 square in the top left corner: orientation is visible. */
function canvas(): sharp.Sharp {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: '#ff0000' } }).composite([
    { input: { create: { width: 10, height: 10, channels: 3, background: '#0000ff' } }, left: 0, top: 0 },
  ]);
}

const EXIF = {
  IFD0: { ImageDescription: MARKER, Artist: MARKER, Copyright: MARKER, Make: 'Acme', Model: MARKER },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '51/1 30/1 2/1',
    GPSLongitudeRef: 'W',
    GPSLongitude: '0/1 7/1 40/1',
    GPSMapDatum: MARKER,
  },
};

const XMP =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
  `<dc:creator><rdf:Seq><rdf:li>${MARKER}</rdf:li></rdf:Seq></dc:creator>` +
  '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** An APP13 Photoshop segment holding an IPTC By-line (author) record. */
function iptcSegment(): Buffer {
  const byline = Buffer.from(MARKER, 'latin1');
  const iptc = Buffer.concat([
    Buffer.from([0x1c, 0x02, 0x00, 0x00, 0x02, 0x00, 0x04]), // record version 4
    Buffer.from([0x1c, 0x02, 0x50, byline.length >> 8, byline.length & 0xff]),
    byline,
  ]);
  const padded = iptc.length % 2 ? Buffer.concat([iptc, Buffer.from([0])]) : iptc;
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iptc.length);
  const resource = Buffer.concat([
    Buffer.from('8BIM', 'latin1'),
    Buffer.from([0x04, 0x04, 0, 0]),
    size,
    padded,
  ]);
  return segment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]));
}

/** Splices segments in right after the JPEG's start-of-image marker. */
function withJpegSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/**
 * A JPEG as a phone might send it: EXIF (owner, camera, GPS), XMP, IPTC, a comment, a wide-gamut ICC
 * profile, and orientation 6 (the stored pixels must be turned 90° clockwise to display).
 */
export async function jpegWithMetadata(): Promise<Buffer> {
  const jpeg = await canvas()
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge(EXIF)
    .withXmp(XMP)
    .withIccProfile('p3')
    .toBuffer();
  return withJpegSegments(jpeg, [iptcSegment(), segment(0xfe, Buffer.from(MARKER, 'latin1'))]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG with EXIF, XMP, and tEXt and iTXt chunks naming the author, inserted before IEND. */
export async function pngWithMetadata(): Promise<Buffer> {
  const png = await canvas().png().withExif(EXIF).withXmp(XMP).toBuffer();
  const iend = png.length - 12;
  return Buffer.concat([
    png.subarray(0, iend),
    pngChunk('tEXt', Buffer.from(`Author\0${MARKER}`, 'latin1')),
    pngChunk('iTXt', Buffer.from(`Comment\0\0\0en\0\0${MARKER}`, 'utf8')),
    png.subarray(iend),
  ]);
}

/** A 1 × 1 PNG whose header claims 50 000 × 50 000 pixels: a decompression bomb's shape. */
export async function pngClaimingHugeCanvas(): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  const ihdrData = Buffer.from(png.subarray(16, 29));
  ihdrData.writeUInt32BE(50_000, 0);
  ihdrData.writeUInt32BE(50_000, 4);
  return Buffer.concat([png.subarray(0, 8), pngChunk('IHDR', ihdrData), png.subarray(33)]);
}

export async function webpWithMetadata(): Promise<Buffer> {
  return canvas().webp().withMetadata({ orientation: 6 }).withExifMerge(EXIF).withXmp(XMP).toBuffer();
}

/** A three-frame animated GIF with a comment extension naming the author. */
export async function animatedGifWithComment(): Promise<Buffer> {
  const frames = await Promise.all(
    ['#ff0000', '#00ff00', '#0000ff'].map((background) =>
      sharp({ create: { width: 8, height: 6, channels: 4, background } })
        .png()
        .toBuffer(),
    ),
  );
  const gif = await sharp(frames, { join: { animated: true } })
    .gif()
    .toBuffer();
  const packed = gif[10];
  const globalTable = packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0;
  const at = 13 + globalTable;
  const text = Buffer.from(MARKER, 'latin1');
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe, text.length]), text, Buffer.from([0])]);
  return Buffer.concat([gif.subarray(0, at), comment, gif.subarray(at)]);
}

/**
 * A two-page PDF naming its author everywhere: every document information field, an XMP stream on
 * the catalog, a file identifier, a highlight whose /T is the author, a JPEG photo still carrying its
 * EXIF, and an orphaned Info dictionary such as an earlier incremental save leaves behind. With
 * `objectStreams`, the dictionaries are packed into compressed object streams, as most writers do.
 */
export async function pdfWithMetadata(options: { objectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Title ${MARKER}`);
  doc.setAuthor(MARKER);
  doc.setSubject(`Subject ${MARKER}`);
  doc.setKeywords([MARKER]);
  doc.setCreator(`Creator ${MARKER}`);
  doc.setProducer(`Producer ${MARKER}`);
  doc.setCreationDate(new Date('2024-03-01T09:00:00Z'));
  doc.setModificationDate(new Date('2024-03-02T09:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  // A copy: pdf-lib reads the JPEG through a DataView over the whole ArrayBuffer, ignoring byteOffset.
  const photo = await doc.embedJpg(new Uint8Array(await jpegWithMetadata()));
  const first = doc.addPage([300, 300]);
  first.drawText('Minutes of the meeting', { x: 20, y: 260, size: 14, font });
  first.drawImage(photo, { x: 20, y: 20, width: 80, height: 160 });
  doc.addPage([300, 300]).drawText('Page two', { x: 20, y: 260, size: 14, font });

  const { context } = doc;
  const xmp = context.stream(XMP, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), context.register(xmp));
  const highlight = context.obj({
    Type: 'Annot',
    Subtype: 'Highlight',
    Rect: [20, 250, 200, 275],
    QuadPoints: [20, 275, 200, 275, 20, 250, 200, 250],
    T: PDFHexString.fromText(MARKER),
    M: PDFString.of('D:20240301090000Z'),
    Contents: PDFString.of('Note'),
  });
  first.node.set(PDFName.of('Annots'), context.obj([context.register(highlight)]));
  context.register(context.obj({ Author: PDFString.of(MARKER) }));
  context.trailerInfo.ID = context.obj([PDFString.of(MARKER), PDFString.of(MARKER)]);
  return Buffer.from(await doc.save({ useObjectStreams: options.objectStreams ?? false }));
}

/** A PDF whose trailer names an encryption dictionary, as a password-protected one does. */
export async function encryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([100, 100]);
  doc.context.trailerInfo.Encrypt = doc.context.register(
    doc.context.obj({ Filter: 'Standard', V: 1, R: 2, O: PDFString.of('x'), U: PDFString.of('y'), P: -4 }),
  );
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A stored (uncompressed) zip, enough for file-type to recognise an office document by its entries. */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export function docx(): Buffer {
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'word/document.xml': '<?xml version="1.0"?><w:document/>',
    'docProps/core.xml': `<dc:creator>${MARKER}</dc:creator>`,
  });
}

export function odt(): Buffer {
  return zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office:document/>' });
}

/** The compound-file header that legacy .doc, .xls and .ppt files start with. */
export function legacyOfficeDocument(): Buffer {
  return Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
}

/**
 * Every form the marker could take in a file: Latin-1/UTF-8, UTF-16 either way round, and PDF hex
 * strings; in the bytes themselves and inside any Flate-compressed stream.
 */
export function containsMarker(bytes: Buffer, marker = MARKER): boolean {
  const utf16be = Buffer.from(marker, 'utf16le').swap16();
  const needles = [
    Buffer.from(marker, 'latin1'),
    Buffer.from(marker, 'utf16le'),
    utf16be,
    Buffer.from(utf16be.toString('hex').toUpperCase(), 'latin1'),
    Buffer.from(utf16be.toString('hex'), 'latin1'),
    Buffer.from(Buffer.from(marker, 'latin1').toString('hex').toUpperCase(), 'latin1'),
    Buffer.from(Buffer.from(marker, 'latin1').toString('hex'), 'latin1'),
  ];
  return readableForms(bytes).some((form) => needles.some((needle) => form.includes(needle)));
}

function readableForms(bytes: Buffer): Buffer[] {
  const forms = [bytes];
  const text = bytes.toString('latin1');
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      forms.push(inflateSync(bytes.subarray(start, end)));
    } catch {
      // Not Flate: already searched as raw bytes.
    }
  }
  return forms;
}

/** The WordprocessingML namespace, for the Word fixture's parts. */
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** A small Word document with its author in every usual place. */
export function wordDocumentWithAuthor(): Buffer {
  const files = {
    '[Content_Types].xml': strToU8(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    '_rels/.rels': strToU8(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
    ),
    'word/document.xml': strToU8(
      `<w:document ${W}><w:body><w:p><w:r><w:t>Invoices were split to avoid tender.</w:t></w:r>` +
        `<w:ins w:id="1" w:author="Jane Smith" w:date="2026-11-02T09:14:00Z"><w:r><w:t>Added later.</w:t></w:r></w:ins>` +
        `</w:p></w:body></w:document>`,
    ),
    'word/comments.xml': strToU8(
      `<w:comments ${W}><w:comment w:id="0" w:author="Jane Smith" w:initials="JS"><w:p><w:r><w:t>Check this</w:t></w:r></w:p></w:comment></w:comments>`,
    ),
    'word/people.xml': strToU8(
      '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="Jane Smith">' +
        '<w15:presenceInfo w15:providerId="AD" w15:userId="S-1-5-21-jsmith"/></w15:person></w15:people>',
    ),
    'docProps/core.xml': strToU8(
      '<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>Jane Smith</dc:creator><cp:lastModifiedBy>jsmith</cp:lastModifiedBy></cp:coreProperties>',
    ),
    'docProps/app.xml': strToU8(
      '<Properties><Company>Borsetshire County Council</Company><Manager>Tom Brown</Manager></Properties>',
    ),
    'docProps/custom.xml': strToU8(
      '<Properties><property name="Owner"><vt:lpwstr>Jane Smith</vt:lpwstr></property></Properties>',
    ),
  };
  return Buffer.from(zipSync(files, { mtime: new Date(2026, 10, 2, 9, 14) }));
}
