import sharp from 'sharp';
import { stripJpegMetadata } from './pdf-scrubber';
import { containsMarker, jpegWithMetadata, MARKER } from './testing/attachment-fixtures';

describe('stripJpegMetadata', () => {
  it('removes EXIF, XMP, IPTC and comments but keeps the image decodable and unchanged', async () => {
    const input = await jpegWithMetadata();

    const output = Buffer.from(stripJpegMetadata(input)!);

    expect(containsMarker(output)).toBe(false);
    const metadata = await sharp(output).metadata();
    expect([metadata.exif, metadata.xmp, metadata.iptc]).toEqual([undefined, undefined, undefined]);
    // The ICC profile is needed to show the colours right; the pixels themselves are untouched.
    expect(metadata.icc).toBeDefined();
    expect(await sharp(output).raw().toBuffer()).toEqual(await sharp(input).raw().toBuffer());
  });

  it('drops whatever follows the end of the image, such as a second picture with its own EXIF', async () => {
    const input = await jpegWithMetadata();
    const withTrailer = Buffer.concat([input, input]);

    const output = Buffer.from(stripJpegMetadata(withTrailer)!);

    expect(output.length).toBeLessThan(input.length);
    expect(output.includes(Buffer.from(MARKER))).toBe(false);
  });

  it('walks a progressive JPEG, whose scans are separated by tables', async () => {
    const progressive = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
      .jpeg({ progressive: true })
      .withExif({ IFD0: { Artist: MARKER } })
      .toBuffer();

    const output = Buffer.from(stripJpegMetadata(progressive)!);

    expect(output.includes(Buffer.from(MARKER))).toBe(false);
    expect(await sharp(output).raw().toBuffer()).toEqual(await sharp(progressive).raw().toBuffer());
  });

  it('gives up on bytes that are not a JPEG it can walk', () => {
    expect(stripJpegMetadata(Buffer.from('not a jpeg'))).toBeUndefined();
    expect(stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]))).toBeUndefined();
    expect(stripJpegMetadata(Buffer.from([0xff, 0xd8, 0x00, 0x00]))).toBeUndefined();
  });
});
