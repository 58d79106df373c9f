import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { AppError } from '../errors/app-error';
import { type AttachmentPolicy, DEFAULT_ATTACHMENT_POLICY } from './attachment-policy';
import { type AttachmentInput, sanitiseAll, sanitiseAttachment } from './attachment-sanitiser';
import {
  animatedGifWithComment,
  containsMarker,
  docx,
  encryptedPdf,
  jpegWithMetadata,
  legacyOfficeDocument,
  MARKER,
  odt,
  pdfWithMetadata,
  pngClaimingHugeCanvas,
  pngWithMetadata,
  webpWithMetadata,
} from './testing/attachment-fixtures';

const MB = 1024 * 1024;

/** The AppError a promise rejects with; fails the test if it resolves or rejects with anything else. */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
}

function file(bytes: Buffer, declaredName: string): AttachmentInput {
  return { bytes, declaredName };
}

async function pixel(image: Buffer, left: number, top: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (top * info.width + left) * info.channels;
  return [...data.subarray(at, at + 3)];
}

function expectBlue([red, green, blue]: number[]): void {
  expect(blue).toBeGreaterThan(200);
  expect(red).toBeLessThan(60);
  expect(green).toBeLessThan(60);
}

// pdf-lib reports what it skips in a damaged PDF on the console (offsets and object numbers, never
// content); keep the run quiet.
beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

