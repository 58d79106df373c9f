import sharp from 'sharp';
import {
  ACCEPTED_TYPES,
  acceptedTypesSentence,
  type AcceptedTypeId,
  DEFAULT_ATTACHMENT_POLICY,
  describePolicy,
  formatMegabytes,
  STAFF_EVIDENCE_POLICY,
} from './attachment-policy';

const MB = 1024 * 1024;

describe('attachment policy', () => {
  // Pinned on purpose: a type may only join this list together with a way to strip its metadata in
  // attachment-sanitiser.ts, so adding one here without that must fail review, and this test.
  it('accepts exactly the types we can strip, each once', () => {
    const expected: AcceptedTypeId[] = ['jpeg', 'png', 'webp', 'gif', 'pdf', 'text'];
    expect([...DEFAULT_ATTACHMENT_POLICY.acceptedTypes]).toEqual(expected);
    // Staff evidence adds Word (docx-scrubber.ts strips it) and e-mail (kept whole on purpose).
    const staff: AcceptedTypeId[] = [...expected, 'docx', 'eml'];
    expect([...STAFF_EVIDENCE_POLICY.acceptedTypes]).toEqual(staff);
    expect(Object.keys(ACCEPTED_TYPES).sort()).toEqual([...staff].sort());
    for (const [id, type] of Object.entries(ACCEPTED_TYPES)) expect(type.id).toBe(id);
  });

  it('allows 20 MB a file, 10 files and 50 MB in all', () => {
    expect(DEFAULT_ATTACHMENT_POLICY).toMatchObject({
      maxFileBytes: 20 * MB,
      maxFiles: 10,
      maxTotalBytes: 50 * MB,
      maxImagePixels: 100_000_000,
    });
    expect(Object.isFrozen(DEFAULT_ATTACHMENT_POLICY)).toBe(true);
  });

  it('describes itself for the form, without the pixel cap', () => {
    const description = describePolicy(DEFAULT_ATTACHMENT_POLICY);

    expect(description).toEqual({
      maxFileBytes: 20 * MB,
      maxFiles: 10,
      maxTotalBytes: 50 * MB,
      acceptedTypes: [
        { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG image' },
        { mediaType: 'image/png', extensions: ['png'], label: 'PNG image' },
        { mediaType: 'image/webp', extensions: ['webp'], label: 'WebP image' },
        { mediaType: 'image/gif', extensions: ['gif'], label: 'GIF image' },
        { mediaType: 'application/pdf', extensions: ['pdf'], label: 'PDF document' },
        {
          mediaType: 'text/plain',
          extensions: ['txt', 'text', 'csv', 'md', 'log'],
          label: 'Plain text (UTF-8)',
        },
      ],
    });
  });

  it('describes only the types a narrower policy accepts', () => {
    const description = describePolicy({ ...DEFAULT_ATTACHMENT_POLICY, acceptedTypes: ['pdf', 'jpeg'] });
    expect(description.acceptedTypes.map((t) => t.mediaType)).toEqual(['application/pdf', 'image/jpeg']);
  });

  it('rounds sizes up, so a file just over the limit never reads as the limit', () => {
    expect(formatMegabytes(20 * MB)).toBe('20 MB');
    expect(formatMegabytes(20 * MB + 1)).toBe('20.1 MB');
    expect(formatMegabytes(Math.floor(23.1 * MB))).toBe('23.1 MB');
    expect(formatMegabytes(512 * 1024)).toBe('0.5 MB');
  });

  it('lists the accepted types as a sentence', () => {
    expect(acceptedTypesSentence({ ...DEFAULT_ATTACHMENT_POLICY, acceptedTypes: ['png', 'pdf'] })).toBe(
      'PNG image or PDF document',
    );
  });

  // HEIC is left out because this sharp cannot decode HEVC. If a sharp upgrade brings an HEVC codec,
  // this fails, and HEIC can be reconsidered (with a fixture proving its metadata is stripped).
  it('leaves HEIC out because the installed sharp has no HEVC codec', async () => {
    const image = sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } });
    await expect(image.heif({ compression: 'hevc' }).toBuffer()).rejects.toThrow(/Unsupported compression/);
    expect(DEFAULT_ATTACHMENT_POLICY.acceptedTypes).not.toContain('heic');
  });

  // GIF stays GIF only because this sharp can write it; if that ever changes, the sanitiser must
  // convert GIFs to PNG instead, and this says so.
  it('keeps GIF because the installed sharp can both read and write it', () => {
    expect(sharp.format.gif.input.buffer).toBe(true);
    expect(sharp.format.gif.output.buffer).toBe(true);
  });
});