describe('sanitiseAttachment', () => {
  describe('JPEG', () => {
    let input: Buffer;

    beforeAll(async () => {
      input = await jpegWithMetadata();
    });

    it('starts from a fixture that really carries EXIF with GPS, XMP, IPTC, ICC and an orientation', async () => {
      const metadata = await sharp(input).metadata();
      // Owner, description, copyright, camera model and GPS map datum all carry the marker.
      expect(metadata.exif?.toString('latin1').split(MARKER)).toHaveLength(6);
      expect(metadata.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer, 0x8825
      expect(metadata.xmp?.includes(Buffer.from(MARKER))).toBe(true);
      expect(metadata.iptc?.includes(Buffer.from(MARKER))).toBe(true);
      expect(metadata.icc).toBeDefined();
      expect(metadata.orientation).toBe(6);
      expect(containsMarker(input)).toBe(true);
    });

    it('removes every trace of the metadata, in any encoding', async () => {
      const result = await sanitiseAttachment(file(input, 'IMG_0042.JPG'), DEFAULT_ATTACHMENT_POLICY);

      expect(containsMarker(result.bytes)).toBe(false);
      const metadata = await sharp(result.bytes).metadata();
      expect(metadata).toMatchObject({ format: 'jpeg' });
      expect(metadata.exif).toBeUndefined();
      expect(metadata.xmp).toBeUndefined();
      expect(metadata.iptc).toBeUndefined();
      expect(metadata.icc).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect(result).toMatchObject({
        mediaType: 'image/jpeg',
        name: 'IMG_0042.JPG',
        size: result.bytes.length,
        strippedMetadata: true,
      });
    });

    it('applies the EXIF orientation to the pixels before dropping the tag', async () => {
      const result = await sanitiseAttachment(file(input, 'photo.jpg'), DEFAULT_ATTACHMENT_POLICY);

      const metadata = await sharp(result.bytes).metadata();
      expect([metadata.width, metadata.height]).toEqual([20, 40]);
      // Orientation 6 turns the image 90° clockwise: the blue top-left square ends up top right.
      expectBlue(await pixel(result.bytes, 15, 2));
    });

    it('refuses a truncated JPEG with a 415, not a crash', async () => {
      const noise = { type: 'gaussian', mean: 128, sigma: 40 } as const;
      const whole = await sharp({
        create: { width: 300, height: 200, channels: 3, background: '#000', noise },
      })
        .jpeg()
        .toBuffer();
      const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));

      const error = await refusal(sanitiseAttachment(file(truncated, 'cut.jpg'), DEFAULT_ATTACHMENT_POLICY));
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toBe(
        '"cut.jpg" could not be read as a JPEG image. It may be damaged or incomplete; try saving or exporting it again.',
      );
    });
  });

  describe('other images', () => {
    it('removes EXIF, XMP and text chunks from a PNG', async () => {
      const input = await pngWithMetadata();
      const before = await sharp(input).metadata();
      expect(before.exif).toBeDefined();
      expect(before.xmp).toBeDefined();
      expect(input.includes(Buffer.from(`Author\0${MARKER}`, 'latin1'))).toBe(true);

      const result = await sanitiseAttachment(file(input, 'screenshot.png'), DEFAULT_ATTACHMENT_POLICY);

      expect(containsMarker(result.bytes)).toBe(false);
      const after = await sharp(result.bytes).metadata();
      expect(after).toMatchObject({ format: 'png', width: 40, height: 20 });
      expect([after.exif, after.xmp, after.iptc, after.icc, after.comments]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(result.mediaType).toBe('image/png');
    });

    it('keeps the transparency of a PNG', async () => {
      const input = await sharp({ create: { width: 4, height: 4, channels: 4, background: '#ff000080' } })
        .png()
        .toBuffer();

      const result = await sanitiseAttachment(file(input, 'overlay.png'), DEFAULT_ATTACHMENT_POLICY);

      expect(await sharp(result.bytes).metadata()).toMatchObject({ hasAlpha: true });
      expect(await pixel(result.bytes, 0, 0)).toEqual([255, 0, 0]);
    });

    it('removes EXIF and XMP from a WebP and applies its orientation', async () => {
      const input = await webpWithMetadata();
      expect((await sharp(input).metadata()).exif).toBeDefined();

      const result = await sanitiseAttachment(file(input, 'chat.webp'), DEFAULT_ATTACHMENT_POLICY);

      expect(containsMarker(result.bytes)).toBe(false);
      const after = await sharp(result.bytes).metadata();
      expect(after).toMatchObject({ format: 'webp', width: 20, height: 40 });
      expect([after.exif, after.xmp, after.icc]).toEqual([undefined, undefined, undefined]);
      expect(result.mediaType).toBe('image/webp');
    });

    it('keeps a GIF a GIF, with every frame, and without its comment', async () => {
      const input = await animatedGifWithComment();
      expect(containsMarker(input)).toBe(true);

      const result = await sanitiseAttachment(file(input, 'clip.gif'), DEFAULT_ATTACHMENT_POLICY);

      expect(containsMarker(result.bytes)).toBe(false);
      expect(await sharp(result.bytes).metadata()).toMatchObject({ format: 'gif', pages: 3, width: 8 });
      expect(result).toMatchObject({ mediaType: 'image/gif', name: 'clip.gif' });
    });

    it('refuses a decompression bomb with a 413 before decoding it', async () => {
      const error = await refusal(
        sanitiseAttachment(file(await pngClaimingHugeCanvas(), 'small.png'), DEFAULT_ATTACHMENT_POLICY),
      );
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toBe(
        '"small.png" is too large an image to process; the limit is 100 megapixels. Resize it and try again.',
      );
    });

    it('counts every frame of an animation against the pixel limit', async () => {
      const policy: AttachmentPolicy = { ...DEFAULT_ATTACHMENT_POLICY, maxImagePixels: 8 * 6 * 2 };

      const error = await refusal(sanitiseAttachment(file(await animatedGifWithComment(), 'a.gif'), policy));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('PDF', () => {
    let input: Buffer;

    beforeAll(async () => {
      input = await pdfWithMetadata();
    });

    it('starts from a fixture that names its author in the bytes', () => {
      expect(containsMarker(input)).toBe(true);
    });

    it('removes the document information, XMP, file identifier, annotation authors and photo EXIF', async () => {
      const result = await sanitiseAttachment(file(input, 'minutes.pdf'), DEFAULT_ATTACHMENT_POLICY);

      expect(containsMarker(result.bytes)).toBe(false);
      expect(result).toMatchObject({
        mediaType: 'application/pdf',
        name: 'minutes.pdf',
        strippedMetadata: true,
      });
      const doc = await PDFDocument.load(result.bytes, { updateMetadata: false });
      expect(doc.getPageCount()).toBe(2);
      expect([doc.getTitle(), doc.getAuthor(), doc.getSubject(), doc.getKeywords()]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect([doc.getCreator(), doc.getProducer(), doc.getCreationDate(), doc.getModificationDate()]).toEqual(
        [undefined, undefined, undefined, undefined],
      );
      expect(doc.catalog.get(PDFName.of('Metadata'))).toBeUndefined();
      expect(doc.context.trailerInfo.ID).toBeUndefined();
      expect(result.bytes.toString('latin1')).not.toMatch(/\/(Info|ID)\b/);
    });

    it('cleans a PDF whose dictionaries are packed in compressed object streams just the same', async () => {
      const packed = await pdfWithMetadata({ objectStreams: true });
      expect(packed.includes(Buffer.from('/ObjStm'))).toBe(true);
      expect(containsMarker(packed)).toBe(true);

      const result = await sanitiseAttachment(file(packed, 'packed.pdf'), DEFAULT_ATTACHMENT_POLICY);

      expect(containsMarker(result.bytes)).toBe(false);
      expect((await PDFDocument.load(result.bytes)).getPageCount()).toBe(2);
    });

    it('keeps what the pages show: text, the photo and the annotation itself', async () => {
      const result = await sanitiseAttachment(file(input, 'minutes.pdf'), DEFAULT_ATTACHMENT_POLICY);

      const doc = await PDFDocument.load(result.bytes, { updateMetadata: false });
      const annots = doc.getPage(0).node.Annots();
      expect(annots?.size()).toBe(1);
      const images = doc.context
        .enumerateIndirectObjects()
        .map(([, object]) => object)
        .filter((object) => object instanceof PDFRawStream)
        .filter((stream) => stream.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
      expect(images).toHaveLength(1);
      const jpeg = Buffer.from(images[0]!.contents);
      const photo = await sharp(jpeg).metadata();
      expect(photo).toMatchObject({ format: 'jpeg', width: 40, height: 20 });
      expect([photo.exif, photo.xmp, photo.iptc]).toEqual([undefined, undefined, undefined]);
    });

    it('refuses a password-protected PDF with advice', async () => {
      const error = await refusal(
        sanitiseAttachment(file(await encryptedPdf(), 'locked.pdf'), DEFAULT_ATTACHMENT_POLICY),
      );
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toBe(
        '"locked.pdf" could not be read as a PDF document: it is password-protected or damaged. Remove the password, or print it to a new PDF, and upload that instead.',
      );
    });

    it('refuses a damaged PDF with the same advice, never a 500', async () => {
      for (const damaged of [
        input.subarray(0, 400),
        Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4000)]),
        Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF'),
      ]) {
        const error = await refusal(
          sanitiseAttachment(file(damaged, 'broken.pdf'), DEFAULT_ATTACHMENT_POLICY),
        );
        expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        expect(error.message).toContain('password-protected or damaged');
      }
    });
  });

  describe('plain text', () => {
    it('accepts UTF-8 text as it is', async () => {
      const text = Buffer.from(
        'Meeting on 3 March — £4,000 paid to “the contractor”.\r\nSee attached. ✅\n',
        'utf8',
      );

      const result = await sanitiseAttachment(file(text, 'notes.txt'), DEFAULT_ATTACHMENT_POLICY);

      expect(result).toEqual({
        bytes: text,
        mediaType: 'text/plain',
        name: 'notes.txt',
        size: text.length,
        strippedMetadata: false,
      });
    });

    it('accepts text whose first letters look like a binary signature', async () => {
      for (const prose of ['BMW lease for the director, paid by the council', 'ID3 notes', 'MZ']) {
        const result = await sanitiseAttachment(
          file(Buffer.from(prose), 'notes.txt'),
          DEFAULT_ATTACHMENT_POLICY,
        );
        expect(result.mediaType).toBe('text/plain');
      }
    });

    it('refuses binary content with NUL bytes, and text that is not UTF-8', async () => {
      for (const bytes of [
        Buffer.from('plain\0text'),
        Buffer.from('\ufeffUTF-16 notes', 'utf16le'),
        Buffer.from([0x63, 0x61, 0x66, 0xe9]), // "café" in Latin-1
      ]) {
        const error = await refusal(sanitiseAttachment(file(bytes, 'notes.txt'), DEFAULT_ATTACHMENT_POLICY));
        expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('refuses RTF, which hides its author in the text', async () => {
      const rtf = Buffer.from(`{\\rtf1\\ansi{\\info{\\author ${MARKER}}}Hello}`);
      const error = await refusal(sanitiseAttachment(file(rtf, 'letter.txt'), DEFAULT_ATTACHMENT_POLICY));
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toContain('Save the document as a PDF');
    });
  });

  describe('types', () => {
    it('trusts the bytes, not the name: PNG bytes called x.pdf are a PNG called x.png', async () => {
      const result = await sanitiseAttachment(
        file(await pngWithMetadata(), 'x.pdf'),
        DEFAULT_ATTACHMENT_POLICY,
      );

      expect(result).toMatchObject({ mediaType: 'image/png', name: 'x.png' });
    });

    it('refuses office documents with a 415 that says to save them as PDF', async () => {
      for (const [bytes, name] of [
        [docx(), 'statement.docx'],
        [docx(), 'renamed.jpg'],
        [odt(), 'statement.odt'],
        [legacyOfficeDocument(), 'statement.doc'],
      ] as const) {
        const error = await refusal(sanitiseAttachment(file(bytes, name), DEFAULT_ATTACHMENT_POLICY));
        expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        expect(error.message).toBe(
          `"${name}" is a Word, Excel or other office document. We cannot reliably remove the hidden details these contain, such as the author’s name. Save the document as a PDF and upload that instead.`,
        );
      }
    });

    it('refuses a HEIC photo with advice to send it as JPEG', async () => {
      // The ftyp box of an iPhone photo; sharp here cannot decode HEVC, so the rest does not matter.
      const heic = Buffer.concat([
        Buffer.from('00000018667479706865696300000000686569636d696631', 'hex'),
        Buffer.alloc(64),
      ]);
      const error = await refusal(sanitiseAttachment(file(heic, 'IMG_0001.HEIC'), DEFAULT_ATTACHMENT_POLICY));
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toMatch(
        /^"IMG_0001.HEIC" is a HEIC photo, which we cannot accept yet\. Export or share it as a JPEG/,
      );
    });

    it('refuses other types with a 415 naming the file and what we accept', async () => {
      const zipped = Buffer.from('504b0304140000000000', 'hex');
      const error = await refusal(
        sanitiseAttachment(
          file(Buffer.concat([zipped, Buffer.alloc(40)]), 'evidence.zip'),
          DEFAULT_ATTACHMENT_POLICY,
        ),
      );
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toBe(
        '"evidence.zip" is not a type of file we accept. You can upload: JPEG image, PNG image, WebP image, GIF image, PDF document or Plain text (UTF-8).',
      );
    });

    it('answers random bytes with a 415 whatever their name', async () => {
      for (const name of ['blob.bin', 'photo.jpg', 'doc.pdf', 'notes.txt']) {
        const error = await refusal(
          sanitiseAttachment(file(randomBytes(2048), name), DEFAULT_ATTACHMENT_POLICY),
        );
        expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('answers bytes that start like an accepted type but are not one with a 415', async () => {
      for (const [prefix, name] of [
        ['ffd8ffe000104a464946', 'a.jpg'],
        ['89504e470d0a1a0a', 'a.png'],
        ['474946383961', 'a.gif'],
        ['52494646000000005745425056503820', 'a.webp'],
      ] as const) {
        const bytes = Buffer.concat([Buffer.from(prefix, 'hex'), randomBytes(256)]);
        const error = await refusal(sanitiseAttachment(file(bytes, name), DEFAULT_ATTACHMENT_POLICY));
        expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('honours a policy that accepts fewer types', async () => {
      const policy: AttachmentPolicy = { ...DEFAULT_ATTACHMENT_POLICY, acceptedTypes: ['pdf'] };
      const error = await refusal(sanitiseAttachment(file(await pngWithMetadata(), 'a.png'), policy));
      expect(error.message).toBe('"a.png" is not a type of file we accept. You can upload: PDF document.');
    });
  });

  describe('size', () => {
    it('refuses a file over the limit with a 413 naming it and the limit, before reading it', async () => {
      const bytes = Buffer.alloc(Math.floor(23.1 * MB), 0x41);
      const error = await refusal(sanitiseAttachment(file(bytes, 'holiday.jpg'), DEFAULT_ATTACHMENT_POLICY));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toBe('"holiday.jpg" is 23.1 MB; the limit is 20 MB per file.');
    });

    it('accepts a file of exactly the limit', async () => {
      const bytes = Buffer.alloc(20 * MB, 0x41);
      await expect(
        sanitiseAttachment(file(bytes, 'a.txt'), DEFAULT_ATTACHMENT_POLICY),
      ).resolves.toMatchObject({
        size: 20 * MB,
      });
    });

    it('refuses an empty file with a 400', async () => {
      const error = await refusal(
        sanitiseAttachment(file(Buffer.alloc(0), 'empty.png'), DEFAULT_ATTACHMENT_POLICY),
      );
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toBe('"empty.png" is empty.');
    });
  });

  describe('names', () => {
    it('makes the declared name safe to show, using only its last part', async () => {
      const text = Buffer.from('hello');
      const cases: [string, string][] = [
        ['../../etc/passwd', 'passwd.txt'],
        ['C:\\Users\\jsmith\\Desktop\\notes.txt', 'notes.txt'],
        ['ev\u0000il\u0007\u001b\u202Egpj.txt', 'evilgpj.txt'],
        ['..', 'evidence-1.txt'],
        ['', 'evidence-1.txt'],
      ];
      for (const [declared, expected] of cases) {
        const result = await sanitiseAttachment(file(text, declared), DEFAULT_ATTACHMENT_POLICY);
        expect(result.name).toBe(expected);
      }
    });

    it('names a file with no usable name by its position', async () => {
      const [, second] = await sanitiseAll(
        [file(Buffer.from('a'), 'a.txt'), file(Buffer.from('b'), '/\u0001/')],
        DEFAULT_ATTACHMENT_POLICY,
      );
      expect(second!.name).toBe('evidence-2.txt');
    });
  });

  it('turns whatever the decoders throw into an AppError, never a 500', async () => {
    const inputs = [
      await jpegWithMetadata(),
      await pngWithMetadata(),
      await webpWithMetadata(),
      await animatedGifWithComment(),
      await pdfWithMetadata(),
    ];
    for (const original of inputs) {
      for (const length of [16, 64, 200, Math.floor(original.length / 2), original.length - 3]) {
        const outcome = await sanitiseAttachment(
          file(original.subarray(0, length), 'f'),
          DEFAULT_ATTACHMENT_POLICY,
        ).then(
          () => 'accepted',
          (error: unknown) => (error instanceof AppError ? 'refused' : error),
        );
        expect(['accepted', 'refused']).toContain(outcome);
      }
    }
  });
});

describe('sanitiseAll', () => {
  it('returns the files cleaned, in order', async () => {
    const results = await sanitiseAll(
      [
        file(Buffer.from('first'), 'one.txt'),
        file(await pngWithMetadata(), 'two.png'),
        file(Buffer.from('third'), 'three'),
      ],
      DEFAULT_ATTACHMENT_POLICY,
    );
    expect(results.map((r) => [r.name, r.mediaType])).toEqual([
      ['one.txt', 'text/plain'],
      ['two.png', 'image/png'],
      ['three.txt', 'text/plain'],
    ]);
  });

  it('accepts no files at all', async () => {
    await expect(sanitiseAll([], DEFAULT_ATTACHMENT_POLICY)).resolves.toEqual([]);
  });

  it('refuses more files than the limit with a 413', async () => {
    const files = Array.from({ length: 11 }, (_, i) => file(Buffer.from(`note ${i}`), `n${i}.txt`));
    const error = await refusal(sanitiseAll(files, DEFAULT_ATTACHMENT_POLICY));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('You attached 11 files; the limit is 10 per report or message.');
  });

  it('refuses files that together exceed the total with a 413', async () => {
    const files = Array.from({ length: 3 }, (_, i) => file(Buffer.alloc(18 * MB, 0x41), `n${i}.txt`));
    const error = await refusal(sanitiseAll(files, DEFAULT_ATTACHMENT_POLICY));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('Your files add up to 54 MB; the limit is 50 MB in total.');
  });

  it('names an oversize file rather than the total when one file is too big on its own', async () => {
    const files = [file(Buffer.from('ok'), 'ok.txt'), file(Buffer.alloc(60 * MB, 0x41), 'video.mov')];
    const error = await refusal(sanitiseAll(files, DEFAULT_ATTACHMENT_POLICY));
    expect(error.message).toBe('"video.mov" is 60 MB; the limit is 20 MB per file.');
  });

  it('checks every limit before decoding anything', async () => {
    const files = [file(randomBytes(100), 'junk.bin'), file(Buffer.alloc(0), 'empty.txt')];
    const error = await refusal(sanitiseAll(files, DEFAULT_ATTACHMENT_POLICY));
    expect(error.code).toBe('INVALID_INPUT');
  });
});
